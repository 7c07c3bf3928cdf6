"""Inputs → a deterministic stream of raw records, and a raw record → documents (on a worker).

The driver only reads bytes: a record is one file, one JSON Lines line, one item of a JSON
array, or one HTML response of a WARC archive, numbered in a fixed order (inputs as given,
directories sorted, lines and archive records in file order). Decoding, HTML extraction and
analysis happen on the workers, so the driver never becomes the bottleneck and workers need
no access to the driver's files. A bad input becomes an ``error`` record in the same stream,
so errors are numbered and partitioned like everything else and a resumed run sees them again.
"""

from __future__ import annotations

import codecs
import glob
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from rasd.batch.raw import EnumStats, RawRecord, error_record
from rasd.batch.warc import warc_records
from rasd.document import Document
from rasd.ingest import InputError, read_bytes
from rasd.ingest.dates import url_date
from rasd.ingest.detect import (
    EXTENSIONS,
    MIN_ARABIC_SHARE,
    arabic_share,
    binary_reason,
    kind_of,
)
from rasd.ingest.inputs import regular_only

WARC_SUFFIXES = (".warc", ".warc.gz")
_HEAD = 1 << 16
_GLOB_CHARS = frozenset("*?[")


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


def _supported(name: str) -> bool:
    return is_warc(name) or Path(name).suffix.lower() in EXTENSIONS


def walk(root: Path) -> list[Path]:
    """Input files under ``root`` (hidden ones skipped), sorted: the order must never vary."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath) / f for f in filenames
                     if not f.startswith(".") and _supported(f))
    return regular_only(sorted(found))  # a FIFO in the folder would block the batch


def iter_records(inputs: Sequence[str], max_bytes: int,
                 stats: EnumStats | None = None) -> Iterator[RawRecord]:
    """Every raw record of ``inputs``, always in the same order (see the module docstring)."""
    stats = stats if stats is not None else EnumStats()
    for spec in inputs:
        if spec == "-":
            yield error_record("-", "stdin cannot be resumed; give files to `rasd batch`")
            continue
        path = Path(spec)
        if path.is_dir():
            files = walk(path)
            if not files:
                yield error_record(spec, "no input files in this directory")
        elif path.exists():
            files = [path]
        elif _GLOB_CHARS & set(spec):
            files = []
            for m in sorted(glob.glob(spec, recursive=True)):
                p = Path(m)
                files.extend(walk(p) if p.is_dir() else regular_only([p]) if _supported(m)
                             else [])
            if not files:
                yield error_record(spec, "no input files match")
        else:
            yield error_record(spec, "no such file or directory")
            continue
        for f in files:
            stats.files += 1
            yield from file_records(f, str(f), max_bytes, stats)


def file_records(path: Path, name: str, max_bytes: int,
                 stats: EnumStats) -> Iterator[RawRecord]:
    """The records of one file: a WARC's HTML responses, JSONL lines, array items, or itself."""
    if is_warc(name):
        yield from warc_records(path, name, max_bytes, stats)
        return
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(_HEAD)
            kind = kind_of(name, head)
            if kind == "jsonl":
                reason = binary_reason(head)
                if reason:
                    yield error_record(name, reason)
                    return
                fh.seek(0)
                yield from _jsonl_records(fh, name, max_bytes)
                return
            if size > max_bytes:
                yield error_record(name, f"too large: {size / 1e6:.1f} MB (limit "
                                         f"{max_bytes / 1e6:g} MB)")
                return
            data = head + fh.read()
    except OSError as exc:
        yield error_record(name, f"cannot read: {exc.strerror or type(exc).__name__}")
        return
    if kind == "json":
        yield from _json_records(data, name)
    else:
        yield RawRecord(name, kind, data)


def _jsonl_records(fh, name: str, max_bytes: int) -> Iterator[RawRecord]:
    seen = False
    for lineno, raw in enumerate(fh, 1):
        if lineno == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        seen = True
        where = f"{name}:{lineno}"
        if len(raw) > max_bytes:
            yield error_record(where, f"record too large ({len(raw) / 1e6:.1f} MB, limit "
                                      f"{max_bytes / 1e6:g} MB)")
        else:
            yield RawRecord(where, "json-record", raw.rstrip(b"\r\n"))
    if not seen:
        yield error_record(name, "empty input (no JSON records)")


def _json_records(data: bytes, name: str) -> Iterator[RawRecord]:
    """A .json file: an array is split into one record per item (one document per record)."""
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        if getattr(exc, "msg", "") == "Extra data":  # JSON Lines named .json
            yield from _jsonl_records(iter(data.splitlines(keepends=True)), name, len(data))
        else:  # the worker reports it with ingest's own wording
            yield RawRecord(name, "json", data)
        return
    if not isinstance(parsed, list):
        yield RawRecord(name, "json", data)
        return
    if not parsed:
        yield error_record(name, "empty JSON array")
    for i, item in enumerate(parsed, 1):
        yield RawRecord(f"{name}:{i}", "json-record",
                        json.dumps(item, ensure_ascii=False).encode("utf-8"))


# -- on the worker ------------------------------------------------------------------------------

def _transcode(data: bytes, charset: str | None) -> bytes:
    """Payload re-encoded as UTF-8 when the HTTP charset gives Arabic text, else unchanged.

    Servers often declare ISO-8859-1 by default; such a wrong label would turn Arabic into
    Latin letters, so it is trusted only when its text is Arabic. Otherwise ingest detects
    the encoding itself (BOM, UTF-8, ``<meta charset>``, Windows-1256, ISO-8859-6).
    """
    if not charset or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                       codecs.BOM_UTF16_BE)):
        return data
    try:
        name = codecs.lookup(charset).name
        if name in ("utf-8", "ascii"):
            return data
        text = data.decode(name)
    except (LookupError, UnicodeDecodeError):
        return data
    return text.encode("utf-8") if arabic_share(text)[0] >= MIN_ARABIC_SHARE else data


def to_documents(rec: RawRecord, max_bytes: int | None = None) -> list[Document]:
    """The document(s) of one raw record; raises :class:`InputError` as ingest does."""
    if rec.kind == "error":
        raise InputError(rec.name, rec.data.decode("utf-8"))
    if rec.kind == "json-record":
        if rec.data.lstrip()[:1] == b"[":
            raise InputError(rec.name, "record is a JSON list, not an object")
        return read_bytes(rec.data, rec.name, "json", max_bytes=max_bytes)
    data = _transcode(rec.data, rec.charset) if rec.kind == "html" else rec.data
    docs = read_bytes(data, rec.name, rec.kind, max_bytes=max_bytes)
    if rec.url:  # a WARC record: the crawl knows the page's address
        for doc in docs:
            doc.url = doc.url or rec.url
            doc.outlet = doc.outlet or urlsplit(rec.url).hostname
            doc.published = doc.published or url_date(rec.url)
    return docs
