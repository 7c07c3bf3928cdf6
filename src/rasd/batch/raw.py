"""A raw record: one unit of input as bytes, as the driver enumerates it for the workers.

Its own module because both :mod:`rasd.batch.records` (files, JSON Lines) and
:mod:`rasd.batch.warc` (archives) make them: records reads archives through warc, and warc
needs nothing from records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One unit of input as bytes: what the worker turns into (at most) one document.

    ``kind``: ``text``, ``html``, ``json`` (a whole .json file holding one object),
    ``json-record`` (one JSONL line or array item) or ``error`` (``data`` is the reason).
    """

    name: str
    kind: str
    data: bytes
    url: str | None = None
    charset: str | None = None  # from the HTTP headers of a WARC response

    def digest_into(self, h: Any) -> None:
        """Feed everything that determines this record's output into ``h``."""
        for part in (self.name, self.kind, self.url or "", self.charset or ""):
            h.update(part.encode("utf-8", "surrogatepass") + b"\0")
        h.update(len(self.data).to_bytes(8, "little"))
        h.update(self.data)


def error_record(name: str, reason: str) -> RawRecord:
    return RawRecord(name, "error", reason.encode("utf-8"))


@dataclass
class EnumStats:
    """What the enumeration passed over without making a record of it (for the report)."""

    warc_skipped: int = 0  # WARC records that are not HTML 2xx responses
    files: int = 0
