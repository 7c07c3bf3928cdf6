"""Publication dates from metadata strings, Arabic datelines and URLs.

Every finder returns an ISO string (``YYYY-MM-DD``, or a full datetime with its offset when the
source gives one) or None; none guesses a year from a copyright line. Month names live in
``resources/dates/months.tsv``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache

from rasd.resources import read_lines, read_tsv
from rasd.text.normalize import norm

EARLIEST = date(1990, 1, 1)  # older dates in news metadata are placeholders (1970, 1900)


def plausible(day: date) -> bool:
    """A publication date between 1990 and tomorrow (clock skew), nothing else."""
    return EARLIEST <= day <= date.today() + timedelta(days=1)


def parse_iso(value: str) -> str | None:
    """``value`` as ISO 8601 (``Z``, ``+0400`` and a space separator accepted), or None.

    A date-only value stays a date; a datetime keeps its time and offset, because the offset
    says which local day the outlet meant (see :func:`best_timestamp`).
    """
    value = value.strip()
    if not re.match(r"\d{4}-\d\d-\d\d", value):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(value[:10])
        except ValueError:
            return None
        value = value[:10]
    if not plausible(parsed.date()):
        return None
    return parsed.date().isoformat() if len(value) == 10 else parsed.isoformat()


def best_timestamp(values: list[str]) -> str | None:
    """The publication timestamp to keep among the page's machine-readable ones.

    Sites often give the same instant twice: in UTC (``article:published_time``) and in local
    time (JSON-LD ``datePublished`` with ``+02:00``). The local one is preferred because the
    day the outlet means is the local day (23:59 UTC on the 24th is the 25th in Cairo). After
    that, one with a time beats a bare date.
    """
    parsed = [p for p in (parse_iso(v) for v in values) if p]
    if not parsed:
        return None

    def rank(iso: str) -> int:
        if len(iso) == 10:
            return 0
        offset = datetime.fromisoformat(iso).utcoffset()
        return 2 if offset else 1  # None (naive) and zero offset rank the same

    return max(parsed, key=rank)  # max keeps the first of equal rank


@cache
def _month_table() -> tuple[dict[str, int], re.Pattern[str]]:
    months: dict[str, int] = {}
    for row in read_tsv("dates/months.tsv"):
        if len(row) >= 3 and row[1] == "g":
            months[norm(row[0]).casefold()] = int(row[2])
    names = "|".join(re.escape(n) for n in sorted(months, key=len, reverse=True))
    # "24 نيسان / أبريل 2020", "07 أكتوبر 2020", "ديسمبر 25, 2020", "1 / 12 / 2020", "2020/02/09"
    pattern = re.compile(
        rf"(?<!\d)(?P<d1>\d{{1,2}})\s*[-/.]?\s*(?P<m1>{names})"
        rf"(?:\s*[/(-]\s*(?:{names})\s*\)?)?\s*[,،]?\s*(?P<y1>\d{{4}})(?!\d)"
        rf"|(?P<m2>{names})\s+(?P<d2>\d{{1,2}})\s*[,،]\s*(?P<y2>\d{{4}})(?!\d)"
        r"|(?<![\d/.-])(?P<d3>\d{1,2})\s*(?P<s3>[/.-])\s*(?P<m3>\d{1,2})\s*(?P=s3)\s*"
        r"(?P<y3>\d{4})(?!\d)"
        r"|(?<![\d/.-])(?P<y4>\d{4})(?P<s4>[/.-])(?P<m4>\d{1,2})(?P=s4)(?P<d4>\d{1,2})(?![\d/.-])",
        re.IGNORECASE,
    )
    return months, pattern


def find_date(text: str) -> str | None:
    """The first plausible calendar date written in ``text`` (day-first, as Arabic papers write)."""
    months, pattern = _month_table()
    for m in pattern.finditer(norm(text).casefold()):
        try:
            if m["m1"]:
                day = date(int(m["y1"]), months[m["m1"]], int(m["d1"]))
            elif m["m2"]:
                day = date(int(m["y2"]), months[m["m2"]], int(m["d2"]))
            elif m["d3"]:
                day = date(int(m["y3"]), int(m["m3"]), int(m["d3"]))
            else:
                day = date(int(m["y4"]), int(m["m4"]), int(m["d4"]))
        except ValueError:
            continue
        if plausible(day):
            return day.isoformat()
    return None


@cache
def _cues() -> re.Pattern[str]:
    words = sorted((norm(c).casefold() for c in read_lines("dates/published_cues.txt")),
                   key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + ")")


def find_published_line(lines: list[str]) -> str | None:
    """A date on a "published on …" line (``تم نشره الجمعة 24 نيسان 2020``), or None."""
    cues = _cues()
    for line in lines:
        if len(line) <= 120 and cues.search(norm(line).casefold()):
            found = find_date(line)
            if found:
                return found
    return None


_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(?:[A-Za-z_-]+/)?(\d{1,2})/(\d{1,2})(?=/|$)"
                       r"|[/_-]((?:19|20)\d\d)-(\d\d)-(\d\d)(?=[/_.-]|$)")


def url_date(url: str | None) -> str | None:
    """A ``/2013/middle_east/8/3/`` or ``/2020-06-03-…`` date in a URL path, or None."""
    if not url:
        return None
    for m in _URL_DATE.finditer(url.split("?", 1)[0]):
        y, mo, d = (m[1], m[2], m[3]) if m[1] else (m[4], m[5], m[6])
        try:
            day = date(int(y), int(mo), int(d))
        except ValueError:
            continue
        if plausible(day):
            return day.isoformat()
    return None


def to_published(value: object) -> str | None:
    """A record's date field as ISO: ISO strings as they are, else an Arabic dateline."""
    if not isinstance(value, str) or not value.strip():
        return None
    return parse_iso(value) or find_date(value)
