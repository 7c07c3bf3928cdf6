"""Who may write: a write a browser sends for another site (CSRF) is refused, a read-only
store refuses every write, and a server started with a token asks for it."""

from __future__ import annotations

import hmac
from pathlib import Path

from fastapi import Request

from rasd.api.errors import ApiError

WRITE_TYPES = ("application/json", "multipart/form-data", "application/x-ndjson",
               "application/jsonl")


def _origin_of(url: str) -> str:
    from urllib.parse import urlsplit

    u = urlsplit(url)
    return f"{u.scheme}://{u.netloc}".lower()


def same_origin_write(request: Request) -> None:
    """Refuse a write a browser sends for another site (CSRF): its Origin (else Referer) must
    be this server's own, and its body must not be a type an HTML form or a "simple"
    cross-site request can send unasked (text/plain, form-urlencoded). Clients that are not
    browsers send neither header and are not affected."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype and ctype not in WRITE_TYPES:
        raise ApiError(415, "unsupported_media_type",
                       f"writes take JSON or multipart/form-data, not {ctype}")
    origin = request.headers.get("origin")
    if origin is None and request.headers.get("referer"):
        origin = _origin_of(request.headers["referer"])
    if origin is None:
        return
    own = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
    if origin.lower().rstrip("/") != own:
        raise ApiError(403, "cross_origin", f"writes from another origin ({origin}) are refused")


def check_writer(request: Request, *, readonly: bool, db_path: str | Path,
                 token: str | None) -> None:
    """A write to the store: refused when it is served read-only, from another origin, or
    without the bearer token the server was started with."""
    if readonly:
        raise ApiError(403, "read_only", f"{db_path} is served read-only; nothing is "
                                         "stored (analysis without storing still works)")
    same_origin_write(request)
    if token is None:
        return
    auth = request.headers.get("authorization", "")
    scheme, _, given = auth.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(),
                                                             token.encode()):
        raise ApiError(401, "unauthorized", "writing needs 'Authorization: Bearer TOKEN'",
                       {"WWW-Authenticate": "Bearer"})
