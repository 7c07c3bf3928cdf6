"""Input names (files, directories, globs, ``-``) → documents or errors, in input order.

Which files the names mean is :mod:`rasd.ingest.sources` (shared with ``rasd batch``); this
module reads each of them.

Nothing here raises for a bad input: each one becomes an :class:`InputError` in the stream and
the next input is read, so a batch never stops on one broken file.

Size limit: an input (a whole file, or one JSONL record — JSONL files are streamed, so a corpus
of any size is fine) may be at most ``max_bytes``, by default 50 MB or ``RASD_MAX_INPUT_MB``
from the environment. Larger inputs are refused with a clear reason rather than read into
memory: a 50 MB article is a dump, not an article. A 20 MB text is accepted and ingested in
well under a second; the later stages then take their own time.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from rasd.document import Document
from rasd.ingest.detect import KINDS, binary_reason, kind_of, sniff
from rasd.ingest.errors import InputError
from rasd.ingest.html import read_html
from rasd.ingest.jsonl import iter_json, iter_jsonl
from rasd.ingest.plain import read_plain
from rasd.ingest.sources import ENV_MAX_MB, iter_sources, os_error, too_large

DEFAULT_MAX_BYTES = 50_000_000
_HEAD = 1 << 16

Item = Document | InputError


def default_max_bytes() -> int:
    """50 MB, or ``RASD_MAX_INPUT_MB`` megabytes when that is set to a positive number."""
    try:
        mb = float(os.environ.get(ENV_MAX_MB, ""))
    except ValueError:
        return DEFAULT_MAX_BYTES
    return int(mb * 1_000_000) if mb > 0 else DEFAULT_MAX_BYTES


def _not_text(name: str, head: bytes, kind: str) -> InputError | None:
    """A binary file given as JSON (its lines would each fail): one error instead."""
    if kind not in ("jsonl", "json"):
        return None  # text and HTML are checked while decoding (BOM-aware)
    reason = binary_reason(head)
    return InputError(name, reason) if reason else None


def _iter_bytes(data: bytes, name: str, kind: str | None, limit: int) -> Iterator[Item]:
    if len(data) > limit:
        yield too_large(name, len(data), limit)
        return
    if not data.strip():
        yield InputError(name, "empty input")
        return
    kind = kind or kind_of(name, data[:_HEAD])
    if kind not in KINDS:
        yield InputError(name, f"unknown input kind {kind!r} (one of {', '.join(KINDS)})")
        return
    err = _not_text(name, data[:_HEAD], kind)
    if err:
        yield err
        return
    try:
        if kind == "jsonl":
            yield from iter_jsonl(data.splitlines(), name, limit)
        elif kind == "json":
            yield from iter_json(data, name, limit)
        elif kind == "html":
            yield read_html(data, name)
        else:
            yield read_plain(data, name)
    except InputError as err:
        yield err


def _iter_file(path: Path, name: str, limit: int) -> Iterator[Item]:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(_HEAD)
            kind = kind_of(name, head)
            if kind == "jsonl" and not _not_text(name, head, kind):
                fh.seek(0)  # streamed: the limit is per record, not per file
                yield from iter_jsonl(fh, name, limit)
                return
            if size > limit:
                yield too_large(name, size, limit)
                return
            data = head + fh.read()
    except OSError as exc:
        yield os_error(name, exc)
        return
    yield from _iter_bytes(data, name, kind, limit)


def _lines(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    """Lines of ``head`` followed by the rest of ``stream``, read in chunks."""
    pending = head
    while True:
        *complete, pending = pending.split(b"\n")
        yield from complete
        chunk = stream.read(_HEAD)
        if not chunk:
            break
        pending += chunk
    if pending:
        yield pending


def _iter_stdin(stream: BinaryIO, limit: int) -> Iterator[Item]:
    try:
        head = stream.read(_HEAD)
        if sniff(head) == "jsonl" and not _not_text("-", head, "jsonl"):
            yield from iter_jsonl(_lines(head, stream), "-", limit)
            return
        data = head + stream.read(limit + 1 - len(head))
    except OSError as exc:
        yield os_error("-", exc)
        return
    yield from _iter_bytes(data, "-", None, limit)


def iter_documents(inputs: Sequence[str], stdin: BinaryIO | None = None, *,
                   max_bytes: int | None = None) -> Iterator[Document | InputError]:
    """A :class:`Document` per article, or an :class:`InputError` per bad input or record.

    ``inputs`` are files, directories (searched recursively for .txt, .html, .htm, .json,
    .jsonl), globs, or ``-`` for ``stdin`` (default ``sys.stdin.buffer``). Results come in
    input order; nothing is raised for bad inputs.
    """
    limit = max_bytes or default_max_bytes()
    for source in iter_sources(inputs):
        if isinstance(source, InputError):
            yield source
        elif source.path is not None:
            yield from _iter_file(source.path, source.name, limit)
        else:
            stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
            if stream is None:  # started with stdin closed (`<&-`)
                yield InputError("-", "standard input is closed")
            else:
                yield from _iter_stdin(stream, limit)


def read_bytes(data: bytes, name: str, kind: str | None = None, *,
               max_bytes: int | None = None) -> list[Document]:
    """Documents from an in-memory input (an upload); raises the first :class:`InputError`.

    ``kind`` is one of ``text``, ``html``, ``jsonl``, ``json``; by default it follows from
    ``name``'s extension, else from the content.
    """
    docs = []
    for item in _iter_bytes(data, name, kind, max_bytes or default_max_bytes()):
        if isinstance(item, InputError):
            raise item
        docs.append(item)
    return docs
