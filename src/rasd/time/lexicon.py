"""The word lists of ``resources/time/``, loaded once and keyed by normalized word tuples.

Every language fact the time parser uses is one of these files (months, weekdays, relative
days, modifiers, units, numbers, cues…); each table carries its first-word index
(:attr:`Table.first`), built once with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rasd.resources import read_lines, read_tsv
from rasd.text.normalize import norm

Words = tuple[str, ...]


def _key(form: str) -> Words:
    return tuple(norm(form).split())


class Table(dict[Words, Any]):
    """One word list keyed by word tuples, with its first-word index: first word → (the
    remaining words, value), longest entries first. Built once when the table is made."""

    __slots__ = ("first",)

    def __init__(self, entries: dict[Words, Any]) -> None:
        super().__init__(entries)
        first: dict[str, list[tuple[Words, Any]]] = {}
        for key, value in sorted(self.items(), key=lambda kv: -len(kv[0])):
            first.setdefault(key[0], []).append((key[1:], value))
        self.first = first


@dataclass(frozen=True)
class Lexicon:
    """All word lists of ``resources/time/``, keyed by normalized word tuples."""

    months: dict[Words, tuple[str, int, int]]
    weekdays: dict[Words, int]
    reldays: dict[Words, int]
    modifiers: dict[Words, tuple[int, str]]
    pods: dict[Words, bool]
    units: dict[Words, tuple[str, int]]
    numbers: dict[Words, float | None]
    approx: dict[Words, bool]
    anchors: dict[Words, str]
    ordinals: dict[Words, int]
    periods: dict[Words, str]
    cues: dict[str, frozenset[str]]
    the_numbers: dict[Words, float | None] = field(default_factory=dict)  # الأربعة، العشرة
    starters: frozenset[str] = frozenset()  # every word an expression can begin with

    def __post_init__(self) -> None:
        for name in _TABLES:  # each word list carries its first-word index
            object.__setattr__(self, name, Table(getattr(self, name)))
        the = Table({("ال" + k[0], *k[1:]): v for k, v in self.numbers.items()})
        object.__setattr__(self, "the_numbers", the)
        tables = (self.months, self.weekdays, self.reldays, self.pods, self.units, self.numbers,
                  the, self.approx, self.anchors, self.ordinals, self.periods)
        first = {k[0] for t in tables for k in t} | {"ال" + k[0] for k in self.units}
        first |= {"يوم", "يومي", "هذا", "هذه", "شهر", "ال", "عام", "العام", "سنه", "السنه"}
        object.__setattr__(self, "starters", frozenset(first))


_TABLES = ("months", "weekdays", "reldays", "modifiers", "pods", "units", "numbers", "approx",
           "anchors", "ordinals", "periods")


@cache
def lexicon() -> Lexicon:
    """Load the word lists once."""
    base = "time/"

    def tsv(name: str) -> list[list[str]]:
        return [[c.strip() for c in row] for row in read_tsv(base + name)]

    numbers: dict[Words, float | None] = {}
    for form, value in tsv("numbers.tsv"):
        numbers[_key(form)] = None if value == "vague" else float(value)
    cues: dict[str, set[str]] = {}
    for form, kinds in tsv("cues.tsv"):
        cues.setdefault(norm(form), set()).update(kinds.split())
    return Lexicon(
        months={_key(f): (c, int(m), int(x)) for f, c, m, x in tsv("months.tsv")},
        weekdays={_key(f): int(d) for f, d in tsv("weekdays.tsv")},
        reldays={_key(f): int(d) for f, d in tsv("relative_days.tsv")},
        modifiers={_key(f): (int(d), s) for f, d, s in tsv("modifiers.tsv")},
        pods={_key(f): True for f in read_lines(base + "parts_of_day.txt")},
        units={_key(f): (u, int(n)) for f, u, n in tsv("units.tsv")},
        numbers=numbers,
        approx={_key(f): True for f in read_lines(base + "approx.txt")},
        anchors={_key(f): a for f, a in tsv("anchors.tsv")},
        ordinals={_key(f): int(d) for f, d in tsv("ordinals.tsv")},
        periods={_key(f): u for f, u in tsv("periods.tsv")},
        cues={k: frozenset(v) for k, v in cues.items()},
    )

