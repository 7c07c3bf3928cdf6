"""Hijri ↔ Gregorian conversion: the Umm al-Qura calendar, with the tabular one outside it.

Gulf and most Arab news date by the official Saudi Umm al-Qura calendar, whose months follow
moon sightings and cannot be computed by a formula; so its month starts (1343–1500 AH, i.e.
1924-08-01 … 2077-11-16) ship as data in ``resources/time/ummalqura.tsv`` (see PROVENANCE.md;
:func:`build_table` regenerates the file from the ``hijridate`` package, which is needed only
for that). Outside that range the arithmetic (tabular, "Kuwaiti" 30-year cycle) calendar is
used, which is within a day or two of the observed one.
"""

from __future__ import annotations

import bisect
from datetime import date, timedelta
from functools import cache

from rasd.resources import path, read_tsv

TABLE = "time/ummalqura.tsv"
_RJD_EPOCH = date(1858, 11, 16)  # Reduced Julian Day 0 (JDN 2400000)
# Tabular calendar (civil epoch): 1 Muharram 1 AH = 16 July 622 Julian = 19 July 622 in the
# proleptic Gregorian calendar Python's ``date`` uses.
_TABULAR_EPOCH = date(622, 7, 19).toordinal()
_LEAP = (2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29)


class HijriError(ValueError):
    """Not a valid Hijri date."""


@cache
def _table() -> tuple[int, tuple[int, ...]]:
    """(first Hijri year, month-start ordinals): 12 per year, plus one closing start."""
    first: int | None = None
    starts: list[int] = []
    for row in read_tsv(TABLE):
        year, rjds = int(row[0]), [int(x) for x in row[1:]]
        if first is None:
            first = year
        starts.extend((_RJD_EPOCH + timedelta(days=m)).toordinal() for m in rjds)
    if first is None:
        raise FileNotFoundError(TABLE)
    return first, tuple(starts)


# -- tabular (arithmetic) calendar ---------------------------------------------------------
def _tab_year_start(year: int) -> int:
    return _TABULAR_EPOCH + 354 * (year - 1) + (3 + 11 * year) // 30


def _tab_month_start(year: int, month: int) -> int:
    return _tab_year_start(year) + (59 * (month - 1) + 1) // 2


def _tab_month_length(year: int, month: int) -> int:
    if month == 12:
        return 30 if (year % 30) in _LEAP else 29
    return 30 if month % 2 == 1 else 29


# -- public API ----------------------------------------------------------------------------
def month_start(year: int, month: int) -> date:
    """First day (Gregorian) of Hijri ``month`` of ``year``."""
    if not 1 <= month <= 12:
        raise HijriError(f"Hijri month {month}")
    first, starts = _table()
    i = (year - first) * 12 + month - 1
    if 0 <= i < len(starts) - 1:
        return date.fromordinal(starts[i])
    return date.fromordinal(_tab_month_start(year, month))


def month_length(year: int, month: int) -> int:
    """Days in Hijri ``month`` of ``year`` (29 or 30)."""
    first, starts = _table()
    i = (year - first) * 12 + month - 1
    if 0 <= i < len(starts) - 1:
        return starts[i + 1] - starts[i]
    return _tab_month_length(year, month)


def to_gregorian(year: int, month: int, day: int) -> date:
    """The Gregorian date of Hijri ``day``/``month``/``year`` (raises :class:`HijriError`)."""
    if year < 1 or not 1 <= day <= month_length(year, month):
        raise HijriError(f"Hijri date {year}-{month}-{day}")
    return month_start(year, month) + timedelta(days=day - 1)


def month_interval(year: int, month: int) -> tuple[date, date]:
    """First and last Gregorian day of a Hijri month."""
    start = month_start(year, month)
    return start, start + timedelta(days=month_length(year, month) - 1)


def year_interval(year: int) -> tuple[date, date]:
    """First and last Gregorian day of a Hijri year."""
    return month_start(year, 1), month_interval(year, 12)[1]


def from_gregorian(d: date) -> tuple[int, int, int]:
    """The Hijri (year, month, day) of Gregorian ``d``."""
    first, starts = _table()
    o = d.toordinal()
    if starts[0] <= o < starts[-1]:
        i = bisect.bisect_right(starts, o) - 1
        return first + i // 12, i % 12 + 1, o - starts[i] + 1
    year = (30 * (o - _TABULAR_EPOCH) + 10646) // 10631
    while _tab_year_start(year + 1) <= o:
        year += 1
    while _tab_year_start(year) > o:
        year -= 1
    month = 1
    while month < 12 and _tab_month_start(year, month + 1) <= o:
        month += 1
    return year, month, o - _tab_month_start(year, month) + 1


def build_table() -> str:
    """Regenerate ``ummalqura.tsv`` from the ``hijridate`` package (a build-time tool only)."""
    from hijridate import ummalqura  # type: ignore[import-not-found]

    starts = ummalqura.MONTH_STARTS
    first = ummalqura.HIJRI_RANGE[0][0]
    lines = [
        "# Umm al-Qura calendar: Hijri year <TAB> first day of months 1-12 as Reduced Julian",
        "# Days (JDN - 2400000). The last line holds only the start of the month after the",
        "# range. Source: PROVENANCE.md",
    ]
    for k in range(0, len(starts) - 1, 12):
        lines.append("\t".join([str(first + k // 12), *map(str, starts[k:k + 12])]))
    lines.append(f"{first + (len(starts) - 1) // 12}\t{starts[-1]}")
    out = "\n".join(lines) + "\n"
    path(TABLE).write_text(out, encoding="utf-8")
    _table.cache_clear()
    return out
