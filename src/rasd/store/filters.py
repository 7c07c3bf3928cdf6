"""The filters every search and list shares, checked and turned into SQL conditions.

``entity`` (a row id, a KB id, a name in any spelling a mention used), ``since``/``until``
(ISO dates, inclusive at their own precision), ``source``/``outlet`` (a part of an outlet's
name, in any of its names: ``resources/outlets.tsv``), ``min_confidence``, and the query's
FTS expression. The bottom layer of the searches: it imports no other search module.
"""

from __future__ import annotations

import re
import sqlite3
from functools import cache
from typing import Any, Protocol

from rasd.resources import read_tsv
from rasd.store import index
from rasd.store.errors import SearchError
from rasd.store.keys import name_norm
from rasd.text.normalize import norm

KINDS = ("documents", "events", "claims")
SEARCH_SORTS = ("relevance", "newest", "oldest")
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Readable(Protocol):
    """What a search reads through: a store's connection (:class:`rasd.store.Store`)."""

    @property
    def conn(self) -> sqlite3.Connection: ...


def check_date(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not _ISO.match(value):
        raise SearchError(f"{name}: expected an ISO date YYYY[-MM[-DD]], got {value!r}")
    return value


def _until_bound(value: str) -> str:
    """``until`` is inclusive at its own precision: 2019-06 takes all of June."""
    return value + "~"  # '~' sorts after every digit and '-'


def entity_ids(store: Readable, ref: str) -> list[int]:
    """Stored entities a person means by ``ref``: a row id, a KB id, or a name / alias."""
    conn = store.conn
    ref = ref.strip()
    if ref.isdigit():
        n = int(ref)
        if n > 2**63 - 1:  # no such row, and more than SQLite's integers hold
            return []
        return [r[0] for r in conn.execute("SELECT id FROM entities WHERE id = ?", (n,))]
    by_kb = [r[0] for r in conn.execute("SELECT id FROM entities WHERE kb_id = ?", (ref,))]
    if by_kb:
        return by_kb
    key = name_norm(ref)
    return [r[0] for r in conn.execute(
        "SELECT id FROM entities WHERE name_norm = ? UNION "
        "SELECT DISTINCT entity FROM mentions WHERE text_norm = ? AND entity IS NOT NULL",
        (key, key))]


def in_list(ids: list[int]) -> str:
    """An SQL ``IN`` list of row ids (integers only, so safe to inline)."""
    return "(" + ",".join(str(int(i)) for i in ids) + ")" if ids else "(NULL)"


def prepare(store: Readable, entity: str | None, since: str | None, until: str | None,
            query: str, *, strict: bool = False
            ) -> tuple[str | None, str | None, list[int] | None, str | None] | None:
    """A list's filters, checked and resolved once for its page and for its total:
    (since, until, entity row ids or None, FTS MATCH expression or None), or None when
    nothing can match (an unknown entity; with ``strict``, a query of punctuation only)."""
    since, until = check_date(since, "since"), check_date(until, "until")
    match = index.match_expression(query or "") if (query or strict) else None
    if strict and query and query.strip() and match is None:
        return None  # only punctuation: nothing can match
    ents = entity_ids(store, entity) if entity else None
    if ents is not None and not ents:
        return None
    return since, until, ents, match


def by_date(alias: str, sort: str) -> str:
    """The order after the match rank: newest first, or oldest first (undated last)."""
    if sort == "oldest":
        return f"{alias}.date IS NULL, {alias}.date, {alias}.id"
    tie = f"{alias}.id DESC" if alias == "d" else f"{alias}.id"  # as the lists always were
    return f"{alias}.date DESC, {tie}"


def date_filters(col: str, since: str | None, until: str | None,
                 where: list[str], params: list[Any]) -> None:
    if since:
        where.append(f"{col} >= ?")
        params.append(since)
    if until:
        where.append(f"{col} <= ?")
        params.append(_until_bound(until))


def source_filter(where: list[str], params: list[Any], source: str | None) -> None:
    """Outlet or input source of the document ``d``, as a part of a name, in any of the
    outlet's names (عكاظ finds Okaz: ``resources/outlets.tsv``)."""
    if source:
        names = outlet_names(source)
        where.append("(" + " OR ".join(
            "instr(lower(coalesce(d.outlet, '')), ?) > 0"
            " OR instr(lower(coalesce(d.source, '')), ?) > 0" for _ in names) + ")")
        for n in names:
            params += [n, n]


def confidence_filter(col: str, value: float | None, where: list[str],
                      params: list[Any]) -> None:
    if value is None:
        return
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise SearchError(f"min_confidence must be between 0 and 1, not {value:g}")
    if value > 0:
        where.append(f"{col} >= ?")
        params.append(value)


@cache
def _outlets() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Each outlet's names and their match keys (``resources/outlets.tsv``)."""
    return tuple((tuple(row), tuple(_outlet_key(n) for n in row))
                 for row in read_tsv("outlets.tsv"))


def _outlet_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", norm(name.lower()))


def outlet_names(name: str) -> list[str]:
    """``name`` and, when it names a known outlet (fully or in part), all that outlet's
    names, lowercased: the spellings stored articles may carry."""
    key = _outlet_key(name)
    names = {name.strip().lower()}
    if len(key) >= 2:
        for row, keys in _outlets():
            if any(key == k or (len(key) >= 3 and key in k) for k in keys):
                names |= {n.lower() for n in row}
    return sorted(names)


def outlet_label(name: str) -> str:
    """The Arabic name of a known outlet (الشرق الأوسط for aawsat), else ``name``."""
    key = _outlet_key(name)
    for row, keys in _outlets():
        if key in keys:
            return next((n for n in row if any("\u0600" <= c <= "\u06ff" for c in n)), name)
    return name
