"""Date arithmetic for time expressions: publication dates, ISO values, and which yearly
recurrence or weekday a partial date means (see :mod:`rasd.time.parser` for the rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from rasd.time.hijri import from_gregorian, month_interval, to_gregorian

# Unit → (ISO designator, time part?) and how a fraction of it is re-expressed.
_ISO = {"MIN": ("M", True), "H": ("H", True), "D": ("D", False), "W": ("W", False),
        "M": ("M", False), "Y": ("Y", False)}
_SMALLER = {"H": ("MIN", 60), "D": ("H", 24), "W": ("D", 7), "Y": ("M", 12),
            "DEC": ("Y", 10), "CEN": ("Y", 100)}


def parse_published(published: str | None) -> datetime | None:
    """The publication moment from an ISO date or date-time string (None if unreadable)."""
    if not published:
        return None
    s = published.strip().replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(s)
    except ValueError:
        try:
            return datetime.fromisoformat(s[:10])
        except ValueError:
            return None


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)


def iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def interval(a: date, b: date) -> str:
    return f"{a.isoformat()}/{b.isoformat()}"


def iso_duration(amount: float, unit: str) -> str:
    """ISO 8601 duration; fractions move to the next smaller unit when that is exact."""
    while amount != int(amount) and unit in _SMALLER:
        unit, factor = _SMALLER[unit]
        amount *= factor
    if unit == "DEC":
        unit, amount = "Y", amount * 10
    elif unit == "CEN":
        unit, amount = "Y", amount * 100
    n = int(amount) if amount == int(amount) else round(amount, 3)
    designator, is_time = _ISO[unit]
    return f"PT{n}{designator}" if is_time else f"P{n}{designator}"


def ago(pub: datetime, amount: float, unit: str) -> str | None:
    """The point ``amount`` units before publication, at the unit's precision."""
    if amount != int(amount):
        return None
    n = int(amount)
    if unit in ("MIN", "H"):
        return (pub - timedelta(hours=n if unit == "H" else 0,
                                minutes=n if unit == "MIN" else 0)).date().isoformat()
    d = pub.date()
    if unit == "D":
        return (d - timedelta(days=n)).isoformat()
    if unit == "W":
        return (d - timedelta(weeks=n)).isoformat()
    if unit == "M":
        return add_months(d, -n).isoformat()[:7]
    years = n * {"Y": 1, "DEC": 10, "CEN": 100}[unit]
    return str(d.year - years)


def nearest_weekday(anchor: date, iso_wd: int, direction: int, inclusive: bool) -> date:
    """The weekday nearest ``anchor`` in ``direction`` (-1 back, 1 forward)."""
    if direction >= 0:
        delta = (iso_wd - anchor.isoweekday()) % 7
        if delta == 0 and not inclusive:
            delta = 7
        return anchor + timedelta(days=delta)
    delta = (anchor.isoweekday() - iso_wd) % 7
    if delta == 0 and not inclusive:
        delta = 7
    return anchor - timedelta(days=delta)


def pick_recurrence(cands: list[tuple[date, date, Any]], pub: date, direction: int | None,
          future: bool = False) -> Any:
    """Choose among yearly recurrences (start, end, payload) of a partial date.

    ``direction`` -1: the latest that ended before publication (…الماضي); 1: the earliest
    that starts after it (…المقبل); None: news reports the past, so the latest that started
    on or before publication, or with a future cue before it (سوف، المقرر) the earliest that
    has not ended; 0: the one containing or nearest to publication.
    """
    cands = sorted(cands, key=lambda c: c[0])
    if direction == -1:
        past = [c for c in cands if c[1] < pub]
        return past[-1][2] if past else None
    if direction == 1:
        later = [c for c in cands if c[0] > pub]
        return later[0][2] if later else None
    if direction is None:
        if future:
            later = [c for c in cands if c[1] >= pub]
            return later[0][2] if later else None
        past = [c for c in cands if c[0] <= pub]
        return past[-1][2] if past else None

    def dist(c: tuple[date, date, Any]) -> int:
        if c[0] <= pub <= c[1]:
            return 0
        return min(abs((c[0] - pub).days), abs((c[1] - pub).days))

    return min(cands, key=dist)[2]



@dataclass(slots=True)
class CalDate:
    """A parsed calendar date (some parts may be missing)."""

    end: int
    offset: int
    cal: str
    month: int
    day: int | None
    year: int | None
    direction: int | None  # modifier or relative year: -1, 0, 1
    future: bool = False  # a future cue (سوف، المقرر …) comes before it in the sentence



def resolve_caldate(c: CalDate, day: date | None) -> str | None:
    """The value of a calendar date; partial ones are resolved against the publication
    ``day`` (None: no value)."""
    try:
        if c.year is not None:
            if c.cal == "g":
                if c.day is None:
                    return f"{c.year:04d}-{c.month:02d}"
                return date(c.year, c.month, c.day).isoformat()
            if c.day is None:
                return interval(*month_interval(c.year, c.month))
            return to_gregorian(c.year, c.month, c.day).isoformat()
        if day is None:
            return None
        pub = day
        cands: list[tuple[date, date, Any]] = []
        if c.cal == "g":
            for y in (pub.year - 1, pub.year, pub.year + 1):
                if c.day is None:
                    a = date(y, c.month, 1)
                    b = add_months(a, 1) - timedelta(days=1)
                    cands.append((a, b, f"{y:04d}-{c.month:02d}"))
                else:
                    try:
                        d = date(y, c.month, c.day)
                    except ValueError:
                        continue
                    cands.append((d, d, d.isoformat()))
            if c.direction == 0:
                cands = [x for x in cands if x[0].year == pub.year]
        else:
            hy = from_gregorian(pub)[0]
            for y in (hy - 1, hy, hy + 1):
                if c.day is None:
                    a, b = month_interval(y, c.month)
                    cands.append((a, b, interval(a, b)))
                else:
                    try:
                        d = to_gregorian(y, c.month, c.day)
                    except ValueError:
                        continue
                    cands.append((d, d, d.isoformat()))
            if c.direction == 0:
                cands = [x for x in cands if from_gregorian(x[0])[0] == hy]
        if not cands:
            return None
        if c.day is None and c.cal == "g" and c.direction == -1:
            # يونيو الماضي: the latest June before the publication month
            past = [x for x in cands if x[1] < date(pub.year, pub.month, 1)]
            return past[-1][2] if past else None
        return pick_recurrence(cands, pub, c.direction, c.future)
    except ValueError:
        return None
