"""rasd.text.arabic (function words, shared lists, verb forms) and rasd.text.marks (diacritics)."""

import re
from collections import Counter

import pytest

from rasd.text import arabic, marks
from rasd.text.arabic import expand, forms, function_words, words
from rasd.text.normalize import norm

CLASSES = {"complementizer", "preposition", "relative", "demonstrative", "prep_pronoun",
           "negation", "particle", "conjunction", "adverb", "time", "weekday", "quantifier",
           "conditional", "verb", "noun"}


def test_function_words_load_with_known_classes_and_no_duplicate_form():
    rows = function_words()
    assert len(rows) > 100
    assert {w.cls for w in rows} <= CLASSES
    dupes = [f for f, n in Counter(w.form for w in rows).items() if n > 1]
    assert dupes == []
    assert all(w.form == w.form.strip() and " " not in w.form for w in rows)


def test_every_tag_is_used_by_the_documented_rules():
    tags = {t for w in function_words() for t in w.tags}
    provenance = (arabic.__file__.rsplit("/text/", 1)[0] + "/resources/arabic/PROVENANCE.md")
    with open(provenance, encoding="utf-8") as fh:
        doc = fh.read()
    assert [t for t in sorted(tags) if f"`{t}`" not in doc] == []


def test_forms_carry_no_harakat_or_tatweel():
    """A form with a mark would only match after normalization deleted it: spell it bare."""
    marked = re.compile(f"[{marks.HARAKAT}{marks.TATWEEL}]")
    assert [w.form for w in function_words() if marked.search(w.form)] == []


def test_complementizers_hold_what_each_rule_needs():
    comps = forms("complementizer")
    assert len(comps) == 19
    assert {"أن", "إن", "بأن", "أنه", "إنها", "بأنهم", "أنني", "إننا"} <= set(comps)
    # the events clause rule takes some bare and 3rd-person forms
    assert set(forms("complementizer", tag="events")) <= set(forms("complementizer", tag="bare")) \
        | set(forms("complementizer", tag="pron3"))
    assert not set(forms(tag="pron1")) & set(forms(tag="pron3"))
    assert words("complementizer") == frozenset(norm(f) for f in comps)
    assert norm("أنه") in words("complementizer", tag="pron3")
    assert norm("أن") not in words("complementizer", tag="pron3")
    assert len(forms("complementizer", tag="pron3")) == 12


def test_rule_lists_by_tag():
    assert norm("الذي") in words("relative") and len(forms("relative")) == 5
    stop = words(tag="source_stop")
    assert {norm(w) for w in ("في", "الذي", "أمس", "الجمعة", "لم", "معها")} <= stop
    assert norm("له") in words("prep_pronoun", tag="verb_gap")
    assert norm("فيه") not in words("prep_pronoun", tag="verb_gap")
    # the learned model's one-hot index is the position: the order is part of the data
    assert forms(tag="learn_prep")[:4] == ("في", "على", "إلى", "مع")


def test_unknown_class_or_tag_is_empty():
    assert forms("no-such-class") == ()
    assert words(tag="no-such-tag") == frozenset()


@pytest.mark.parametrize("body, expected", [
    ("\u064b-\u064d", ["\u064b", "\u064c", "\u064d"]),
    ("\u0640\u0670", ["\u0640", "\u0670"]),
])
def test_class_chars(body, expected):
    assert marks.class_chars(body) == expected


def test_diacritic_classes():
    harakat = re.compile(f"[{marks.HARAKAT}]")
    assert harakat.sub("", "مُحَمَّدٌ") == "محمد"
    assert harakat.sub("", "هٰذا") == "هذا"
    assert not harakat.search("ـ")  # tatweel is its own class
    vowels = set(marks.class_chars(marks.VOWEL_MARKS))
    assert len(vowels) == 8 and vowels < set(marks.class_chars(marks.HARAKAT))
    word = set(marks.class_chars(marks.WORD_MARKS))
    assert set(marks.class_chars(marks.HARAKAT)) | {marks.TATWEEL} < word
    assert set(marks.QURANIC_SYMBOLS) < set(marks.class_chars(marks.QURANIC_MARKS))
    # the matching view deletes the harakat and Quranic marks, keeps the three symbols
    assert norm("بِسْمِ") == "بسم" and norm("كلمة\u06dd") == "كلمه\u06dd"


def test_expand_persons_and_participles():
    got = expand("أضاف", "يضيف", "مضيف")
    assert {"أضاف", "أضافت", "أضافوا", "يضيف", "تضيف", "يضيفون", "مضيفا", "مضيفة"} <= set(got)
    assert got["مضيفا"] == "participle" and got["أضافت"] == "verb"
    assert "مضيف" not in got  # a bare participle is usually a noun (host)
    assert "نضيف" not in got and "أضفنا" not in got  # no first person


def test_expand_two_letter_verb_has_no_dual_and_dashes_skip():
    got = expand("عد", "-", "-")
    assert set(got) == {"عد", "عدت", "عدوا"}  # عدا is "except"
    assert expand("-", "يؤكد", "-") == {f: "verb" for f in (
        "يؤكد", "تؤكد", "يؤكدون", "يؤكدان", "يؤكدوا", "تؤكدون", "تؤكدان", "تؤكدوا")}


@pytest.mark.parametrize("name", ["org_heads", "fac_heads", "titles"])
def test_shared_lists_load_once_per_form(name):
    from rasd.resources import read_tsv

    rows = list(read_tsv(f"arabic/{name}.tsv"))
    assert rows and all(len(r) == 2 for r in rows)
    assert all(set(r[1].split(",")) <= {"ner", "link"} and r[1] for r in rows)
    dupes = [f for f, n in Counter(r[0] for r in rows).items() if n > 1]
    assert dupes == []
    ner, link = arabic.shared_list(name, "ner"), arabic.shared_list(name, "link")
    assert set(ner) | set(link) == {r[0] for r in rows}


def test_shared_lists_keep_each_use():
    titles_ner, titles_link = (set(arabic.shared_list("titles", u)) for u in ("ner", "link"))
    assert len(titles_ner & titles_link) == 48 and "الرئيس" in titles_ner & titles_link
    assert "مطار" in arabic.shared_list("fac_heads", "link")
    assert "وزارة" in arabic.shared_list("org_heads", "ner")


def test_claims_word_groups_are_all_there():
    from rasd.resources import read_tsv

    groups = Counter(group for _, group in read_tsv("claims/words.tsv"))
    assert set(groups) == {"press", "impersonal", "continuation", "feminine_plural", "unnamed",
                           "learn_doubt", "learn_deny"}
    assert all(n >= 3 for n in groups.values())
