"""SpanIndex answers exactly what a scan of the layer would, in the layer's start order."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.spans import SpanIndex


@dataclass
class R:
    start: int
    end: int
    k: int


spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 15)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(spans, st.integers(0, 80), st.integers(0, 20))
def test_queries_equal_a_scan(raw, a, width):
    recs = [R(s, s + n, k) for k, (s, n) in enumerate(raw)]
    idx = SpanIndex(recs)
    b = a + width
    order = sorted(recs, key=lambda r: r.start)
    assert idx.within(a, b) == [r for r in order if a <= r.start and r.end <= b]
    assert idx.overlapping(a, b) == [r for r in order if r.start < b and a < r.end]
    if b > a:
        assert idx.containing(a, b) == [r for r in order if r.start <= a and b <= r.end]
    assert idx.covers(a) == any(r.start <= a < r.end for r in recs)


def test_document_index_follows_the_layer():
    from rasd.document import Document, Mention

    doc = Document(text="قال حفتر في طرابلس")
    doc.mentions = [Mention("m1", 4, 8, "حفتر", "PER")]
    assert doc.index("mentions").covers(5)
    doc.mentions.append(Mention("m2", 12, 18, "طرابلس", "GPE"))
    assert [m.id for m in doc.index("mentions").within(0, 18)] == ["m1", "m2"]
    doc.mentions = []
    assert not doc.index("mentions").covers(5)
