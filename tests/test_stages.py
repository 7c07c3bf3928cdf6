"""The named stages: one registry, one order; leaving stages out, stopping after one."""

from __future__ import annotations

import sys

import pytest

from rasd.document import Document
from rasd.pipeline import Pipeline
from rasd.stages import STAGES, UnknownStage
from rasd.stages.entities import EntityStage
from rasd.stages.mentions import MentionStage
from rasd.stages.structure import structure_stage
from rasd.stages.tokens import TokenStage

TEXT = ("وقال المبعوث الأممي غسان سلامة إن الحوار سيستأنف في جنيف يوم الأحد.\n\n"
        "واندلعت اشتباكات بين قوات حفتر وقوات الوفاق في طرابلس.")
FAST = ["structure", "tokens", "ner", "times", "mentions", "entities", "claims", "events"]


@pytest.fixture(scope="module")
def fast() -> Pipeline:
    return Pipeline(ner="fast")


def test_the_registry_has_one_order() -> None:
    assert STAGES == ("structure", "tokens", "encoder", "ner", "times", "mentions", "entities",
                      "claims", "events")


def test_a_pipeline_names_its_stages_by_the_registry(fast: Pipeline) -> None:
    assert fast.stage_names == FAST  # no encoder with the fast NER
    parts = dict(zip(fast.names, map(lambda s: type(s).__name__, fast.stages), strict=True))
    assert parts["mentions"] == "MentionStage" and parts["entities"] == "EntityStage"
    # the two-sided step is part of the events stage
    assert [type(s).__name__ for n, s in zip(fast.names, fast.stages, strict=True)
            if n == "events"] == ["EventStage", "ReciprocalStage"]


def test_the_kb_loads_once_for_the_stages_that_read_it(fast: Pipeline) -> None:
    by_name = dict(zip(fast.names, fast.stages, strict=True))
    assert by_name["mentions"].kb is not None
    assert by_name["mentions"].kb is by_name["entities"].kb


def test_progress_tells_the_registered_names(fast: Pipeline) -> None:
    told = []
    fast(Document(text=TEXT), progress=lambda i, n, name: told.append((i, n, name)))
    assert told == [(i, len(FAST), name) for i, name in enumerate(FAST, 1)]


def test_disabled_stages_are_left_out(fast: Pipeline) -> None:
    p = Pipeline(ner="fast", disable=["claims", "events"])
    assert p.stage_names == FAST[:-2]
    doc = p(Document(text=TEXT))
    assert doc.entities and not doc.claims and not doc.events
    assert fast(Document(text=TEXT)).claims


def test_a_pipeline_built_until_a_stage_stops_after_it() -> None:
    p = Pipeline(ner="fast", until="mentions")
    assert p.stage_names == FAST[:FAST.index("mentions") + 1]
    doc = p(Document(text=TEXT))
    assert doc.mentions and doc.adjectives and not doc.entities
    # a registered stage this pipeline lacks: up to where it would stand
    assert Pipeline(ner="fast", until="encoder").stage_names == ["structure", "tokens"]


def test_a_run_can_stop_after_a_stage(fast: Pipeline) -> None:
    told = []
    doc = fast(Document(text=TEXT), until="entities",
               progress=lambda i, n, name: told.append((i, n, name)))
    assert doc.entities and not doc.claims and not doc.events
    assert told[-1] == (6, 6, "entities")
    assert all(m.entity for m in doc.mentions + doc.adjectives)


def test_an_unknown_stage_name_is_an_error_that_names_it(fast: Pipeline) -> None:
    for kw in ({"disable": ["claims", "clams"]}, {"until": "entity"}):
        with pytest.raises(UnknownStage, match="entity'|clams'"):
            Pipeline(ner="fast", **kw)
    with pytest.raises(UnknownStage, match="'tokenz'"):
        fast(Document(text=TEXT), until="tokenz")
    with pytest.raises(ValueError, match="NER backend"):
        Pipeline(ner="no-such")


def test_given_stages_are_named_by_their_own_names() -> None:
    p = Pipeline([structure_stage, TokenStage(), MentionStage(), EntityStage()])
    assert p.names == ["structure_stage", "TokenStage", "MentionStage", "EntityStage"]
    assert Pipeline([structure_stage, TokenStage()], until="structure_stage").names == [
        "structure_stage"]
    assert Pipeline([structure_stage, TokenStage()], disable=["TokenStage"]).names == [
        "structure_stage"]
    with pytest.raises(UnknownStage, match="'Tokens'"):
        Pipeline([structure_stage], disable=["Tokens"])
    doc = p(Document(text=TEXT))
    assert doc.sentences and doc.entities  # the augmenter alone finds names


@pytest.mark.parametrize(("module", "until"), [("rasd.time.stage", "times"),
                                                ("rasd.link.kb", "mentions")])
def test_a_broken_rasd_module_is_an_error_not_an_empty_layer(monkeypatch, module, until
                                                             ) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # importing it now fails
    with pytest.raises(ImportError):
        Pipeline(ner="none", until=until)


def test_the_default_pipeline_runs_the_encoder_and_the_learned_stages() -> None:
    p = Pipeline(until="claims")
    assert p.stage_names == ["structure", "tokens", "encoder", "ner", "times", "mentions",
                             "entities", "claims"]
    assert [type(s).__name__ for n, s in zip(p.names, p.stages, strict=True)
            if n in ("encoder", "ner", "claims")] == ["EncoderStage", "E5NerTagger",
                                                       "ClaimStage", "LearnedClaimStage"]
    rules = Pipeline(learned=False, disable=["claims", "events"])
    assert not any(type(s).__name__.startswith("Learned") for s in rules.stages)
    with pytest.raises(ValueError, match="encoder"):
        Pipeline(ner="fast", learned=True)


def test_a_stage_taken_out_of_the_list_is_not_run(fast: Pipeline) -> None:
    """``stages`` stays a list callers may change (docs/evaluation.md measures a pipeline
    without the two-sided step so); the others keep their names."""
    p = Pipeline(ner="fast", until="events")
    two_sided = next(s for s in p.stages if type(s).__name__ == "ReciprocalStage")
    assert p.stage_name(two_sided) == "events"
    p.stages.remove(two_sided)
    assert p.stage_names == FAST
    doc = p(Document(text=TEXT))
    assert doc.events and fast(Document(text=TEXT)).events != doc.events
