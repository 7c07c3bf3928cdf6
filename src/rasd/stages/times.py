"""The times stage: reads ``doc.text`` and ``doc.published``; writes ``doc.times`` (time
expressions with their resolved values, rasd.time)."""

from __future__ import annotations

from rasd.stages.resources import Resources, Stage


def build(res: Resources) -> list[Stage]:
    from rasd.time.stage import TimeStage

    return [TimeStage()]
