"""Find time expressions in Arabic news and resolve them to ISO 8601 values.

Why rules and not dateparser: dateparser returns strings without offsets, has no durations
or Hijri dates, misses منذ أسبوع and Levantine months under ``ar`` and reads a bare weekday
as the coming one (docs/evaluation.md, "Time expressions"). The rules here are small and the
language knowledge is data: every word list is a file in ``resources/time/``.

Matching runs on the normalized view (:func:`rasd.text.normalize.normalize`) split into word,
number and punctuation tokens; matches map back to exact original offsets.

Span conventions (also those of the gold in ``rasd/eval/data/times_gold.json``):

* a clitic prefix و ف ب ل ك on the first word is left *outside* (والاثنين → الاثنين,
  بالأمس → الأمس), except ل fused with the article (للعام الماضي), which stays inside;
* prepositions before a date stay outside (في، منذ 2011، حتى، خلال، لمدة), but منذ/قبل/بعد
  directly before a duration are inside: they make "a week ago" / "after 80 days";
* approximators (نحو، أكثر من), يوم before a weekday, parts of the day (مساء أمس), the
  paired month name (يوليو (تموز)), the year word (عام 2013) and the calendar mark (هـ، م)
  are inside; modifiers such as مطلع/نهاية/منتصف are outside.

Values (``Time.value``):

* a day ``2019-06-24``, a month ``2019-06``, a year ``2019``, an ISO week ``2019-W25``;
* a Hijri month or year without a day: the Gregorian interval ``2015-06-18/2015-07-16``;
* a duration: ``P80D``, ``P3M``, ``P2W``, ``PT72H`` — for counted spans not anchored to the
  publication date, including بعد + duration (its anchor is usually an event named after
  it) and قبل + duration + من/على (before an event);
* منذ/قبل + duration (anchored to publication): the day, month or year that long before
  publication, at the unit's precision (منذ أسبوع → a day, منذ 3 أشهر → a month);
* relative words (أمس، الأحد، الأسبوع الماضي، يونيو الماضي، 7 شوال) need the publication date;
  without one the value is null and the text is kept. Absolute dates resolve regardless;
* a bare weekday is the latest such day on or before publication (news reports the past);
  with الماضي strictly before it, with المقبل/القادم strictly after. With أمس/اليوم
  (أمس الأحد) the weekday wins over the day count, because scraped "publication" dates often
  lag by a day or two;
* vague spans (منذ أيام، الأيام المقبلة، بضعة أشهر) are found with a null value.

Not covered: clock times (الساعة 10 صباحا), seasons, decades as periods (العقد الماضي),
holidays (عيد الفطر), vague adverbs (مؤخرا، حاليا، الآن).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from rasd.memo import BoundedMemo
from rasd.time.hijri import from_gregorian, to_gregorian, year_interval
from rasd.time.lexicon import Table, lexicon
from rasd.time.resolve import (
    CalDate,
    add_months,
    ago,
    interval,
    iso_duration,
    iso_week,
    nearest_weekday,
    resolve_caldate,
)

_TOKEN = re.compile(r"\d+|[^\W\d_]+|[^\s\w]")
_SEPS = frozenset("/-–—.\\")
_OPEN_CLOSE = {"(": ")", '"': '"', "'": "'"}
_GREG = range(1900, 2101)
_HIJRI = range(1300, 1501)


@dataclass(slots=True)
class _Match:
    end: int  # token index after the match
    offset: int  # characters of clitic to skip in the first token
    value: str | None



def clitic_keys(word: str) -> list[tuple[str, int]]:
    """The word and its readings without a clitic prefix: (key, chars left out of the span)."""
    out = [(word, 0)]
    rest, off = word, 0
    if len(rest) > 2 and rest[0] in "وف":
        rest, off = rest[1:], 1
        out.append((rest, off))
    if len(rest) > 2 and rest[0] in "بلك":
        if rest.startswith("لل") and len(rest) > 3:
            out.append(("ا" + rest[1:], off))  # للعام = ل + العام: keep the fused ل inside
        out.append((rest[1:], off + 1))
    return out


@lru_cache(maxsize=4)
def _can_start(starters: frozenset[str]) -> BoundedMemo:
    """word → can an expression begin at it, once per word form, not per token (most words
    start nothing); one memo per set of starting words (keyed by the set's value)."""
    return BoundedMemo(lambda w: w.isdecimal() or any(k in starters for k, _ in clitic_keys(w)))


class Parser:
    def __init__(self, view: str, pub: datetime | None) -> None:
        self.lex = lexicon()
        self.view = view
        # Match objects, not one object per token: offsets are read only around matches.
        self.spans = list(_TOKEN.finditer(view))
        self.words = [m[0] for m in self.spans]
        self.n = len(self.words)
        self.pub = pub
        self.day = pub.date() if pub else None
        self._keys: dict[int, list[tuple[str, int]]] = {}

    # -- token helpers ------------------------------------------------------------------
    def word(self, i: int) -> str:
        return self.words[i] if 0 <= i < self.n else ""

    def joined(self, i: int) -> bool:
        """Token ``i`` continues token ``i - 1`` (same line, at most three spaces between)."""
        return 0 < i < self.n and self._joined(i)

    def _joined(self, i: int) -> bool:
        """Token ``i`` (> 0) is on the line of token ``i - 1``, at most three spaces after it
        (asked only around candidate expressions, so not computed for every token)."""
        gap = self.view[self.spans[i - 1].end():self.spans[i].start()]
        return len(gap) <= 3 and "\n" not in gap

    def keys(self, i: int) -> list[tuple[str, int]]:
        """Clitic readings of token ``i`` (cached)."""
        if not 0 <= i < self.n:
            return []
        out = self._keys.get(i)
        if out is None:
            out = self._keys[i] = clitic_keys(self.words[i])
        return out

    def phrase(self, i: int, table: Table, first: bool) -> tuple[Any, int, int] | None:
        """Longest entry of ``table`` at token ``i``: (value, end, clitic offset)."""
        if i >= self.n:
            return None
        idx = table.first
        best: tuple[Any, int, int] | None = None
        for key, off in (self.keys(i) if first else [(self.words[i], 0)]):
            for rest, value in idx.get(key, ()):
                end = i + 1 + len(rest)
                if best is not None and end <= best[1]:
                    break
                if end > self.n or any(
                        not self._joined(i + 1 + k) or self.words[i + 1 + k] != w
                        for k, w in enumerate(rest)):
                    continue
                best = (value, end, off)
                break
        return best

    def is_word(self, i: int, *words: str) -> bool:
        return i < self.n and self.joined(i) and self.words[i] in words

    def number(self, i: int) -> int | None:
        w = self.word(i)
        return int(w) if w.isdecimal() and len(w) <= 6 else None

    def year_at(self, i: int) -> tuple[int, str | None, int] | None:
        """A 4-digit year at ``i`` with its calendar mark: (year, 'g'|'h'|None, end)."""
        w = self.word(i)
        if not (w.isdecimal() and len(w) == 4):
            return None
        j, cal = i + 1, None
        mark = self.word(j)
        if self.joined(j) and mark in ("ه", "هجري", "هجريه", "للهجره"):
            j, cal = j + 1, "h"
        elif self.joined(j) and mark in ("م", "ميلادي", "ميلاديه", "للميلاد"):
            j, cal = j + 1, "g"
        if self.is_word(j, *_SEPS) and self.number(j + 1) is not None:
            return None  # part of a numeric date or a range of digits
        return int(w), cal, j

    def modifier(self, i: int, plural: bool) -> tuple[int, int] | None:
        if i >= self.n or not self.joined(i):
            return None
        hit = self.phrase(i, self.lex.modifiers, False)
        if hit is None:
            return None
        (direction, scope), j, _ = hit
        if scope == "plural" and not plural:
            return None
        return direction, j

    def future_before(self, i: int, window: int = 8) -> bool:
        """A future cue (سوف، المقرر، ستعقد …) among the few words before ``i``, same sentence."""
        for k in range(i - 1, max(i - 1 - window, -1), -1):
            w = self.words[k]
            if w in (".", "!", "?", "؟", "؛", ":") or not self.joined(k + 1):
                return False
            if any("future" in self.lex.cues.get(key, ()) for key, _ in clitic_keys(w)):
                return True
        return False

    def cue_before(self, i: int, kind: str) -> bool:
        if i <= 0:
            return False
        return any(kind in self.lex.cues.get(k, ()) for k, _ in self.keys(i - 1))

    # -- rules --------------------------------------------------------------------------
    def parse(self) -> list[tuple[int, int, str | None]]:
        """(view start, view end, value) of every expression, left to right, longest first."""
        out: list[tuple[int, int, str | None]] = []
        after = 0  # token index after the last expression found
        rules = (self.numeric_date, self.day_expr, self.calendar_date, self.year,
                 self.period, self.duration)
        can_start = _can_start(self.lex.starters)
        for k in [k for k, w in enumerate(self.words) if can_start(w)]:
            if k < after:
                continue  # inside the expression found before
            best: _Match | None = None
            for rule in rules:
                m = rule(k)
                if m is not None and (best is None or m.end > best.end):
                    best = m
            if best is not None:
                out.append((self.spans[k].start() + best.offset,
                            self.spans[best.end - 1].end(), best.value))
                after = best.end
        return out

    def numeric(self, i: int) -> tuple[int, str | None, int] | None:
        """d/m/y or y/m/d in digits, with an optional calendar mark: (ordinal date…)."""
        a, b, c = self.number(i), self.number(i + 2), self.number(i + 4)
        if a is None or b is None or c is None:
            return None
        sep1, sep2 = self.word(i + 1), self.word(i + 3)
        if sep1 not in _SEPS or sep1 != sep2:
            return None
        if not all(self.joined(k) for k in range(i + 1, i + 5)):
            return None
        if self.is_word(i + 5, *_SEPS) and self.number(i + 6) is not None:
            return None
        if len(self.word(i)) == 4:
            y, m, d = a, b, c
        elif len(self.word(i + 4)) == 4:
            d, m, y = a, b, c
        else:
            return None
        j, cal = i + 5, None
        if self.is_word(j, "ه", "هجري", "هجريه", "للهجره"):
            j, cal = j + 1, "h"
        elif self.is_word(j, "م", "ميلادي", "ميلاديه"):
            j, cal = j + 1, "g"
        if cal is None:
            cal = "h" if y in _HIJRI else "g" if y in _GREG else None
        try:
            if cal == "h":
                value = to_gregorian(y, m, d)
            elif cal == "g":
                value = date(y, m, d)
            else:
                return None
        except ValueError:
            return None
        return value.toordinal(), cal, j

    def numeric_date(self, i: int) -> _Match | None:
        hit = self.numeric(i)
        if hit is None:
            return None
        return _Match(hit[2], 0, date.fromordinal(hit[0]).isoformat())

    def month_name(self, i: int, first: bool) -> tuple[tuple[str, int, int], int, int] | None:
        return self.phrase(i, self.lex.months, first)

    def caldate(self, i: int, first: bool) -> CalDate | None:
        """[يوم] [day|ordinal] [من] [شهر] MONTH [alt] [year | من العام الماضي] [modifier]."""
        lex = self.lex
        j, off, day = i, 0, None
        started = False
        if self.word(j) and any(k == "يوم" for k, _ in (self.keys(j) if first
                                                         else [(self.word(j), 0)])):
            if self.number(j + 1) is not None and self.joined(j + 1):
                off = next(o for k, o in self.keys(j) if k == "يوم") if first else 0
                j, started = j + 1, True
        num = self.number(j)
        if num is not None and 1 <= num <= 31 and len(self.word(j)) <= 2:
            day, j, started = num, j + 1, True
        elif not started:
            hit = self.phrase(j, lex.ordinals, first)
            if hit is not None and (self.is_word(hit[1], "من")
                                    or self.month_name(hit[1], False) is not None):
                day, j, off, started = hit[0], hit[1], hit[2], True
        slashed = False
        if started and self.is_word(j, "من"):
            j += 1
        elif day is not None and self.is_word(j, "/", "-", "."):
            # 7 / يوليو /2015: only with a separator and a year after the month as well
            m = self.month_name(j + 1, False) if self.joined(j + 1) else None
            if m is not None and self.is_word(m[1], "/", "-", ".") and self.year_at(m[1] + 1):
                j, slashed = j + 1, True
        if started and not self.joined(j):
            return None
        shahr = False
        keys = self.keys(j) if (first and not started) else [(self.word(j), 0)]
        for k, o in keys:
            if k == "شهر" and self.month_name(j + 1, False) is not None:
                shahr = True
                if not started:
                    off = o
                j, started = j + 1, True
                break
        hit = self.month_name(j, first and not started)
        if hit is None:
            return None
        (cal, month, ctx), j, o = hit
        if not started:
            off = o
        paired = False
        # the other series' name: يوليو (تموز) / حزيران/يونيو / شباط - فبراير / يوليو تموز
        if self.is_word(j, "("):
            alt = self.month_name(j + 1, False)
            if alt and alt[0][:2] == (cal, month) and self.is_word(alt[1], ")"):
                j, paired = alt[1] + 1, True
        elif self.is_word(j, "/", "-", "–") and self.joined(j + 1):
            alt = self.month_name(j + 1, False)
            if alt and alt[0][:2] == (cal, month):
                j, paired = alt[1], True
        elif self.joined(j):
            alt = self.month_name(j, False)
            if alt and alt[0][:2] == (cal, month):
                j, paired = alt[1], True
        year, direction = None, None
        if slashed:
            j += 1  # the separator before the year
        k = j + 1 if self.is_word(j, "من") else j
        if self.joined(k) and self.word(k) in ("عام", "العام", "سنه", "السنه", "لعام", "لسنه"):
            y = self.year_at(k + 1) if self.joined(k + 1) else None
            if y is not None:
                year, j = y[0], y[2]
            elif self.word(k) in ("العام", "السنه") and k != j:
                mod = self.modifier(k + 1, False)
                if mod is not None:
                    direction, j = mod[0], mod[1]
                    if self.day is not None:
                        base = self.day.year if cal == "g" else from_gregorian(self.day)[0]
                        year = base + direction
        elif k != j and self.is_word(k, "هذا") and self.is_word(k + 1, "العام", "السنه"):
            direction, j = 0, k + 2
            if self.day is not None:
                year = (self.day.year if cal == "g" else from_gregorian(self.day)[0])
        elif k == j and self.joined(k):
            y = self.year_at(k)
            if y is not None and (y[0] in (_HIJRI if cal == "h" else _GREG)):
                year, j = y[0], y[2]
        if year is None and direction is None:
            mod = self.modifier(j, False)
            if mod is not None:
                direction, j = mod
        has_context = day is not None or year is not None or shahr or paired or (
            direction is not None)
        if ctx == 2 and not has_context:
            return None
        if ctx == 1 and not has_context and not self.cue_before(i, "month"):
            return None
        return CalDate(j, off, cal, month, day, year, direction, self.future_before(i))

    def calendar_date(self, i: int) -> _Match | None:
        c = self.caldate(i, True)
        if c is None:
            return None
        return _Match(c.end, c.offset, resolve_caldate(c, self.day))

    def weekday_at(self, i: int, first: bool) -> tuple[int, int | None, int, int] | None:
        """[يوم|يومي] WEEKDAY [modifier] [WEEKDAY]: (iso weekday, direction, end, offset)."""
        j, off = i, 0
        keys = self.keys(i) if first else [(self.word(i), 0)]
        for k, o in keys:
            if k in ("يوم", "يومي") and self.joined(i + 1):
                if self.phrase(i + 1, self.lex.weekdays, False) is not None:
                    j, off, first = i + 1, o, False
                    break
        start = j
        hit = self.phrase(j, self.lex.weekdays, first)
        if hit is None:
            return None
        wd, j, o = hit
        if first and self.word(start)[o:].startswith("لل"):
            return None  # للاثنين "to the two", not a weekday after a fused ل
        if self.word(start) == "الاثنين" and start == i and self.cue_before(
                start, "not_monday_before"):
            return None  # بين الاثنين "between the two"
        if start == i:
            off = o
        direction = None
        mod = self.modifier(j, False)
        if mod is not None:
            direction, j = mod
        else:
            # ليل الأحد الاثنين / ليل الأحد - الاثنين: a night across two days
            k = j + 1 if self.is_word(j, "-", "/", "–") else j
            nxt = self.phrase(k, self.lex.weekdays, False) if self.joined(k) else None
            if nxt is not None:
                j = nxt[1]
        return wd, direction, j, off

    def day_expr(self, i: int) -> _Match | None:
        """[part of day] [relative day] [weekday] [، | الموافق] [date]."""
        lex = self.lex
        j, off, first = i, 0, True
        pod = self.phrase(j, lex.pods, True)
        if pod is not None:
            j, off, first = pod[1], pod[2], False
            if self.is_word(j, "يوم") and self.phrase(j + 1, lex.weekdays, False) is None:
                j += 1
            if not self.joined(j):
                return None
        for k, o in (self.keys(j) if first else [(self.word(j), 0)]):
            if k == "يوم" and self.joined(j + 1) and self.phrase(j + 1, lex.reldays, False):
                if first:
                    off = o
                j, first = j + 1, False  # يوم أمس
                break
        rel = self.phrase(j, lex.reldays, first)
        rel_offset: int | None = None
        if rel is not None:
            key = tuple(self.words[j:rel[1]])
            bare_today = key[-1].endswith("ليوم")  # اليوم، لليوم، هذا اليوم
            after = self.word(rel[1]) if self.joined(rel[1]) else ""
            if bare_today and (
                    "not_today_after" in lex.cues.get(after, ())
                    or self.phrase(rel[1], lex.ordinals, False) is not None and after
                    or (j == i and self.cue_before(i, "not_today_before"))):
                rel = None
        if rel is not None:
            rel_offset = rel[0]
            if first:
                off = rel[2]
            j, first = rel[1], False
        wd = None
        k = j
        if rel is not None and self.word(k) in _OPEN_CLOSE and self.joined(k):
            inner = self.weekday_at(k + 1, False)
            if inner is not None and self.is_word(inner[2], _OPEN_CLOSE[self.word(k)]):
                wd, j = inner, inner[2] + 1
        if wd is None and (first or self.joined(k)):
            inner = self.weekday_at(k, first)
            if inner is not None:
                wd, j = inner, inner[2]
                if first:
                    off = inner[3]
                first = False
        if rel is None and wd is None:
            return None
        # a date written after the weekday: الخميس 14 – 10 – 1436 هـ / الاثنين الموافق 24 يونيو
        value: str | None = None
        k = j
        if self.is_word(k, "،", ","):
            k += 1
        if self.is_word(k, "الموافق"):
            k += 1
        if wd is not None and self.joined(k):
            num = self.numeric(k)
            if num is not None:
                value, j = date.fromordinal(num[0]).isoformat(), num[2]
            else:
                c = self.caldate(k, False)
                if c is not None and c.day is not None:
                    value, j = resolve_caldate(c, self.day), c.end
        if value is None and self.day is not None:
            anchor = self.day + timedelta(days=rel_offset or 0)
            if wd is not None:
                iso_wd, direction, _, _ = wd
                if direction is None and (rel_offset or 0) > 0 or (
                        direction is None and rel_offset is None and self.future_before(i)):
                    value = nearest_weekday(anchor, iso_wd, 1, True).isoformat()
                elif direction == 1:
                    value = nearest_weekday(anchor, iso_wd, 1, False).isoformat()
                elif direction == -1:
                    value = nearest_weekday(anchor, iso_wd, -1, False).isoformat()
                else:
                    value = nearest_weekday(anchor, iso_wd, -1, True).isoformat()
            else:
                value = anchor.isoformat()
        return _Match(j, off, value)

    def year(self, i: int) -> _Match | None:
        """عام 2013 / 2002م / 1436هـ / في 2015 (a bare year only after a cue word)."""
        off, j = 0, i
        for k, o in self.keys(i):
            if k in ("عام", "العام", "سنه", "السنه") and self.joined(i + 1):
                off, j = o, i + 1
                break
        y = self.year_at(j)
        if y is None:
            return None
        year, cal, end = y
        if j == i and cal is None and not self.cue_before(i, "year") and not (
                self.word(i - 1) == "و" and self.year_at(i - 2) is not None):
            return None
        if cal == "h" or (cal is None and j != i and year in _HIJRI):
            if year not in _HIJRI:
                return None
            return _Match(end, off, interval(*year_interval(year)))
        if year not in _GREG:
            return None
        return _Match(end, off, f"{year:04d}")

    def period(self, i: int) -> _Match | None:
        """الأسبوع الماضي / العام الجاري / هذا الشهر."""
        lex = self.lex
        j, off, demonstrative = i, 0, False
        for k, o in self.keys(i):
            if k in ("هذا", "هذه") and self.joined(i + 1):
                j, off, demonstrative = i + 1, o, True
                break
        hit = self.phrase(j, lex.periods, j == i)
        if hit is None:
            return None
        unit, end, o = hit
        if unit == "Y" and self.word(end - 1).endswith("العام") and any(
                k.startswith("ال") for k, _ in self.keys(j - 1)) and self.joined(j):
            return None  # الأمين العام السابق, الرأي العام: العام is "general" after a noun
        if j == i:
            off = o
        mod = self.modifier(end, False)
        if mod is not None and not demonstrative:
            direction, end = mod
        elif demonstrative:
            direction = 0
        else:
            return None
        if self.day is None:
            return _Match(end, off, None)
        d = self.day
        if unit == "W":
            value = iso_week(d + timedelta(weeks=direction))
        elif unit == "M":
            value = add_months(date(d.year, d.month, 1), direction).isoformat()[:7]
        else:
            value = f"{d.year + direction:04d}"
        return _Match(end, off, value)

    def quantity(self, i: int, first: bool) -> tuple[float | None, str, int, int, bool] | None:
        """A counted unit: (amount or None if vague, unit, end, offset, bare plural?)."""
        lex = self.lex
        num = self.number(i)
        if num is not None:
            unit = self.phrase(i + 1, lex.units, False) if self.joined(i + 1) else None
            if unit is None:
                return None
            return float(num), unit[0][0], unit[1], 0, False
        hit = self.phrase(i, lex.numbers, first)
        if hit is not None:
            unit = self.phrase(hit[1], lex.units, False) if self.joined(hit[1]) else None
            if unit is None:
                return None
            amount = hit[0]
            if amount is not None and amount < 1 and unit[0][1] != 1:
                return None
            return amount, unit[0][0], unit[1], hit[2], False
        unit = self.phrase(i, lex.units, first)
        if unit is None:
            return None
        (u, count), end, off = unit
        if count == 2:
            return 2.0, u, end, off, False
        if count == 1:
            if self.is_word(end, "واحد", "واحده"):
                return 1.0, u, end + 1, off, False
            return 1.0, u, end, off, True
        return None, u, end, off, True

    def duration(self, i: int) -> _Match | None:
        lex = self.lex
        j, off, first = i, 0, True
        anchor = self.phrase(i, lex.anchors, True)
        kind = None
        if anchor is not None and self.joined(i + 1):
            kind, j, off, first = anchor[0], anchor[1], anchor[2], False
        approx = self.phrase(j, lex.approx, first)
        if approx is not None and (first or self.joined(j)):
            if first:
                off = approx[2]
            j, first = approx[1], False
        article = self.the_quantity(j, first) if (first or self.joined(j)) else None
        if article is not None:
            amount, unit, end, o = article
            if first:
                off = o
            return _Match(end, off, None if amount is None else iso_duration(amount, unit))
        q = self.quantity(j, first) if (first or self.joined(j)) else None
        if q is None:
            return None
        amount, unit, end, o, bare = q
        if first:
            off = o
        if bare and amount is not None and self.is_word(end, "ونصف"):
            bare = False  # عام ونصف
        if bare and kind is None and approx is None:
            return None  # a lone يوم/شهر/أيام is not a time expression
        if bare and amount is None and kind is None:
            return None
        if self.year_at(end) is not None and self.joined(end):
            return None  # منذ عام 2013: the year rule takes it
        if amount is None and self.is_word(end, "قليله", "عديده", "طويله", "معدوده"):
            end += 1
        if amount is not None and self.is_word(end, "ونصف"):
            amount, end = amount + 0.5, end + 1
        if amount is None:
            return _Match(end, off, None)
        if kind == "ago" and (not self.is_word(end, "من", "علي", "عن")
                              or self.is_word(end + 1, "الان")):  # قبل شهر من الآن
            return _Match(end, off, None if self.pub is None else ago(self.pub, amount, unit))
        return _Match(end, off, iso_duration(amount, unit))

    def the_quantity(self, i: int, first: bool) -> tuple[float | None, str, int, int] | None:
        """Counted periods with the article, closed by a modifier.

        الأربعة الأشهر الماضية / الأشهر العشرة الماضية / الـ11 عاما الأخيرة /
        الساعات الـ24 الماضية / الأيام (القليلة) المقبلة / اليومين القادمين.
        """
        lex = self.lex
        keys = self.keys(i) if first else [(self.word(i), 0)]
        amount: float | None = None
        unit: str | None = None
        j, off = i, 0
        for k, o in keys:
            if k == "ال" and self.number(i + 1) is not None and self.joined(i + 1):
                u = self.phrase(i + 2, lex.units, False) if self.joined(i + 2) else None
                if u is not None:
                    amount, unit, j, off = float(self.number(i + 1) or 0), u[0][0], u[1], o
                    break
            if k.startswith("ال"):
                tn = lex.the_numbers.get((k,))
                if tn is not None and self.joined(i + 1):
                    w = self.word(i + 1)
                    u = lex.units.get((w[2:],)) if w.startswith("ال") else lex.units.get((w,))
                    if u is not None:
                        amount, unit, j, off = tn, u[0], i + 2, o
                        break
                u = lex.units.get((k[2:],)) if len(k) > 3 else None
                if u is not None and u[1] != 1:
                    unit, j, off = u[0], i + 1, o
                    amount = 2.0 if u[1] == 2 else None
                    if u[1] == 0 and self.joined(j):
                        tn = lex.the_numbers.get((self.word(j),))
                        if tn is not None:
                            amount, j = tn, j + 1
                        elif self.word(j) == "ال" and self.number(j + 1) is not None:
                            amount, j = float(self.number(j + 1) or 0), j + 2
                    if amount is None and self.is_word(j, "القليله"):
                        j += 1
                    break
        if unit is None:
            return None
        mod = self.modifier(j, True)
        if mod is None:
            if amount is not None and not self.word(j - 1).startswith("ال"):
                return amount, unit, j, off  # التسعين عاما: a definite count, no modifier
            return None
        return amount, unit, mod[1], off
