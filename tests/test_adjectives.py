"""Lone nisba adjectives and demonyms: linked like mentions, kept apart from them."""

from __future__ import annotations

import pytest

from rasd.document import Document
from rasd.schema import validate

TEXT = ("وقال المبعوث الأممي غسان سلامة إن الحوار سيستأنف في جنيف.\n\n"
        "وأكد السفير الألماني في طرابلس دعم بلاده للحوار.")


@pytest.fixture(scope="module")
def doc() -> Document:
    from rasd.pipeline import Pipeline

    d = Pipeline(ner="fast")(Document(text=TEXT))
    d.check_offsets()
    return d


def test_an_adjective_is_linked_but_is_not_a_mention(doc: Document) -> None:
    ents = {e.id: e for e in doc.entities}
    adj = {m.text: m for m in doc.adjectives}
    assert set(adj) >= {"الأممي", "الألماني"}
    assert ents[adj["الألماني"].entity].kb_id == "cc:DE"
    assert all(m.text not in adj for m in doc.mentions)
    assert not {(m.start, m.end) for m in doc.mentions} & {(m.start, m.end) for m in adj.values()}
    # names stay mentions
    assert {"غسان سلامة", "طرابلس"} <= {m.text for m in doc.mentions}


def test_a_title_keeps_the_body_its_adjective_names(doc: Document) -> None:
    ents = {e.id: e for e in doc.entities}
    salame = next(e for e in doc.entities if e.name == "غسان سلامة")
    un = next(m.entity for m in doc.adjectives if m.text == "الأممي")
    assert any(r.of == un for r in salame.roles), salame.roles
    assert ents[un].kb_id == "Q1065"


def test_adjectives_round_trip_through_json(doc: Document) -> None:
    data = doc.to_dict()
    validate(data)
    back = Document.from_dict(data)
    assert back.adjectives == doc.adjectives


def test_a_name_written_the_same_way_keeps_one_type() -> None:
    """خسارة حفتر للمطار: the tagger's one GPE among a name's PER mentions takes PER; a
    mention the KB types keeps its own."""
    from rasd.document import Mention
    from rasd.link.mentions import one_type_per_name

    ms = [Mention(f"m{i}", i * 10, i * 10 + 4, "حفتر", t)
          for i, t in enumerate(["PER", "PER", "GPE", "PER"])]
    ms.append(Mention("m9", 90, 96, "طرابلس", "GPE"))
    one_type_per_name(ms, {})
    assert [m.type for m in ms] == ["PER", "PER", "PER", "PER", "GPE"]
    split = [Mention(f"n{i}", i * 10, i * 10 + 4, "حفتر", t)
             for i, t in enumerate(["PER", "GPE", "ORG"])]
    one_type_per_name(split, {})  # no two-thirds majority: left alone
    assert [m.type for m in split] == ["PER", "GPE", "ORG"]
    kb = [Mention(f"k{i}", i * 10, i * 10 + 4, "حفتر", t)
          for i, t in enumerate(["PER", "PER", "GPE"])]
    one_type_per_name(kb, {"k2": "gn:1"})
    assert kb[2].type == "GPE"
