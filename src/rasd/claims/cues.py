"""The reporting-cue lexicon: verbs in their persons and tenses, nouns, attribution phrases.

All language knowledge is read from ``resources/claims/`` (and the prepositions with a pronoun
from ``resources/arabic/``) once; this module only expands the compact verb table into surface
forms (``rasd.text.arabic.expand``) and indexes everything by the normalized view, so a token is
matched with a dictionary lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rasd.resources import read_lines, read_tsv
from rasd.text import arabic
from rasd.text.arabic import expand
from rasd.text.normalize import norm


@dataclass(frozen=True, slots=True)
class Cue:
    lemma: str
    stance: str
    kind: str  # "verb" | "participle" | "noun" | "phrase"
    complement: str | None = None  # preposition opening the content (أعرب عن)


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, Cue]  # normalized single-token forms
    phrases: dict[tuple[str, ...], Cue]  # normalized multi-token attribution phrases
    channels: dict[tuple[str, ...], str]
    anonymous: frozenset[str]
    max_phrase: int
    prep_pronouns: frozenset[str] = frozenset()  # له، بها، إليها: skipped before a subject


@cache
def lexicon() -> Lexicon:
    words: dict[str, Cue] = {}
    for row in read_tsv("claims/cues.tsv"):
        row += ["-"] * (8 - len(row))
        lemma, stance, past, impf, part, nouns, extra, comp = row[:8]
        complement = norm(comp) if comp != "-" else None
        for form, kind in expand(past, impf, part).items():
            words.setdefault(norm(form), Cue(lemma, stance, kind, complement))
        for form in nouns.split():
            if form != "-":
                words.setdefault(norm(form), Cue(lemma, stance, "noun", complement))
        for form in extra.split():
            if form != "-":
                kind = "participle" if form.endswith(("ا", "ة")) and form[0] in "مدنر" \
                    else "verb"
                words.setdefault(norm(form), Cue(lemma, stance, kind, complement))
    phrases: dict[tuple[str, ...], Cue] = {}
    for phrase, stance in read_tsv("claims/phrases.tsv"):
        key = tuple(norm(w) for w in phrase.split())
        phrases[key] = Cue(phrase, stance, "phrase")
    channels = {tuple(norm(w) for w in phrase.split()): channel
                for channel, phrase in read_tsv("claims/channels.tsv")}
    anonymous = frozenset(norm(w) for w in read_lines("claims/anonymous.txt"))
    longest = max(len(k) for k in (*phrases, *channels))
    preps = arabic.words("prep_pronoun", tag="verb_gap")
    return Lexicon(words, phrases, channels, anonymous, longest, preps)
