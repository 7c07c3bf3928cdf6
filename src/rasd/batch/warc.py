"""WARC / WARC.gz archives → one raw record per HTML page that the crawler fetched.

Only ``response`` records with a 2xx HTTP status and an HTML content type are articles
(``resource`` records with an HTML type too, as some crawlers store pages that way); requests,
metadata, redirects, error pages, images and scripts are passed over and counted. warcio
undoes chunked transfer and gzip/brotli content encoding. The HTTP ``charset`` travels with
the payload and is applied on the worker (see :func:`rasd.batch.records.to_documents`). A
record is named ``ARCHIVE@OFFSET`` (the byte offset ``warcio extract`` takes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from rasd.batch.raw import EnumStats, RawRecord, error_record
from rasd.ingest.detect import sniff

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    m = _CHARSET.search(content_type or "")
    return m[1] if m else None


def _html_type(content_type: str, payload_head: bytes) -> bool:
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime:
        return mime in _HTML_TYPES
    return sniff(payload_head) == "html"  # no header at all: look at the bytes


def _page_type(record) -> str | None:
    """The Content-Type of a record that may hold a page, None for everything else."""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or not http.get_statuscode().startswith("2"):
            return None
        return http.get_header("Content-Type") or ""
    if record.rec_type == "resource":
        return record.rec_headers.get_header("Content-Type") or ""
    return None


def warc_records(path: Path, name: str, max_bytes: int,
                 stats: EnumStats) -> Iterator[RawRecord]:
    """The HTML pages of one archive, in file order; a broken archive ends in an error record.

    warcio stops quietly at a truncated archive (a half-copied file, a crawl killed mid-write),
    so a short payload and bytes left after the last complete record are checked here: the
    pages before the damage are kept and the damage is reported, never silently dropped.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    end = 0  # where the last complete record ends
    try:
        with path.open("rb") as fh:
            archive = ArchiveIterator(fh)
            for record in archive:
                length = record.rec_headers.get_header("Content-Length") or ""
                if record.length is None or not length.strip().isdigit():
                    raise EOFError("a record header is cut off (no valid Content-Length)")
                content_type = _page_type(record)
                payload = b""
                if content_type is not None:
                    payload = record.content_stream().read(max_bytes + 1)
                if content_type is None or len(payload) > max_bytes:
                    while record.raw_stream.read(1 << 16):  # skipped, yet checked whole
                        pass
                if getattr(record.raw_stream, "limit", 0):
                    raise EOFError("the archive ends inside a record")
                offset = archive.get_record_offset()
                end = offset + archive.get_record_length()
                if content_type is None or not _html_type(content_type, payload[:1024]):
                    stats.warc_skipped += 1
                    continue
                where = f"{name}@{offset}"
                url = record.rec_headers.get_header("WARC-Target-URI")
                if len(payload) > max_bytes:
                    yield error_record(where, f"too large: over {max_bytes / 1e6:g} MB")
                    continue
                yield RawRecord(where, "html", payload, url=url,
                                charset=charset_of(content_type))
            fh.seek(end)
            if fh.read(64).strip():
                raise EOFError("incomplete data after the last complete record")
    except (OSError, EOFError, ArchiveLoadFailed, ValueError, AttributeError) as exc:
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        yield error_record(name, f"truncated or corrupt WARC archive after byte {end}: "
                                 f"{reason}")
