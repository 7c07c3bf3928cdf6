"""Request bodies that carry articles: JSON (one, a list, ``{"documents": [...]}``), a
multipart upload or form, or raw text/HTML; and their OpenAPI description."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import Request
from pydantic import BaseModel, Field

from rasd.api.errors import ApiError
from rasd.document import Document
from rasd.ingest import InputError, read_bytes


class Article(BaseModel):
    """One article for ``/api/analyze`` or ``/api/ingest`` (JSON body)."""

    text: str = Field(description="the article text (Arabic)")
    title: str | None = None
    url: str | None = Field(None, description="identifies the article in the store")
    published: str | None = Field(None, description="ISO date or date-time of publication")
    outlet: str | None = None
    id: str | None = None


class ArticleBatch(BaseModel):
    documents: list[Article]


BODY_DOC = {
    "required": True,
    "content": {
        "application/json": {"schema": {"anyOf": [
            {"$ref": "#/components/schemas/Article"},
            {"$ref": "#/components/schemas/ArticleBatch"},
            {"type": "array", "items": {"$ref": "#/components/schemas/Article"}}]}},
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary",
                     "description": ".txt, .html, .json or .jsonl"},
            "text": {"type": "string"}, "title": {"type": "string"},
            "url": {"type": "string"}, "published": {"type": "string"},
            "outlet": {"type": "string"}}}},
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
    },
}
_KINDS = {"text/plain": ("request.txt", "text"), "text/html": ("request.html", "html"),
          "application/x-ndjson": ("request.jsonl", "jsonl"),
          "application/jsonl": ("request.jsonl", "jsonl")}


async def read_documents(request: Request, max_bytes: int) -> list[Document | InputError]:
    """The articles of a request body: JSON, a multipart upload or form, or raw text/HTML."""
    from rasd.ingest.jsonl import from_record

    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    out: list[Document | InputError] = []
    if ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form(max_files=20, max_fields=50, max_part_size=max_bytes)
        meta = {k: v.strip() for k in ("title", "url", "published", "outlet")
                if isinstance(v := form.get(k), str) and v.strip()}
        for _, value in form.multi_items():
            if hasattr(value, "read"):  # an uploaded file
                data = await value.read()
                docs = _read(data, value.filename or "upload.txt", None, max_bytes)
                if meta and len(docs) == 1 and isinstance(docs[0], Document):
                    # the form's title, date, outlet, URL describe the one article uploaded
                    for k, v in meta.items():
                        setattr(docs[0], k, v)
                out += docs
        text = form.get("text")
        if isinstance(text, str) and text.strip():
            record = {k: v for k, v in form.items() if isinstance(v, str) and v.strip()}
            out.append(_record(from_record, record, "form"))
        if not out:
            raise ApiError(400, "bad_input", "no 'file' and no 'text' in the form")
        return out
    body = await request.body()
    if not body.strip():
        raise ApiError(400, "bad_input", "empty request body")
    if ctype in _KINDS:
        name, kind = _KINDS[ctype]
        return _read(body, name, kind, max_bytes)
    if ctype not in ("application/json", ""):
        raise ApiError(415, "unsupported_media_type",
                       f"send application/json, multipart/form-data, text/plain or text/html, "
                       f"not {ctype}")
    try:
        parsed = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(400, "bad_json", f"invalid JSON: {exc}") from None
    except RecursionError:
        raise ApiError(400, "bad_json", "invalid JSON: nested too deeply") from None
    records = parsed.get("documents") if isinstance(parsed, dict) and "documents" in parsed \
        else parsed
    if not isinstance(records, list):
        records = [records]
    if not records:
        raise ApiError(400, "bad_input", "no documents in the request")
    return [_record(from_record, r, f"request:{i}" if len(records) > 1 else "request")
            for i, r in enumerate(records, 1)]


def _record(reader: Callable[[Any, str], Document], record: Any, name: str
            ) -> Document | InputError:
    try:
        return reader(record, name)
    except InputError as err:
        return err


def _read(data: bytes, name: str, kind: str | None, max_bytes: int
          ) -> list[Document | InputError]:
    try:
        return list(read_bytes(data, name, kind, max_bytes=max_bytes))
    except InputError as err:
        return [err]
