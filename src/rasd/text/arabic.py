"""Arabic closed classes in one place: function words, diacritic classes, verb forms.

Every rule that needs a complementizer, a preposition, a relative pronoun or a negation asks
here, by class and tag, instead of spelling its own list: the words live in
``resources/arabic/function_words.tsv`` (one row per form: class, tags, note), read once.
Fixing a form (say, "إنّه is not a complementizer") is one edit in that file.

The diacritic classes are regular-expression class bodies (``f"[{HARAKAT}]"``); each says
which marks it covers. Two widths exist because two jobs exist: the matching view deletes
:data:`HARAKAT` (and the Quranic annotation marks that combine), while a *token* must also
keep every mark that can sit inside a written word (:data:`WORD_MARKS`), or a word with an
honorific sign or a Quranic mark would be cut in two.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rasd.resources import read_lines, read_tsv

# -- diacritic classes (regular-expression class bodies) ---------------------------------------
#: The eight classic harakat: tanwin (ً ٌ ٍ), fatha, damma, kasra, shadda, sukun.
VOWEL_MARKS = "\u064b-\u0652"
#: The rest of the combining block U+0653-U+065F: maddah, hamza above/below, subscript alef,
#: inverted damma, the small marks of Quranic and Persian/Urdu spelling.
EXTRA_MARKS = "\u0653-\u065f"
#: Superscript (dagger) alef ـٰ, as in هٰذا.
SUPERSCRIPT_ALEF = "\u0670"
#: Every combining mark over or under a letter that the matching view deletes: the vowel
#: marks, the rest of the block and the dagger alef (U+064B-U+065F, U+0670).
HARAKAT = VOWEL_MARKS + EXTRA_MARKS + SUPERSCRIPT_ALEF
#: Tatweel (kashida) ـ: a stretching stroke, no letter; deleted from every view.
TATWEEL = "\u0640"
#: Quranic annotation marks U+06D6-U+06ED (small high ligatures, pause and sajdah signs).
QURANIC_MARKS = "\u06d6-\u06ed"
#: The three of them that are symbols, not marks over a letter (end of ayah ۝, rub el hizb ۞,
#: place of sajdah ۩): the matching view keeps them, since deleting them would join words.
QURANIC_SYMBOLS = "\u06dd\u06de\u06e9"
#: Honorific and small high signs U+0610-U+061A (sallallahou alayhe wassallam, alayhe
#: assallam, …, small fatha, damma, kasra), written over a word.
HONORIFIC_MARKS = "\u0610-\u061a"
#: Zero-width non-joiner and joiner: inside a word they shape letters, they do not split.
JOINERS = "\u200c\u200d"
#: Everything that may continue an Arabic word after a letter (the tokenizer's word class).
WORD_MARKS = HONORIFIC_MARKS + TATWEEL + HARAKAT + QURANIC_MARKS + JOINERS


def class_chars(body: str) -> list[str]:
    """The characters of a regular-expression class body (``a-c`` ranges and single chars),
    in code point order, for tables that need them one by one (str.translate)."""
    out: list[str] = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            out.extend(chr(c) for c in range(ord(body[i]), ord(body[i + 2]) + 1))
            i += 3
        else:
            out.append(body[i])
            i += 1
    return sorted(set(out))


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
    from rasd.text.normalize import norm  # normalize reads the mark classes from here

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
