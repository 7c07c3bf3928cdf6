"""The span-level corpus reader's word-boundary check (rasd.eval.corpus): an annotated span may
start after proclitics and end before a pronoun suffix, never cut a word elsewhere; marks
(harakat, tatweel) inside the word do not change the answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.eval.corpus import CorpusError, check_boundaries, load_split

SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
CORPUS = Path(__file__).resolve().parents[1] / "eval" / "corpus"


def _span(text: str, part: str) -> tuple[int, int]:
    a = text.index(part)
    return a, a + len(part)


@pytest.mark.parametrize(("text", "part"), [
    ("وصل الوفد وبالرياض اجتماع", "الرياض"),     # after the proclitics و ب
    ("قالت للحكومة إنها", "لحكومة"),              # after ل
    ("التقى رئيسها أمس", "رئيس"),                 # before the suffix ها
    ("وبِالرياض غدا", "الرياض"),                  # a kasra on the proclitic
    ("زار رئيسُهم المدينة", "رئيس"),              # a damma before the suffix
    ("وصل الوفد الرياض", "الرياض"),               # a whole word
])
def test_spans_at_clitic_boundaries_pass(text: str, part: str) -> None:
    check_boundaries(text, *_span(text, part), "t")


@pytest.mark.parametrize(("text", "part", "says"), [
    ("وصل المستشفى", "مستشفى", "starts inside"),  # ال is not a proclitic
    ("وصل الرياضيون", "الرياض", "ends inside"),   # يون is not a pronoun suffix
    ("مـحمد", "حمد", "starts inside"),            # a tatweel is part of the word
])
def test_spans_that_cut_a_word_fail(text: str, part: str, says: str) -> None:
    with pytest.raises(CorpusError, match=says):
        check_boundaries(text, *_span(text, part), "t")


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="needs ../shared/data")
def test_the_dev_split_loads_with_every_span_on_its_text() -> None:
    articles = load_split(CORPUS, "dev", SHARED_DATA)
    assert articles
    n = 0
    for art in articles:
        for _ent, m in art.mentions():
            assert art.text[m["start"]:m["end"]] == m["text"]
            n += 1
    assert n > 100
