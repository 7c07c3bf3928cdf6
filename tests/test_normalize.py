import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.text.normalize import Normalizer, norm, normalize


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("أحمد", "احمد"),
        ("إسلام آمن ٱلله", "اسلام امن الله"),
        ("لدى", "لدي"),
        ("مدينة", "مدينه"),
        ("مُحَمَّدٌ", "محمد"),
        ("حـــــفتر", "حفتر"),
        ("٢٠١٩ ۲۰۱۹", "2019 2019"),
        ("ﻟﻴﺒﻴﺎ", "ليبيا"),
        ("\u200fليبيا\u200e\u202b", "ليبيا"),
        ("لـ”الرجمة”", 'ل"الرجمه"'),
        ("«قال»", '"قال"'),
        ("کتاب ی", "كتاب ي"),
        ("a\u00a0b", "a b"),
    ],
)
def test_folds(raw, expected):
    assert norm(raw) == expected


def test_taa_marbuta_is_optional():
    assert norm("مدينة", fold_taa=False) == "مدينة"
    assert Normalizer(fold_taa=False).text("مدينة") == "مدينة"


def test_lada_does_not_become_lada_with_alef():
    assert norm("لدى") != "لدا"


def test_map_back_through_deletions_and_expansions():
    raw = "قالَ الـــرئيسُ ﻻ شيء"
    n = normalize(raw)
    assert n.text == "قال الرييس لا شيء".replace("الرييس", "الرئيس")
    i = n.text.index("الرئيس")
    a, b = n.to_original(i, i + len("الرئيس"))
    assert raw[a:b] == "الـــرئيسُ"
    j = n.text.index("لا")
    a, b = n.to_original(j, j + 2)
    assert raw[a:b] == "ﻻ"
    a, b = n.to_original(j, j + 1)  # half of a ligature maps to the whole ligature
    assert raw[a:b] == "ﻻ"


def test_identity_map_when_nothing_changes_length():
    n = normalize("أحمد في ليبيا")
    assert n._starts is None
    assert n.to_original(0, 4) == (0, 4)


@given(st.text())
def test_map_is_monotone_and_in_range(raw):
    n = normalize(raw)
    for i in range(len(n.text) + 1):
        for j in (i, min(i + 1, len(n.text)), len(n.text)):
            if j < i:
                continue
            a, b = n.to_original(i, j)
            assert 0 <= a <= b <= len(raw)


@given(st.text(alphabet=st.sampled_from(list("أحمدـَُِّ ﻻﻟ\u200f٣لدى،.ة"))))
def test_every_view_char_comes_from_its_original(raw):
    n = normalize(raw)
    for i, ch in enumerate(n.text):
        a, b = n.to_original(i, i + 1)
        assert ch in norm(raw[a:b]) or norm(raw[a:b]) == ""
