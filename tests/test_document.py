import json

import pytest

from rasd.document import Claim, Document, Entity, Event, Mention, OffsetError, Role, Span, Time
from rasd.pipeline import Pipeline
from rasd.schema import validate


def analysed(text="قال السفير الألماني إن برلين ترفض الحل.\nوأضاف بوك أنه التقى حفتر."):
    doc = Pipeline(ner="none")(Document(text=text, url="http://x", outlet="موقع"))
    return doc


def test_json_round_trip_is_exact_with_every_layer():
    doc = analysed()
    t = doc.text
    doc.mentions = [Mention("m1", t.index("برلين"), t.index("برلين") + 5, "برلين", "GPE", "e1",
                            0.9)]
    doc.entities = [Entity("e1", "GPE", "برلين", "Berlin", "geo:2950159", "DE", 52.5, 13.4,
                           [Role("عاصمة", None, "m1")])]
    doc.times = [Time("t1", 0, 3, t[0:3], None)]
    cue = doc.span(0, 3)
    doc.claims = [Claim("c1", None, "السفير", False, cue, doc.span(20, 30), "tweet", "t1",
                        "neutral", None)]
    doc.events = [Event("v1", "REJECT", None, doc.span(t.index("ترفض"), t.index("ترفض") + 4),
                        "e1", None, None, None, "reported", False, "c1", 0)]
    doc.check_offsets()
    data = doc.to_dict(tokens=True)
    again = Document.from_dict(json.loads(json.dumps(data, ensure_ascii=False)))
    assert again.to_dict(tokens=True) == data
    assert again == doc
    validate(doc.to_dict())
    validate(data)


def test_to_dict_matches_dataclasses_asdict():
    """to_dict's generated converters give exactly what dataclasses.asdict gives."""
    from dataclasses import asdict

    from rasd.document import LAYERS

    doc = analysed()
    doc.entities = [Entity("e1", "GPE", "برلين", "Berlin", "geo:1", "DE", 52.5, 13.4,
                           [Role("عاصمة", None, "m1")])]
    doc.claims = [Claim("c1", None, "السفير", False, doc.span(0, 3), None)]
    data = doc.to_dict(tokens=True)
    for name in LAYERS:
        assert data[name] == [asdict(r) for r in getattr(doc, name)]
        assert [list(r) for r in data[name]] == [list(asdict(r)) for r in getattr(doc, name)]
    assert data["tokens"] == [asdict(t) for t in doc.tokens]
    assert data["sections"] and data["tokens"][0]["segments"]


def test_offset_check_catches_bad_spans():
    doc = analysed()
    with pytest.raises(OffsetError):
        doc.span(5, 3)
    doc.mentions = [Mention("m1", 0, 3, "xyz", "PER")]
    with pytest.raises(OffsetError):
        doc.check_offsets()


def test_keys_exist_before_later_stages():
    data = Document(text="نص").to_dict()
    for key in ("sections", "paragraphs", "sentences", "mentions", "entities", "times", "claims",
                "events"):
        assert data[key] == []
    assert "tokens" not in data
    assert set(data["document"]) == {"id", "source", "url", "title", "published", "outlet",
                                     "language", "text"}
    validate(data)


def test_tokens_in():
    doc = analysed()
    toks = doc.tokens_in(0, 15)
    assert toks and all(t.end <= 15 for t in toks)


def test_span_helper():
    doc = Document(text="abc")
    assert doc.span(1, 3) == Span(1, 3, "bc")


def test_token_at_finds_the_token_containing_a_position():
    from rasd.stages.structure import structure_stage
    from rasd.stages.tokens import TokenStage

    text = "اندلعت والمعارك هنا"
    doc = Document(text=text)
    structure_stage(doc)
    TokenStage()(doc)
    k = doc.token_at(text.index("المعارك"))  # inside وال…, after the clitic
    assert k >= 0 and doc.tokens[k].start <= text.index("والمعارك") < doc.tokens[k].end
    assert doc.token_at(text.index(" ")) == -1 and doc.token_at(len(text)) == -1
