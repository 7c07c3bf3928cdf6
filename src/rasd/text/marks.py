"""The Arabic diacritic classes, as regular-expression class bodies (``f"[{HARAKAT}]"``).

One definition for every rule that deletes, keeps or skips marks (the normalizer, the tokenizer,
transliteration, the KB build, the evaluation readers); each constant says which marks it
covers. Two widths exist because two jobs exist: the matching view deletes :data:`HARAKAT` and
:data:`TATWEEL` (and the Quranic annotation marks that combine), while a *token* must also keep
every mark that can sit inside a written word (:data:`WORD_MARKS`), or a word with an honorific
sign or a Quranic mark would be cut in two. The gold-file reader of ``rasd.eval.gold`` strips
only :data:`VOWEL_MARKS` (with the dagger alef and tatweel), as it always has: widening it would
change how gold names are compared, a scoring change. A module of its own, imported by
``rasd.text.normalize``, so the function words (``rasd.text.arabic``, which needs the
normalizer) can sit above it.
"""

from __future__ import annotations

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
#: The three of them that are signs, not combining marks (end of ayah ۝, rub el hizb ۞, place
#: of sajdah ۩; Unicode Cf/So): the matching view keeps them, the tokenizer keeps them in a word.
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
