import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.text.normalize import Normalizer, get_normalizer, norm, normalize


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


def _reference(n, text: str):
    """What Normalizer.__call__ computes with str.translate alone (the short-text path)."""
    view = text.translate(n.table)
    same = len(view) == len(text) and not n._length_changing.search(text)
    return view, same


@pytest.mark.parametrize("fold_taa", [True, False])
def test_long_texts_take_the_array_path_with_the_same_result(fold_taa):
    """Texts of 200+ characters are translated over a code-point array; view, identity-map
    decision and offsets must equal str.translate's for every kind of character: folded,
    deleted, expanded (presentation ligatures), outside the BMP, lone surrogates (a text with
    an expanding ligature or a character beyond the BMP goes to str.translate)."""
    n = get_normalizer(fold_taa)
    rng = random.Random(7)
    kinds = [
        "بسم الله الرحمن الرحيم قال المتحدث إن أمريكا ",  # ordinary text
        "".join(chr(c) for c in n.table if len(n.table[c]) == 1),  # folded
        "".join(chr(c) for c in n.table if not n.table[c]),  # deleted
        "".join(chr(c) for c in n.table if len(n.table[c]) > 1),  # expanded
        "abc 123 ٣٤٥ «»\n\t", "😀𝔸", "\ud800",
    ]
    for trial in range(400):
        pool = rng.sample(kinds, rng.randint(1, len(kinds)))
        text = "".join(rng.choice(rng.choice(pool)) for _ in range(rng.randint(150, 600)))
        got = n(text)
        view, same = _reference(n, text)
        assert got.text == view == n.text(text), trial
        assert (got._normalizer is None) == same, trial


@pytest.mark.parametrize("fold_taa", [True, False])
def test_short_texts_translate_through_the_list_table_as_through_the_dict(fold_taa):
    """Words and phrases go through str.translate with a list over the BMP (faster than the
    dict): same result for every kind of character, past the BMP and lone surrogates too."""
    n = get_normalizer(fold_taa)
    rng = random.Random(11)
    pool = ("قال أمريكا إلى مؤتمر " + "".join(chr(c) for c in n.table)
            + "abc 123 😀𝔸\ud800\U0010ffff\uffff")
    for trial in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 60)))
        want = text.translate(n.table)
        assert n.text(text) == want == n(text).text, trial
