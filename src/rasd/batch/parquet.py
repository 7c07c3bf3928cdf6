"""The Parquet tables of ``rasd batch``: explicit schemas, rows from ``Document.to_dict()``.

One table per layer, one row per record, every row keyed by ``record`` (the input record's
number in the run, unique per document) and ``doc_id``. Spans are flattened into
``start``/``end``/``text`` columns (``cue_start``…), roles stay a list of structs. The schemas
are written out by hand, not inferred, so a partition with no claims has the same columns and
types as one with many, and the tables can be read as one dataset. ``tests/test_batch.py``
checks that every field of the JSON contract has its column, so nothing is silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

_str = pa.string()
_i32 = pa.int32()
_SPAN = pa.struct([("start", _i32), ("end", _i32)])
_KEY = [pa.field("record", pa.int64(), nullable=False), pa.field("doc_id", _str, nullable=False)]


def _span_fields(prefix: str, nullable: bool) -> list[pa.Field]:
    return [pa.field(f"{prefix}_start", _i32, nullable), pa.field(f"{prefix}_end", _i32, nullable),
            pa.field(f"{prefix}_text", _str, nullable)]


_MENTIONS = pa.schema([
    *_KEY, ("id", _str), ("start", _i32), ("end", _i32), ("text", _str), ("type", _str),
    ("entity", _str), ("score", pa.float64()),
])
SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        *_KEY, pa.field("rasd", _str, nullable=False),
        ("source", _str), ("url", _str), ("title", _str), ("published", _str), ("outlet", _str),
        ("language", _str), pa.field("text", _str, nullable=False),
        ("sections", pa.list_(pa.struct([
            ("start", _i32), ("end", _i32),
            ("heading", pa.struct([("start", _i32), ("end", _i32), ("text", _str)]))]))),
        ("paragraphs", pa.list_(_SPAN)), ("sentences", pa.list_(_SPAN)),
    ]),
    "mentions": _MENTIONS,
    "adjectives": _MENTIONS,
    "entities": pa.schema([
        *_KEY, ("id", _str), ("type", _str), ("name", _str), ("name_en", _str), ("kb_id", _str),
        ("country", _str), ("lat", pa.float64()), ("lon", pa.float64()),
        ("roles", pa.list_(pa.struct([("title", _str), ("of", _str), ("mention", _str)]))),
    ]),
    "times": pa.schema([
        *_KEY, ("id", _str), ("start", _i32), ("end", _i32), ("text", _str), ("value", _str),
    ]),
    "claims": pa.schema([
        *_KEY, ("id", _str), ("source", _str), ("source_text", _str), ("anonymous", pa.bool_()),
        *_span_fields("cue", False), *_span_fields("content", True), ("channel", _str),
        ("time", _str), ("stance", _str), ("via", _str), ("confidence", pa.float64()),
    ]),
    "events": pa.schema([
        *_KEY, ("id", _str), ("type", _str), ("mode", _str), *_span_fields("trigger", False),
        ("actor", _str), ("target", _str), ("location", _str), ("time", _str),
        ("status", _str), ("negated", pa.bool_()), ("claim", _str), ("sentence", _i32),
        ("confidence", pa.float64()),
    ]),
}
TABLES = tuple(SCHEMAS)
_FLATTENED = {"claims": ("cue", "content"), "events": ("trigger",)}


def _flatten(rec: dict[str, Any], spans: tuple[str, ...]) -> dict[str, Any]:
    out = {k: v for k, v in rec.items() if k not in spans}
    for name in spans:
        span = rec.get(name) or {}
        for key in ("start", "end", "text"):
            out[f"{name}_{key}"] = span.get(key)
    return out


def rows(doc: dict[str, Any], record: int, layers: bool = True
         ) -> dict[str, list[dict[str, Any]]]:
    """Rows per table for one document in the ``Document.to_dict()`` form (only the
    ``documents`` row without ``layers``)."""
    meta = doc["document"]
    key = {"record": record, "doc_id": meta["id"]}
    out: dict[str, list[dict[str, Any]]] = {
        "documents": [{**key, "rasd": doc["rasd"],
                       **{k: v for k, v in meta.items() if k != "id"},
                       "sections": doc["sections"],
                       "paragraphs": doc["paragraphs"], "sentences": doc["sentences"]}],
    }
    for name in TABLES[1:] if layers else ():
        spans = _FLATTENED.get(name, ())
        out[name] = [{**key, **_flatten(rec, spans)} for rec in doc[name]]
    return out


def to_tables(docs: Iterable[tuple[int, dict[str, Any]]]) -> dict[str, pa.Table]:
    """One table per layer for ``(record, document dict)`` pairs, with the fixed schemas.

    The same tables as ``Table.from_pylist`` over :func:`rows`, but the layers' columns are
    read straight from the records (no flattened dict per mention, claim …): this runs on
    the worker for every document."""
    docs = list(docs)
    tables = {"documents": pa.Table.from_pylist(
        [r for record, doc in docs for r in rows(doc, record, layers=False)["documents"]],
        schema=SCHEMAS["documents"])}
    for name in TABLES[1:]:
        keyed = [(record, doc["document"]["id"], rec) for record, doc in docs
                 for rec in doc[name]]
        columns = [_column(keyed, field, _FLATTENED.get(name, ()))
                   for field in SCHEMAS[name].names]
        tables[name] = pa.Table.from_arrays(columns, schema=SCHEMAS[name])
    return tables


def _column(keyed: list[tuple[int, str, dict[str, Any]]], field: str,
            spans: tuple[str, ...]) -> list[Any]:
    """Column ``field`` of a layer's (record, doc_id, record dict) rows, as :func:`rows`
    would give it."""
    if field == "record":
        return [r for r, _, _ in keyed]
    if field == "doc_id":
        return [d for _, d, _ in keyed]
    span, _, key = field.rpartition("_")
    if span in spans:
        return [(rec.get(span) or {}).get(key) for _, _, rec in keyed]
    return [rec.get(field) for _, _, rec in keyed]


def _unflatten(rec: dict[str, Any], spans: tuple[str, ...]) -> dict[str, Any]:
    out = {k: v for k, v in rec.items() if k not in ("record", "doc_id")}
    for name in spans:
        parts = {key: out.pop(f"{name}_{key}") for key in ("start", "end", "text")}
        out[name] = None if parts["start"] is None else parts
    return out


def read_documents(out: Path) -> Iterator[dict[str, Any]]:
    """The documents of a Parquet batch output, back in ``Document.to_dict()`` form.

    Reads one partition at a time (memory stays bounded) in partition and record order, so a
    batch run can be compared with, or converted to, ``rasd analyze --format jsonl`` output.
    """
    from rasd.document import LAYERS, METADATA_KEYS

    for part in sorted((Path(out) / "documents").glob("part-*.parquet")):
        layers: dict[str, dict[int, list[dict[str, Any]]]] = {}
        for name in TABLES[1:]:
            spans = _FLATTENED.get(name, ())
            by_record: dict[int, list[dict[str, Any]]] = {}
            for rec in pq.read_table(Path(out) / name / part.name).to_pylist():
                by_record.setdefault(rec["record"], []).append(_unflatten(rec, spans))
            layers[name] = by_record
        for row in pq.read_table(part).to_pylist():
            meta = {k: row["doc_id" if k == "id" else k] for k in METADATA_KEYS}
            doc: dict[str, Any] = {"rasd": row["rasd"], "document": meta | {"text": row["text"]}}
            for name in LAYERS:
                if name in layers:
                    doc[name] = layers[name].get(row["record"], [])
                else:
                    doc[name] = row[name]
            yield doc
