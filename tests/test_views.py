"""Token views: the cached per-form path (doc_views over a TokenTable) equals view() of each
Token, field for field."""

from rasd.document import Document
from rasd.text.tokenize import tokenize
from rasd.text.views import doc_views, view, views_in

TEXT = ("وقال المتحدث باسم حكومة الوفاق لـ«الشرق الأوسط» إن وبالرجمة ولقواتها وللحكومة "
        "فسيكتبونها، Trump 2019 ... ٢٠١٩ والرئيس بوزارة الداخلية.")


def test_cached_views_equal_the_views_of_the_tokens():
    doc = Document(TEXT)
    doc.tokens = tokenize(TEXT)
    assert hasattr(doc.tokens, "analyses")
    got = doc_views(doc)
    want = [view(t) for t in doc.tokens]
    assert got == want
    assert any(v.has_prep for v in got) and any(v.has_det for v in got)
    assert any(v.bare != v.norm for v in got) and any(v.core != v.bare for v in got)
    assert doc_views(doc) is got  # computed once per token table
    lo, hi = got[2].start, got[5].end
    assert views_in(doc, lo, hi) == got[2:6]
