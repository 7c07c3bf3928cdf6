"""Arabic closed classes in one place: function words, shared head-noun lists, verb forms.

Every rule that needs a complementizer, a preposition, a relative pronoun or a negation asks
here, by class and tag, instead of spelling its own list: the words live in
``resources/arabic/function_words.tsv`` (one row per form: class, tags, note), read once.
Fixing a form (say, "إنّه is not a complementizer") is one edit in that file.

The diacritic classes are their sibling :mod:`rasd.text.marks`: the normalizer needs them and
this module needs the normalizer, so they cannot live here without an import circle.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rasd.resources import read_lines, read_tsv
from rasd.text.normalize import norm


# -- function words -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FunctionWord:
    form: str
    cls: str  # complementizer, preposition, relative, … (see the data file's header)
    tags: frozenset[str]
    note: str = ""


@cache
def function_words() -> tuple[FunctionWord, ...]:
    """Every row of ``arabic/function_words.tsv``, in file order."""
    rows = []
    for form, cls, tags, note in read_tsv("arabic/function_words.tsv"):
        rows.append(FunctionWord(form, cls, frozenset(t for t in tags.split(",") if t != "-"),
                                 "" if note == "-" else note))
    return tuple(rows)


@cache
def forms(*classes: str, tag: str | None = None) -> tuple[str, ...]:
    """Written forms of the given classes (all classes when none is named), only those with
    ``tag`` when it is given, in file order."""
    return tuple(w.form for w in function_words()
                 if (not classes or w.cls in classes) and (tag is None or tag in w.tags))


@cache
def words(*classes: str, tag: str | None = None) -> frozenset[str]:
    """The normalized view (``norm``) of :func:`forms`: what rules compare tokens against."""
    return frozenset(norm(f) for f in forms(*classes, tag=tag))


@cache
def word_list(name: str) -> tuple[str, ...]:
    """A plain word list ``resources/arabic/<name>.txt`` (one form a line), in file order."""
    return tuple(read_lines(f"arabic/{name}.txt"))


@cache
def shared_list(name: str, use: str) -> tuple[str, ...]:
    """The entries of ``resources/arabic/<name>.tsv`` (form, uses) that ``use`` takes.

    One file per list that two parts of rasd read (the head nouns and titles of the NER
    gazetteer, ``ner``, and of the linking rules, ``link``): an entry both take is written
    once, and one only the NER or only the linker takes says so in its second column."""
    return tuple(form for form, uses in read_tsv(f"arabic/{name}.tsv")
                 if use in uses.split(","))


# -- verb forms -----------------------------------------------------------------------------
def expand(past: str, imperfect: str, participle: str) -> dict[str, str]:
    """Regular 3rd/1st-person past, imperfect and adverbial-participle forms → kind.

    From a verb's past (3rd masculine singular), imperfect and participle (``-`` for none),
    the forms news text uses: the kind is ``verb`` or ``participle``. Used by the reporting
    cue lexicon (rasd.claims.cues) and the event triggers (rasd.events.triggers)."""
    out: dict[str, str] = {}
    if past != "-":
        # Not the rarer ن/نا/تم persons: عد+ن is the city عدن, نقل+نا a noun; no dual of a
        # two-letter verb (عدا = "except").
        for suf in ("", "ت", "وا", "ا", "تا"):
            if len(past) > 2 or suf not in ("ا", "تا"):
                out[past + suf] = "verb"
    if imperfect != "-":
        stem = imperfect[1:]
        # Third person only: first-person forms (أبين، نرى) collide with names and sit inside
        # quotations, where the speaker is already known.
        for pre in ("ي", "ت"):
            out[pre + stem] = "verb"
        for pre in ("ي", "ت"):
            for suf in ("ون", "ان", "وا"):  # وا: subjunctive/jussive plural (لم يستبعدوا)
                out[pre + stem + suf] = "verb"
    if participle != "-":
        for suf in ("ا", "ة", "اً", "ةً", "ين"):
            out[participle + suf] = "participle"
    return out
