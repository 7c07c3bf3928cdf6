"""The events stage: reads ``doc.tokens``, ``doc.mentions``, ``doc.entities``, ``doc.times``
and ``doc.claims``; writes ``doc.events`` by the rules (rasd.events), then the learned
decisions (with the learned stages, rasd.learn.stages), then the two-sided step that adds
the reverse of a reciprocal event (rasd.events.reciprocal), in every mode."""

from __future__ import annotations

from rasd.stages.resources import Resources, Stage


def build(res: Resources) -> list[Stage]:
    from rasd.events.arguments import EventStage
    from rasd.events.reciprocal import ReciprocalStage

    stages: list[Stage] = [EventStage()]
    if res.learned:
        from rasd.learn.stages import LearnedEventStage

        stages.append(LearnedEventStage(res.learned_models))
    stages.append(ReciprocalStage())
    return stages
