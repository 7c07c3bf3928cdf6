"""Two-sided events: a clash between X and Y is an act of both.

A table of "who did what to whom" that lists ``X ASSAULT Y`` for ``اشتباكات بين X و Y`` says
that X attacked and Y did not; the corpus guideline (docs/annotation.md 6.2) codes both
directions, and so does this stage, after the event stages: each event of a two-sided kind
(``resources/events/reciprocal.tsv``) with a named actor and target gets its mirror, unless the
document already has it. The mirror keeps the trigger span, place, time, status and claim.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from rasd.document import Document
from rasd.resources import read_tsv
from rasd.text.normalize import norm
from rasd.text.views import doc_views


@cache
def _two_sided() -> dict[str, frozenset[str] | None]:
    """PLOVER type → trigger cores that make it two-sided (None: every trigger)."""
    out: dict[str, frozenset[str] | None] = {}
    for row in read_tsv("events/reciprocal.tsv"):
        words = row[1].split() if len(row) > 1 else []
        out[row[0]] = None if words == ["*"] else frozenset(norm(w) for w in words)
    return out


class ReciprocalStage:
    """Adds the reverse direction of every two-sided event (ids continue after the last)."""

    def __call__(self, doc: Document) -> None:
        kinds = _two_sided()
        if not doc.events or not any(e.type in kinds for e in doc.events):
            return
        views = doc_views(doc)
        have = {(e.type, e.trigger.start, e.actor, e.target) for e in doc.events}
        n = len(doc.events)
        added = []
        for e in doc.events:
            words = kinds.get(e.type, frozenset())
            if not (e.actor and e.target) or e.actor == e.target:
                continue
            if words is not None:
                k = doc.token_at(e.trigger.start)
                v = views[k] if k >= 0 else None
                if v is None or not {v.core, v.bare, v.norm} & words:
                    continue
            key = (e.type, e.trigger.start, e.target, e.actor)
            if key in have:
                continue
            have.add(key)
            n += 1
            added.append(replace(e, id=f"v{n}", actor=e.target, target=e.actor))
        doc.events = doc.events + added
