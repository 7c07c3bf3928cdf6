"""The event-trigger lexicon, indexed by normalized form (data in ``resources/events/``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rasd.resources import read_tsv
from rasd.text.arabic import expand
from rasd.text.normalize import norm


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    mode: str | None
    kind: str  # "verb" | "noun" | "phrase"
    preps: tuple[str, ...]  # normalized target prepositions; "=" marks a direct object
    actor_preps: tuple[str, ...] = ()  # prepositions that introduce the actor (من for AID)


@dataclass(frozen=True)
class TriggerLexicon:
    words: dict[str, Trigger]
    phrases: list[tuple[tuple[str, ...], Trigger]]  # longest first
    status: dict[tuple[str, ...], str]


def _preps(col: str) -> tuple[str, ...]:
    return tuple(p if p == "=" else norm(p) for p in col.split(",") if p and p != "-")


@cache
def trigger_lexicon() -> TriggerLexicon:
    words: dict[str, Trigger] = {}
    for row in read_tsv("events/triggers.tsv"):
        etype, mode, past, impf, nouns, extra, preps, actor_preps = (row + ["-"] * 8)[:8]
        m = None if mode == "-" else mode
        p, ap = _preps(preps), _preps(actor_preps)
        for form, kind in expand(past, impf, "-").items():
            words.setdefault(norm(form), Trigger(etype, m, kind, p, ap))
        for form in extra.split():
            if form != "-":
                words.setdefault(norm(form), Trigger(etype, m, "verb", p, ap))
        for form in nouns.split():
            if form != "-":
                words.setdefault(norm(form), Trigger(etype, m, "noun", p, ap))
    phrases = []
    for row in read_tsv("events/phrases.tsv"):
        etype, mode, text, preps = (row + ["-"] * 4)[:4]
        key = tuple(w if w.endswith("*") and not w[:-1] else
                    (norm(w[:-1]) + "*" if w.endswith("*") else norm(w)) for w in text.split())
        phrases.append((key, Trigger(etype, None if mode == "-" else mode, "phrase",
                                     _preps(preps))))
    phrases.sort(key=lambda kv: -len(kv[0]))
    status = {tuple(norm(w) for w in text.split()): kind
              for kind, text in read_tsv("events/status.tsv")}
    return TriggerLexicon(words, phrases, status)
