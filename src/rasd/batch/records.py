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
import json
from collections.abc import Iterable, Iterator, Sequence
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
from rasd.ingest.jsonl import parse_line
from rasd.ingest.sources import FileTypes, iter_sources, jsonl_lines, os_error, too_large

WARC_SUFFIXES = (".warc", ".warc.gz")
BATCH_TYPES = FileTypes(frozenset(EXTENSIONS), WARC_SUFFIXES)  # ingest's types and WARC
_HEAD = 1 << 16


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


def iter_records(inputs: Sequence[str], max_bytes: int,
                 stats: EnumStats | None = None) -> Iterator[RawRecord]:
    """Every raw record of ``inputs``, always in the same order (see the module docstring);
    the files are those :func:`rasd.ingest.sources.iter_sources` names."""
    stats = stats if stats is not None else EnumStats()
    for source in iter_sources(inputs, BATCH_TYPES):
        if isinstance(source, InputError):
            yield error_record(source.input, source.reason)
        elif source.path is None:
            yield error_record("-", "stdin cannot be resumed; give files to `rasd batch`")
        else:
            stats.files += 1
            yield from file_records(source.path, source.name, max_bytes, stats)


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
                err = too_large(name, size, max_bytes)
                yield error_record(err.input, err.reason)
                return
            data = head + fh.read()
    except OSError as exc:
        err = os_error(name, exc)
        yield error_record(err.input, err.reason)
        return
    if kind == "json":
        yield from _json_records(data, name)
    else:
        yield RawRecord(name, kind, data)


def _jsonl_records(lines: Iterable[bytes], name: str, max_bytes: int) -> Iterator[RawRecord]:
    for line in jsonl_lines(lines, name, max_bytes):
        if isinstance(line, InputError):
            yield error_record(line.input, line.reason)
        else:
            yield RawRecord(line[0], "json-record", line[1].rstrip(b"\r\n"))


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
    if rec.kind == "json-record":  # read as `rasd analyze` reads a JSON Lines line
        item = parse_line(rec.data, rec.name)
        if isinstance(item, InputError):
            raise item
        return [item]
    data = _transcode(rec.data, rec.charset) if rec.kind == "html" else rec.data
    docs = read_bytes(data, rec.name, rec.kind, max_bytes=max_bytes)
    if rec.url:  # a WARC record: the crawl knows the page's address
        for doc in docs:
            doc.url = doc.url or rec.url
            doc.outlet = doc.outlet or urlsplit(rec.url).hostname
            doc.published = doc.published or url_date(rec.url)
    return docs
