"""The analysis stages, built once (models load once), run per document.

CLI, HTTP API and batch runner all call :class:`Pipeline`; none re-implements a stage. The
stages are registered by name in rasd.stages (structure, tokens, encoder, ner, times,
mentions, entities, claims, events); a stage is one or more callables ``part(doc) -> None``
that read the layers they need and add their own.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from itertools import groupby

from rasd.document import Document
from rasd.stages import Resources, Stage, build_stages, check_names, through


class Pipeline:
    """structure → tokens → (encoder →) ner → times → mentions → entities → claims → events.

    ``ner`` picks the NER (rasd.stages.resources.Resources). With the encoder (the default
    NER), the learned claim and event stages follow the rule ones in the ``claims`` and
    ``events`` stages, reading their output as candidates and features; ``learned=False``
    keeps the rules' answer (the fast NER always does: it has no encoder vectors).

    ``disable=["claims", "events"]`` leaves named stages out; ``until="claims"`` stops after
    one (neither the left-out nor the later stages are built). A run can also stop early:
    ``pipeline(doc, until="entities")``. An unknown name raises
    :class:`rasd.stages.UnknownStage` naming it. ``stages=[...]`` runs the given callables
    instead, each named by its function or class name.

    ``stages`` holds the callables in run order (a list callers may change) and ``names`` the
    stage name of each (:meth:`stage_name`).
    """

    def __init__(self, stages: Iterable[Stage] | None = None, ner: str | None = None,
                 learned: bool | None = None, disable: Iterable[str] = (),
                 until: str | None = None) -> None:
        disable = list(disable)
        if stages is None:
            named = build_stages(Resources(ner, learned), disable, until)
        else:
            named = [(_own_name(s), s) for s in stages]
            check_names([*disable, *([until] if until else [])], [n for n, _ in named])
            named = [(n, s) for n, s in named if n not in disable]
            if until is not None:
                named = named[:through([n for n, _ in named], until)]
        self.stages: list[Stage] = [s for _, s in named]
        # (stage, name), found by identity: stages need not be hashable
        self._named: list[tuple[Stage, str]] = [(s, n) for n, s in named]

    def stage_name(self, stage: Stage) -> str:
        """The name ``stage`` runs under: its registered stage name (``ClaimStage`` and
        ``LearnedClaimStage`` are both ``claims``), else its function or class name."""
        name = next((n for s, n in self._named if s is stage), None)
        return name if name is not None else _own_name(stage)

    @property
    def names(self) -> list[str]:
        """The stage name of each of ``stages``."""
        return [self.stage_name(s) for s in self.stages]

    @property
    def stage_names(self) -> list[str]:
        """The names of the stages this pipeline runs, in order."""
        return list(dict.fromkeys(self.names))

    #: Seconds one document may take before its analysis stops with :class:`BudgetExceeded`
    #: (checked between stages; ``RASD_MAX_SECONDS`` sets it, 0 = no limit). The default
    #: allows a few megabytes in the default mode (docs/benchmarks.md, "Long inputs").
    budget_s: float = float(os.environ.get("RASD_MAX_SECONDS", "900") or 0)

    def __call__(self, doc: Document,
                 progress: Callable[[int, int, str], None] | None = None,
                 until: str | None = None) -> Document:
        """Run the stages on ``doc`` (through the stage ``until`` when given);
        ``progress(i, n, name)`` is told as stage i of n starts (background jobs show it)."""
        names = self.names
        k = len(names)
        if until is not None:
            check_names([until], names)
            k = through(names, until)
        runs = [(name, [s for _, s in parts])
                for name, parts in groupby(zip(names[:k], self.stages[:k], strict=True),
                                           key=lambda p: p[0])]
        budget = self.budget_s
        t0 = time.monotonic()
        for i, (name, parts) in enumerate(runs, 1):
            if progress is not None:
                progress(i, len(runs), name)
            for stage in parts:
                stage(doc)
                if budget and time.monotonic() - t0 > budget:
                    raise BudgetExceeded(
                        f"stopped after {time.monotonic() - t0:.0f} s (budget {budget:g} s, "
                        f"RASD_MAX_SECONDS) at the {name} stage; {len(doc.text):,} "
                        "characters: split the input")
        return doc


def _own_name(stage: Stage) -> str:
    """A callable's own name: its function or class name."""
    return getattr(stage, "__name__", None) or type(stage).__name__


class BudgetExceeded(RuntimeError):
    """A document's analysis went past the pipeline's time budget."""


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default


def analyze_text(text: str, **meta) -> Document:
    """Analyse one text with the default pipeline, cleaned exactly as `rasd analyze` cleans
    its inputs (layout, scraper debris, the Arabic check); raises InputError on bad text."""
    from rasd.ingest import document_from_text

    return default_pipeline()(document_from_text(text, **meta))
