"""One event, many reports: the events of a story's articles merged into event clusters.

GDELT counts one airstrike told by twenty outlets as twenty events; an analyst wants one event
with twenty reports. Within one story (rasd.stories.cluster), two event mentions from its
articles are the same real-world event when they are compatible on everything known and share
at least one named argument: the same PLOVER type; no role (actor, target, place) filled with
two different entities; dates at most a day apart when both are known; and one of actor,
target or place the same entity. Precision first: two ASSAULTs of a story with no argument in
common stay apart, since a war story holds many attacks.

Input is rasd's output JSON (``Document.to_dict()``), so the same function serves the store
(documents.data), ``rasd export`` and the batch output. Entities are compared across articles
by their knowledge-base id when they have one, else by type and normalized name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rasd.text.normalize import norm

ROLES = ("actor", "target", "location")


@dataclass(frozen=True)
class Report:
    """One event mention, with what is needed to merge it and to show it."""

    doc: str  # the article's id
    event: str  # the event's id in its article (v1…)
    outlet: str
    published: str
    title: str
    type: str
    actor: str | None
    target: str | None
    location: str | None
    names: Mapping[str, str]  # role -> the entity's name as the article gives it
    day: str | None
    status: str
    negated: bool
    trigger: Mapping[str, Any]  # {start, end, text}
    sentence: Mapping[str, Any] | None  # {start, end, text}: where the report says it
    confidence: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "event": self.event, "outlet": self.outlet or None,
                "published": self.published or None, "title": self.title, "type": self.type,
                "status": self.status, "negated": self.negated, "trigger": dict(self.trigger),
                "sentence": dict(self.sentence) if self.sentence else None,
                **{r: self.names.get(r) for r in ROLES}, "confidence": self.confidence}


@dataclass
class EventCluster:
    id: str
    type: str
    roles: dict[str, str | None]  # role -> entity key (the first report that named it)
    names: dict[str, str | None]
    day: str | None
    reports: list[Report] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        outlets = sorted({r.outlet for r in self.reports if r.outlet})
        first = min(self.reports, key=lambda r: (r.published or "~", r.doc, r.event))
        return {"id": self.id, "type": self.type, **self.names, "day": self.day,
                "reports": len(self.reports), "articles": len({r.doc for r in self.reports}),
                "outlets": outlets, "first_reported": first.published or None,
                "statuses": sorted({r.status for r in self.reports}),
                "mentions": [r.to_dict() for r in self.reports]}


def entity_key(ent: Mapping[str, Any]) -> str:
    """The same entity across articles: its KB id, else its type and normalized name."""
    return ent.get("kb_id") or f"{ent.get('type')}:{norm(ent.get('name') or '')}"


def _day(value: str | None) -> str | None:
    if value and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            date.fromisoformat(value[:10])
            return value[:10]
        except ValueError:
            return None
    return None


def reports_of(doc: Mapping[str, Any]) -> list[Report]:
    """The event mentions of one analysed document (rasd's output JSON)."""
    meta = doc.get("document") or {}
    text = meta.get("text") or ""
    ents = {e["id"]: e for e in doc.get("entities") or []}
    times = {t["id"]: t for t in doc.get("times") or []}
    sentences = doc.get("sentences") or []
    published = meta.get("published") or ""
    out = []
    for v in doc.get("events") or []:
        keys: dict[str, str | None] = {}
        names: dict[str, str] = {}
        for role in ROLES:
            e = ents.get(v.get(role) or "")
            keys[role] = entity_key(e) if e else None
            if e:
                names[role] = e.get("name") or ""
        t = times.get(v.get("time") or "")
        day = _day(t.get("value") if t else None) or _day(published)
        si = v.get("sentence")
        sent = None
        if isinstance(si, int) and 0 <= si < len(sentences):
            a, b = sentences[si]["start"], sentences[si]["end"]
            sent = {"start": a, "end": b, "text": text[a:b]}
        out.append(Report(doc=meta.get("id") or "", event=v["id"], outlet=meta.get("outlet") or "",
                          published=published, title=meta.get("title") or "", type=v["type"],
                          actor=keys["actor"], target=keys["target"],
                          location=keys["location"], names=names, day=day,
                          status=v.get("status") or "asserted",
                          negated=bool(v.get("negated")), trigger=v["trigger"], sentence=sent,
                          confidence=v.get("confidence")))
    return out


def _days_apart(a: str | None, b: str | None) -> int:
    if not a or not b:
        return 0
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def compatible(r: Report, c: EventCluster, max_days: int = 1) -> bool:
    """Can ``r`` be a report of the event ``c``? (see the module docstring)"""
    if r.type != c.type or _days_apart(r.day, c.day) > max_days:
        return False
    shared = False
    for role in ROLES:
        mine, theirs = getattr(r, role), c.roles.get(role)
        if mine and theirs:
            if mine != theirs:
                return False
            shared = True
    return shared


def cluster_events(docs: Iterable[Mapping[str, Any]], story: str = "") -> list[EventCluster]:
    """Event clusters of one story's articles: reports in order of publication, each joining
    the first compatible cluster (the earliest-reported), else starting one."""
    reports = [r for d in docs for r in reports_of(d)]
    reports.sort(key=lambda r: (r.published or "~", r.doc, _event_order(r.event)))
    clusters: list[EventCluster] = []
    for r in reports:
        for c in clusters:
            if compatible(r, c):
                break
        else:
            cid = "ec-" + hashlib.sha1(f"{story}|{r.doc}|{r.event}".encode()).hexdigest()[:12]
            c = EventCluster(cid, r.type, {}, {}, r.day)
            clusters.append(c)
        c.reports.append(r)
        for role in ROLES:
            if c.roles.get(role) is None and getattr(r, role):
                c.roles[role] = getattr(r, role)
                c.names[role] = r.names.get(role)
            c.names.setdefault(role, None)
        c.day = c.day or r.day
    return clusters


def _event_order(local_id: str) -> tuple[int, str]:
    digits = "".join(ch for ch in local_id if ch.isdigit())
    return (int(digits) if digits else 0, local_id)
