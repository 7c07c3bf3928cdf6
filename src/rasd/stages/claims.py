"""The claims stage: reads ``doc.sentences``, ``doc.tokens``, ``doc.mentions`` and
``doc.entities``; writes ``doc.claims`` by the rules (rasd.claims), then, with the learned
stages, the learned decisions on the encoder's vectors with the rules' claims as candidates
(rasd.learn.stages)."""

from __future__ import annotations

from rasd.stages.resources import Resources, Stage


def build(res: Resources) -> list[Stage]:
    from rasd.claims.attribution import ClaimStage

    stages: list[Stage] = [ClaimStage()]
    if res.learned:
        from rasd.learn.stages import LearnedClaimStage

        stages.append(LearnedClaimStage(res.learned_models))
    return stages
