"""Event exports for the tools analysts already use.

* ``acled-csv``: one row per event in ACLED's spirit — event date, type (PLOVER), actor1,
  actor2, location with coordinates and country, source outlet, status, and the sentence as
  notes.
* ``plover-json``: PLOVER v2.0-shaped records (id, date, event, mode, actor/recipient entity
  objects, event_loc, event_text, text_info offsets, cite_info) plus rasd's factuality
  (status, negated, the claim that carries the event and its source).
* ``geojson``: a FeatureCollection of located events (Point, lon/lat) with their properties.

Each reads the output contract (``Document.to_dict()`` dicts), so it works on fresh analyses
and on stored JSON alike. ``min_confidence`` keeps only the events the learned stages scored
at least that high (events without a score, from the rules-only fast mode, are dropped).
Every CSV rasd writes goes through :func:`csv_writer`, which neutralises spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

ACLED_FIELDS = ("event_id", "event_date", "event_type", "mode", "status", "negated",
                "actor1", "actor1_en", "actor2", "actor2_en", "location", "location_en",
                "country", "latitude", "longitude", "time_text", "source", "outlet", "url",
                "claim_source", "trigger", "confidence", "notes", "document_id")
QUAD = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2,
        "RETREAT": 2, "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 4,
        "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4}


def _index(doc: dict[str, Any]) -> tuple[dict, dict, dict, dict]:
    ents = {e["id"]: e for e in doc.get("entities", [])}
    times = {t["id"]: t for t in doc.get("times", [])}
    claims = {c["id"]: c for c in doc.get("claims", [])}
    ments = {m["id"]: m for m in doc.get("mentions", [])}
    return ents, times, claims, ments


def _sentence(doc: dict[str, Any], index: int | None) -> str:
    sents = doc.get("sentences", [])
    if index is None or not 0 <= index < len(sents):
        return ""
    s = sents[index]
    return doc["document"]["text"][s["start"]:s["end"]]


def _date(doc: dict[str, Any], ev: dict[str, Any], times: dict) -> str | None:
    """The event's own resolved day if stated, else the publication date."""
    t = times.get(ev.get("time") or "")
    value = (t or {}).get("value") or ""
    if len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return value[:10]
    published = doc["document"].get("published") or ""
    return published[:10] or None


def _place(ev: dict[str, Any], ents: dict) -> dict | None:
    """The event's location entity, else a located target or actor place."""
    for key in ("location", "target", "actor"):
        e = ents.get(ev.get(key) or "")
        if e and e.get("lat") is not None and (key == "location" or e["type"] in
                                                ("GPE", "LOC", "FAC")):
            return e
    e = ents.get(ev.get("location") or "")
    return e


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run (OWASP CSV injection): text that begins with
    ``= + - @``, a tab or a carriage return gets a leading apostrophe. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, w: Any) -> None:
        self._w = w

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._w.writerow([safe_cell(v) for v in row])


class _SafeDictWriter:
    def __init__(self, w: csv.DictWriter) -> None:
        self._w = w

    def writeheader(self) -> Any:
        return self._w.writeheader()

    def writerow(self, row: dict[str, Any]) -> Any:
        return self._w.writerow({k: safe_cell(v) for k, v in row.items()})


def csv_writer(buf: io.StringIO, fieldnames: Iterable[str] | None = None) -> Any:
    """rasd's one CSV writer (lists, or dicts when ``fieldnames`` is given), formula-safe.
    Rows end in CRLF (RFC 4180), so a field holding a bare CR or LF is always quoted."""
    if fieldnames is None:
        return _SafeWriter(csv.writer(buf, lineterminator="\r\n"))
    return _SafeDictWriter(csv.DictWriter(buf, fieldnames=list(fieldnames),
                                          lineterminator="\r\n"))


def _kept(ev: dict[str, Any], min_confidence: float | None) -> bool:
    if not min_confidence:
        return True
    conf = ev.get("confidence")
    return conf is not None and conf >= min_confidence


def acled_rows(docs: Iterable[dict[str, Any]],
               min_confidence: float | None = None) -> Iterator[dict[str, Any]]:
    for doc in docs:
        ents, times, claims, _ = _index(doc)
        meta = doc["document"]
        for ev in doc.get("events", []):
            if not _kept(ev, min_confidence):
                continue
            a1, a2 = ents.get(ev.get("actor") or ""), ents.get(ev.get("target") or "")
            place = _place(ev, ents)
            claim = claims.get(ev.get("claim") or "")
            src = ents.get((claim or {}).get("source") or "")
            yield {
                "event_id": f"{meta['id']}#{ev['id']}",
                "event_date": _date(doc, ev, times),
                "event_type": ev["type"], "mode": ev.get("mode"), "status": ev["status"],
                "negated": ev.get("negated", False),
                "actor1": a1 and a1["name"], "actor1_en": a1 and a1.get("name_en"),
                "actor2": a2 and a2["name"], "actor2_en": a2 and a2.get("name_en"),
                "location": place and place["name"],
                "location_en": place and place.get("name_en"),
                "country": place and place.get("country"),
                "latitude": place and place.get("lat"), "longitude": place and place.get("lon"),
                "time_text": (times.get(ev.get("time") or "") or {}).get("text"),
                "source": meta.get("source"), "outlet": meta.get("outlet"),
                "url": meta.get("url"),
                "claim_source": (src and src["name"]) or (claim or {}).get("source_text"),
                "trigger": ev["trigger"]["text"], "confidence": ev.get("confidence"),
                "notes": _sentence(doc, ev.get("sentence")),
                "document_id": meta["id"],
            }


def _entity_object(e: dict | None, text: str | None = None) -> list[dict[str, Any]]:
    if not e:
        return []
    return [{"entity_text": text or e["name"], "identifier_id": e.get("kb_id"),
             "identifier_text": e.get("name_en") or e["name"], "code": e.get("country"),
             "rasd_entity": e["id"], "type": e["type"]}]


def plover_records(docs: Iterable[dict[str, Any]],
                   min_confidence: float | None = None) -> Iterator[dict[str, Any]]:
    for doc in docs:
        ents, times, claims, _ = _index(doc)
        meta = doc["document"]
        for ev in doc.get("events", []):
            if not _kept(ev, min_confidence):
                continue
            place = ents.get(ev.get("location") or "")
            claim = claims.get(ev.get("claim") or "")
            sent = ev.get("sentence")
            yield {
                "id": f"{meta['id']}#{ev['id']}",
                "date": _date(doc, ev, times),
                "event": [ev["type"]],
                "mode": [ev["mode"]] if ev.get("mode") else [],
                "quad_code": QUAD.get(ev["type"]),
                "actor": _entity_object(ents.get(ev.get("actor") or "")),
                "recipient": _entity_object(ents.get(ev.get("target") or "")),
                "event_loc": place and {
                    "extracted_place": place["name"], "resolved_place": place.get("name_en"),
                    "lat": place.get("lat"), "lon": place.get("lon"),
                    "country_code": place.get("country"), "identifier_id": place.get("kb_id")},
                "event_text": [_sentence(doc, sent)],
                "text_info": {"sequence": sent, "start": ev["trigger"]["start"],
                              "end": ev["trigger"]["end"], "trigger": ev["trigger"]["text"]},
                "cite_info": {"url": meta.get("url"), "title": meta.get("title"),
                              "publication": meta.get("outlet"), "language": "ar",
                              "coder": "rasd", "codebook": "PLOVER v2.0"},
                "rasd": {"status": ev["status"], "negated": ev.get("negated", False),
                         "confidence": ev.get("confidence"),
                         "claim": claim and {"id": claim["id"],
                                             "source": claim.get("source_text"),
                                             "stance": claim.get("stance")},
                         "document": meta["id"]},
            }


def geojson(docs: Iterable[dict[str, Any]],
            min_confidence: float | None = None) -> dict[str, Any]:
    features = []
    for row in acled_rows(docs, min_confidence):
        if row["latitude"] is None or row["longitude"] is None:
            continue
        props = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
        features.append({"type": "Feature",
                         "geometry": {"type": "Point",
                                      "coordinates": [row["longitude"], row["latitude"]]},
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}


CLUSTER_FIELDS = ("story", "event_cluster", "reports", "outlets_reporting")


def write_export(docs: Iterable[dict[str, Any]], fmt: str,
                 min_confidence: float | None = None, per_cluster: bool = False) -> str:
    """The whole export as text in ``fmt``: acled-csv, plover-json (JSON Lines) or geojson.

    ``per_cluster`` (acled-csv): the articles are grouped into stories and their events into
    event clusters (rasd.stories); each cluster is one row, its first report, with the story,
    the cluster and how many reports and outlets told it."""
    if fmt == "acled-csv":
        buf = io.StringIO()
        index = None
        if per_cluster:
            from rasd.stories.view import cluster_index

            docs = list(docs)
            index = cluster_index(docs)
        w = csv_writer(buf, ACLED_FIELDS + (CLUSTER_FIELDS if per_cluster else ()))
        w.writeheader()
        for row in acled_rows(docs, min_confidence):
            if index is not None:
                info = index.get(row["event_id"])
                if info is None or not info["first"]:
                    continue
                row.update({k: info[k] for k in CLUSTER_FIELDS})
            w.writerow(row)
        return buf.getvalue()
    if per_cluster:
        raise ValueError("--per-cluster applies to acled-csv")
    if fmt == "plover-json":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n"
                       for r in plover_records(docs, min_confidence))
    if fmt == "geojson":
        return json.dumps(geojson(docs, min_confidence), ensure_ascii=False, indent=1) + "\n"
    raise ValueError(f"unknown export format: {fmt}")
