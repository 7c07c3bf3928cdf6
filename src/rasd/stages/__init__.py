"""The analysis stages by name, registered here in the one order they run.

- ``structure``: paragraphs, sections, sentences (the title when there is none)
- ``tokens``: tokens
- ``encoder``: the encoder's vectors (``doc.encoding``; the default NER only)
- ``ner``: the tagger's mentions
- ``times``: times
- ``mentions``: the mentions after the tagger (additions, retyping) and the adjectives
- ``entities``: entities (clusters, KB names, places, roles)
- ``claims``: claims (the rules, then the learned stage when the encoder runs)
- ``events``: events (the rules, the learned stage when the encoder runs, the two-sided step)

Each stage has a module of this package: what it reads, what it writes, and ``build``,
which makes its callables (none, one or several, run in turn) from the pipeline's shared
:class:`Resources`. The algorithms live in their packages (rasd.text, rasd.ner, rasd.link,
rasd.time, rasd.claims, rasd.events, rasd.learn).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rasd.stages import (
    claims,
    encoder,
    entities,
    events,
    mentions,
    ner,
    structure,
    times,
    tokens,
)
from rasd.stages.resources import Resources, Stage

BUILDERS: dict[str, Callable[[Resources], list[Stage]]] = {
    "structure": structure.build,
    "tokens": tokens.build,
    "encoder": encoder.build,
    "ner": ner.build,
    "times": times.build,
    "mentions": mentions.build,
    "entities": entities.build,
    "claims": claims.build,
    "events": events.build,
}
#: The registered stage names in run order.
STAGES: tuple[str, ...] = tuple(BUILDERS)


class UnknownStage(ValueError):
    """A stage name that is neither registered nor one of a pipeline's own stages."""


def check_names(names: Iterable[str], known: Iterable[str] = ()) -> None:
    """Raise :class:`UnknownStage` naming the first of ``names`` that is not a registered
    stage nor one of ``known`` (a custom pipeline's own stage names)."""
    allowed = [*STAGES, *(k for k in known if k not in STAGES)]
    for name in names:
        if name not in allowed:
            raise UnknownStage(f"unknown stage {name!r} (the stages: {', '.join(allowed)})")


def through(names: list[str], until: str) -> int:
    """How many of the stages named ``names`` (in run order) run when a run stops after the
    stage ``until``: through its last part, or, for a registered stage the pipeline lacks
    (disabled, or the encoder with another NER), up to where it would stand."""
    if until in names:
        return len(names) - names[::-1].index(until)
    rank = STAGES.index(until)
    n = 0
    for k, name in enumerate(names):
        if name in STAGES and STAGES.index(name) > rank:
            break
        n = k + 1
    return n


def build_stages(res: Resources, disable: Iterable[str] = (), until: str | None = None
                 ) -> list[tuple[str, Stage]]:
    """The registered stages' callables with their stage names, in run order, without the
    ``disable``\\ d ones and none after ``until`` (those are not built: their models do not
    load)."""
    disable = list(disable)
    check_names([*disable, *([until] if until else [])])
    names = [n for n in STAGES if n not in disable]
    if until is not None:
        names = names[:through(names, until)]
    return [(name, part) for name in names for part in BUILDERS[name](res)]


__all__ = ["STAGES", "Resources", "Stage", "UnknownStage", "build_stages", "check_names",
           "through"]
