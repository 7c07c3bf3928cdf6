"""JSON Lines (one article per line) and JSON files → documents, one error per bad record.

A record needs ``text``; it may carry ``title``, ``date`` or ``published``, ``url``,
``outlet`` (or ``source_id``, the outlet code in SaudiNewsNet-style dumps) and ``id``. A bad
line is an :class:`InputError` named ``FILE:LINENO`` and the next line is read as usual.
A rasd output document (``{"rasd": …, "document": {…}}``) is read back as it is, so an
analysed document can be analysed again.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Iterator
from typing import Any

from rasd.document import Document
from rasd.ingest.dates import to_published
from rasd.ingest.errors import InputError
from rasd.ingest.plain import document_from_text, one_line, with_title
from rasd.ingest.sources import jsonl_lines


def _str(record: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    return None


def from_record(record: Any, name: str) -> Document:
    """One document from a decoded JSON record; :class:`InputError` if it is not an article."""
    if not isinstance(record, dict):
        raise InputError(name, f"record is a JSON {type(record).__name__}, not an object")
    if isinstance(record.get("document"), dict) and "text" in record["document"]:
        try:
            return Document.from_dict(record)
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(name, f"not a valid rasd document ({exc})") from None
    if "text" not in record:
        raise InputError(name, "record has no 'text' field")
    if not isinstance(record["text"], str):
        raise InputError(name, "'text' is not a string")
    # Scraped titles keep the page's entities (Sabq: "&quot;داعش&quot; يتبنى…"); the body
    # text of the same records has none, so only the title is unescaped.
    raw_title = _str(record, "title")
    title = one_line(html.unescape(raw_title) if raw_title else raw_title)
    return document_from_text(
        with_title(record["text"], title), source=name, id=_str(record, "id"), title=title,
        url=_str(record, "url"), outlet=_str(record, "outlet", "source_id"),
        published=to_published(record.get("published") or record.get("date")))


def _record(record: Any, name: str) -> Document | InputError:
    try:
        return from_record(record, name)
    except InputError as err:
        return err


def parse_line(raw: bytes, where: str) -> Document | InputError:
    """One JSON Lines record (``where`` is ``FILE:LINENO``): its document, or why not."""
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return InputError(where, "not UTF-8 (JSON Lines must be UTF-8)")
    except ValueError as exc:
        return InputError(where, f"invalid JSON: {getattr(exc, 'msg', exc)} "
                                 f"(column {getattr(exc, 'colno', '?')})")
    except RecursionError:
        return InputError(where, "invalid JSON: nested too deeply")
    return _record(record, where)


def iter_jsonl(lines: Iterable[bytes], name: str,
               max_bytes: int) -> Iterator[Document | InputError]:
    """Documents from JSON Lines; blank lines are skipped, each bad line yields its error, a
    stream without records one error (:func:`rasd.ingest.sources.jsonl_lines`)."""
    for line in jsonl_lines(lines, name, max_bytes):
        yield line if isinstance(line, InputError) else parse_line(line[1], line[0])


def iter_json(data: bytes, name: str, max_bytes: int) -> Iterator[Document | InputError]:
    """A ``.json`` file: one object, an array of objects (``FILE:N`` per item), or JSON Lines."""
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        yield InputError(name, "not UTF-8 (JSON must be UTF-8)")
        return
    except RecursionError:
        yield InputError(name, "invalid JSON: nested too deeply")
        return
    except ValueError as exc:
        if getattr(exc, "msg", "") == "Extra data":  # several values: JSON Lines named .json
            yield from iter_jsonl(data.splitlines(), name, max_bytes)
        else:
            yield InputError(name, f"invalid JSON: {getattr(exc, 'msg', exc)} (line "
                                   f"{getattr(exc, 'lineno', '?')}, column "
                                   f"{getattr(exc, 'colno', '?')})")
        return
    if isinstance(parsed, list):
        if not parsed:
            yield InputError(name, "empty JSON array")
        for i, record in enumerate(parsed, 1):
            yield _record(record, f"{name}:{i}")
        return
    yield _record(parsed, name)
