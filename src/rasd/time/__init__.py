"""Time expressions: find them in Arabic text and resolve them against the publication date."""

from rasd.time.expressions import TimeStage, find_times

__all__ = ["TimeStage", "find_times"]
