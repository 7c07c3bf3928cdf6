"""Time expressions: find them in Arabic text and resolve them against the publication date.

:mod:`rasd.time.stage` (the stage and :func:`find_times`), :mod:`rasd.time.parser` (the
rules), :mod:`rasd.time.resolve` (date arithmetic), :mod:`rasd.time.lexicon` (the word lists),
:mod:`rasd.time.hijri` (the Umm al-Qura calendar).
"""

from rasd.time.stage import TimeStage, find_times

__all__ = ["TimeStage", "find_times"]
