"""Readable romanization of Arabic names that the knowledge base does not know.

Not a reversible scheme (Buckwalter, ISO 233): the goal is an English label a reader
recognises — "غسان سلامة" → "Ghassan Salama", "أوليفر أوفيتشا" → "Olifar Ofitsha". Common
given names and name parts come from a table (``resources/arabic/name_spellings.tsv``) in their
usual English spelling; other words go letter by letter (``romanization.tsv``), with a short
vowel put where Arabic script leaves it out (between the first two consonants of a word and
between its last two).
"""

from __future__ import annotations

import re

from rasd.resources import read_tsv
from rasd.text.marks import HARAKAT, TATWEEL

_DIACRITICS = re.compile(f"[{HARAKAT}{TATWEEL}]")

# Usual English spellings of common name words (normalized keys: ا for أإآ, ي for ى) and the
# Latin rendering of each consonant letter: resources/arabic/name_spellings.tsv, romanization.tsv.
_NAMES = {k: v for k, v in read_tsv("arabic/name_spellings.tsv")}
_LETTERS = {k: v for k, v in read_tsv("arabic/romanization.tsv")}
_VOWEL_LETTERS = set("اويىآأإ")


def _units(word: str) -> list[tuple[str, bool]]:
    """Latin units of an Arabic word with a flag: True for a vowel."""
    out: list[tuple[str, bool]] = []
    n = len(word)
    for i, ch in enumerate(word):
        prev_vowel = bool(out) and out[-1][1]
        nxt = word[i + 1] if i + 1 < n else ""
        if ch in "أإآا" and i == 0:
            if ch == "إ":
                out.append(("i", True))
            elif nxt == "و":
                out.append(("o", True))
            elif nxt == "ي" and ch != "آ":
                out.append(("a", True))
            else:
                out.append(("a", True))
        elif ch in "اآى":
            if not prev_vowel or ch != "ا" or not out:
                out.append(("a", True))
        elif ch in "أإ":
            out.append(("'", False))
        elif ch == "و":
            if i == 0 or (nxt in _VOWEL_LETTERS and nxt != "" and nxt != "و") and not (
                    i == 1 and word[0] in "أا"):
                out.append(("w", False))
            elif i == 1 and word[0] in "أا":
                continue  # أو: already "o"
            else:
                out.append(("o" if i == n - 1 else "u", True))
        elif ch == "ي":
            if i == 0 or (prev_vowel and i < n - 1) or nxt in ("ا", "و"):
                out.append(("y", False))
            else:
                out.append(("i", True))
        elif ch == "ة":
            if not prev_vowel:
                out.append(("a", True))
        elif ch in _LETTERS:
            if ch == "ع" and i == 0:
                out.append(("a", True))
            else:
                out.append((_LETTERS[ch], False))
    return out


# Consonant pairs that English spelling allows at the end of a word (ريكس → Riks); any other
# final pair gets a short vowel (حفتر → Haftar).
_END_OK = {"ld", "mb", "nd", "nt", "st", "rd", "rt", "rk", "ks", "ns", "sk", "lt", "lm", "rm",
           "rn", "rs", "nk", "ng", "ts", "ms", "ls", "rg"}


def _word(word: str) -> str:
    units = _units(word)
    if not units:
        return ""
    has_vowel = any(v for _, v in units)
    # A short vowel where Arabic script leaves it out: between the first two consonants and
    # the last two (unless English allows that final pair and the word has a vowel letter),
    # and before the third consonant of a run.
    if len(units) >= 2 and not units[0][1] and not units[1][1]:
        units.insert(1, ("a", True))
    if len(units) >= 3 and not units[-1][1] and not units[-2][1]:
        if not (has_vowel and units[-2][0] + units[-1][0] in _END_OK):
            units.insert(len(units) - 1, ("a", True))
    i, run = 0, 0
    while i < len(units):
        run = 0 if units[i][1] else run + 1
        if run == 3:
            units.insert(i, ("a", True))
            run = 0
        i += 1
    text = "".join(u for u, _ in units).strip("'")
    text = re.sub(r"(.)\1\1+", r"\1\1", text)
    return text


def transliterate(name: str) -> str:
    """A readable Latin rendering of an Arabic name ("غسان سلامة" → "Ghassan Salama")."""
    clean = _DIACRITICS.sub("", name)
    out: list[str] = []
    for raw in clean.split():
        w = raw.replace("ى", "ي")
        key = re.sub("[أإآ]", "ا", w)
        if key in _NAMES:
            out.append(_NAMES[key])
            continue
        if key.startswith("عبدال") and len(key) > 5:
            out.append("Abd al-" + _word(w[5:]).capitalize())
            continue
        if key.startswith("ال") and len(key) > 3:
            rest = key[2:]
            body = _NAMES.get(rest) or _word(w[2:]).capitalize()
            out.append("al-" + body)
            continue
        if not re.search("[\u0600-\u06ff]", w):
            out.append(w)
            continue
        out.append(_word(w).capitalize())
    text = " ".join(t for t in out if t)
    return text[:1].upper() + text[1:]
