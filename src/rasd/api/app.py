"""The HTTP API and the analysts' web page, served by one process over one SQLite store.

Why one process: an analyst runs ``rasd serve`` on a laptop and opens a browser; nothing else
to install or start. The analysis pipeline is built once per app, on the first request that
needs it, and shared by all later requests (its models load once). Every error is JSON,
``{"error": CODE, "detail": MESSAGE}``, with a 4xx status saying whose fault it is: too large a
body (413), too many heavy calls from one client (429), a missing or wrong token for a write
(401), an input that is not an Arabic article (400).
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import io
import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as ApiPath
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from rasd import __version__
from rasd.api.jobs import DEFAULT_JOB_CHARS, POLL_S, Job, JobRunner
from rasd.document import Document
from rasd.export.formats import csv_writer
from rasd.geo.precision import precision
from rasd.ingest import InputError, read_bytes
from rasd.link.augment import is_generic_name
from rasd.store.errors import SearchError, StoreError
from rasd.store.keys import name_norm
from rasd.store.lists import (
    count_claims,
    count_events,
    event_places,
    event_timeline,
    list_claims,
    list_events,
)
from rasd.store.records import claim_record, entity_brief
from rasd.store.search import count_search, search_facets
from rasd.store.search import search as store_search
from rasd.store.selects import CLAIM_COLS
from rasd.store.sqlite import DEFAULT_DB, Store, store_writable
from rasd.store.stories import story as story_detail_row
from rasd.store.stories import story_rows
from rasd.stories.view import story_view

WEB = Path(__file__).with_name("web")
DEFAULT_MAX_BODY = 5_000_000
DEFAULT_HEAVY_PER_MINUTE = 30
CONTEXT_CHARS = 60

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
RowId = Annotated[int, ApiPath(ge=0, le=2**63 - 1, description="a store row id")]
JobId = Annotated[str, ApiPath(pattern=r"^[0-9a-f]{32}$", description="a job id")]
# Past SQLite's integers an offset is a 422, not an OverflowError (issue #21.8).
Offset = Annotated[int, Query(ge=0, le=2**63 - 1)]
MinConfidence = Annotated[float | None, Query(
    ge=0, le=1, description="only claims/events the learned stages scored at least this "
    "(calibrated, 0-1); unscored rules-only ones are left out")]


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


def _error(status: int, code: str, detail: Any, headers: dict[str, str] | None = None
           ) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status, headers=headers)


class ApiError(HTTPException):
    """An HTTP error with a stable machine-readable code."""

    def __init__(self, status: int, code: str, detail: Any,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status, detail, headers)
        self.code = code


# -- limits ---------------------------------------------------------------------------------

class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuses request bodies over ``max_bytes`` with 413, declared or streamed (chunked)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > limit:
                    await self._refuse(scope, receive, send)
                    return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        mb = self.max_bytes / 1e6
        await _error(413, "too_large", f"request body over the limit of {mb:g} MB")(
            scope, receive, send)


class RateLimit:
    """At most ``per_minute`` heavy calls (analysis) per client address in any 60 s window."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.calls: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def __call__(self, request: Request) -> None:
        if self.per_minute <= 0:
            return
        client = request.client.host if request.client else "?"
        now = time.monotonic()
        with self.lock:
            calls = self.calls[client]
            while calls and now - calls[0] >= 60:
                calls.popleft()
            if len(calls) >= self.per_minute:
                wait = int(60 - (now - calls[0])) + 1
                raise ApiError(429, "rate_limited",
                               f"more than {self.per_minute} analysis calls a minute from "
                               f"this client; retry in {wait} s", {"Retry-After": str(wait)})
            calls.append(now)
            if len(self.calls) > 10_000:  # forget idle clients
                for key in [k for k, v in self.calls.items() if not v]:
                    del self.calls[key]


# -- the app --------------------------------------------------------------------------------

class Analyzer:
    """The app's one pipeline: built on first use, then shared (calls are serialized)."""

    def __init__(self, factory: Callable[[], Callable[[Document], Document]] | None) -> None:
        self.factory = factory
        self.pipeline: Callable[[Document], Document] | None = None
        self.lock = threading.Lock()
        self.builds = 0

    def __call__(self, doc: Document) -> Document:
        with self.lock:
            if self.pipeline is None:
                if self.factory is None:
                    from rasd.pipeline import Pipeline

                    self.pipeline = Pipeline()
                else:
                    self.pipeline = self.factory()
                self.builds += 1
            return self.pipeline(doc) or doc


_BODY_DOC = {
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


WRITE_TYPES = ("application/json", "multipart/form-data", "application/x-ndjson",
               "application/jsonl")


def _origin_of(url: str) -> str:
    from urllib.parse import urlsplit

    u = urlsplit(url)
    return f"{u.scheme}://{u.netloc}".lower()


def _same_origin_write(request: Request) -> None:
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


class HostCheck:
    """Answers only requests whose Host header names this server (DNS rebinding: a page of
    another site whose name now points at 127.0.0.1 must not read the store)."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = {h.lower().strip("[]") for h in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "*" in self.allowed:
            await self.app(scope, receive, send)
            return
        host = ""
        for key, value in scope.get("headers", []):
            if key == b"host":
                host = value.decode("latin-1").lower()
                break
        name = (host.rsplit(":", 1)[0] if not host.endswith("]") else host).strip("[]")
        if name not in self.allowed and not _ip_literal(name):
            response = _error(421, "bad_host", f"this server does not answer for host "
                                               f"{host or '(none)'}; see rasd serve --allow-host")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def _ip_literal(name: str) -> bool:
    """An address, not a name: no DNS answer stands between it and the server, so it cannot
    be rebound (a LAN client of a server bound to 0.0.0.0 uses one)."""
    import ipaddress

    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def create_app(db_path: str | Path = DEFAULT_DB, token: str | None = None, *,
               max_body_bytes: int = DEFAULT_MAX_BODY,
               heavy_per_minute: int = DEFAULT_HEAVY_PER_MINUTE,
               pipeline_factory: Callable[[], Callable[[Document], Document]] | None = None,
               allowed_hosts: Iterable[str] | None = None,
               job_pipeline: str = "default", job_chars: int = DEFAULT_JOB_CHARS,
               readonly: bool | None = None,
               ) -> FastAPI:
    """The API + web page over the store at ``db_path``.

    ``token``: when set, ``/api/ingest`` needs ``Authorization: Bearer TOKEN``; writes from
    another origin are refused either way. ``allowed_hosts``: the Host names answered (None:
    any; ``rasd serve`` passes the loopback names, or the bound address and --allow-host).
    ``max_body_bytes``: largest accepted request body. ``heavy_per_minute``: analysis calls
    (analyze, ingest) one client may make a minute (0: no limit). ``pipeline_factory``: builds
    the analysis pipeline on first use (default :class:`rasd.pipeline.Pipeline`).
    ``job_pipeline``: the pipeline of the background worker (``default``, ``fast`` or
    ``module:callable``); requests whose documents hold ``job_chars`` characters or more are
    analysed there (rasd.api.jobs), so a large text never holds up the others.
    ``readonly``: serve the store for reading only (writes get 403 ``read_only``); None: so
    when the store exists and cannot be written (read-only media, another user's file).
    """
    if readonly is None:
        readonly = Path(db_path).is_file() and not store_writable(db_path)
    store = Store(db_path, readonly=readonly)
    analyzer = Analyzer(pipeline_factory)
    jobs = JobRunner(job_pipeline)
    heavy = RateLimit(heavy_per_minute)
    app = FastAPI(title="rasd", version=__version__,
                  description="Read Arabic news into structured, sourced, searchable data: "
                              "analyse articles, keep them, search them, follow entities.",
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.store = store
    app.state.analyzer = analyzer
    app.state.jobs = jobs
    app.router.on_shutdown.append(jobs.close)
    # responses compressed for clients that accept it: the map's base layer is 902 kB of
    # GeoJSON (about 300 kB gzipped), a page of events tens of kB
    app.add_middleware(GZipMiddleware, minimum_size=4096)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)  # type: ignore[arg-type]
    if allowed_hosts is not None:
        app.add_middleware(HostCheck, allowed=list(allowed_hosts))  # type: ignore[arg-type]

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = getattr(exc, "code", None) or {404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "http_error")
        return _error(exc.status_code, code, exc.detail, getattr(exc, "headers", None))

    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(StarletteHTTPException)
    async def starlette_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return await http_error(request, exc)  # type: ignore[arg-type]

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"where": ".".join(str(x) for x in e.get("loc", ())), "message": e.get("msg")}
                  for e in exc.errors()]
        return _error(422, "invalid_request", errors)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        """A bug (in analysis, say) is still a JSON answer, without a traceback."""
        return _error(500, "internal_error", f"{type(exc).__name__} while handling "
                                             f"{request.url.path}; see the server log")

    from rasd.pipeline import BudgetExceeded

    @app.exception_handler(BudgetExceeded)
    async def too_long(request: Request, exc: BudgetExceeded) -> JSONResponse:
        return _error(422, "analysis_too_long", str(exc))

    @app.exception_handler(SearchError)
    async def bad_search(request: Request, exc: SearchError) -> JSONResponse:
        return _error(400, "bad_query", str(exc))

    def writer(request: Request) -> None:
        if store.readonly:
            raise ApiError(403, "read_only", f"{db_path} is served read-only; nothing is "
                                             "stored (analysis without storing still works)")
        _same_origin_write(request)
        if token is None:
            return
        auth = request.headers.get("authorization", "")
        scheme, _, given = auth.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(),
                                                                 token.encode()):
            raise ApiError(401, "unauthorized", "writing needs 'Authorization: Bearer TOKEN'",
                           {"WWW-Authenticate": "Bearer"})

    # -- pages ------------------------------------------------------------------------------
    docs_assets = _offline_docs_assets()
    if docs_assets is not None:
        app.mount("/api/docs-static", StaticFiles(directory=docs_assets), name="docs-static")

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> Response:
        """Swagger UI for the API, from local files when fastapi-offline is installed."""
        from fastapi.openapi.docs import get_swagger_ui_html

        extra = {}
        if docs_assets is not None:
            extra = {"swagger_js_url": "/api/docs-static/swagger-ui-bundle.js",
                     "swagger_css_url": "/api/docs-static/swagger-ui.css",
                     "swagger_favicon_url": "/api/docs-static/favicon.png"}
        return get_swagger_ui_html(openapi_url="/api/openapi.json", title="rasd API", **extra)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=WEB), name="static")

    # -- analysis ---------------------------------------------------------------------------
    def _analyze_all(docs: list[Document]) -> list[dict[str, Any]]:
        return [analyzer(d).to_dict() for d in docs]

    def _analysis_job(docs: list[Document]) -> Job:
        return jobs.submit("analyze", docs, lambda analyze: [analyze(d).to_dict()
                                                             for d in docs])

    def _ingest_job(docs: list[Document], errors: list[InputError]) -> Job:
        def work(analyze: Callable[[Document], Document]) -> dict[str, Any]:
            return _ingest_summary(store.ingest(docs, analyze), errors)

        return jobs.submit("ingest", docs, work)

    def _ingest_summary(result: Any, errors: list[InputError]) -> dict[str, Any]:
        for err in errors:
            result.note("failed", name=err.input, error=err.reason)
        return {"added": result.added, "updated": result.updated,
                "unchanged": result.unchanged, "failed": result.failed,
                "items": result.items, "documents": store.count()}

    def _large(docs: list[Document]) -> bool:
        return sum(len(d.text) for d in docs) >= job_chars

    async def _outcome(request: Request, job: Job) -> Any:
        """Wait for a job a synchronous call started; cancel it when the client goes."""
        try:
            while not job.over:
                if await request.is_disconnected():
                    jobs.cancel(job.id)
                    raise ApiError(499, "client_closed",
                                   "the client went away; analysis cancelled")
                await asyncio.sleep(POLL_S)
        except asyncio.CancelledError:  # the server is shutting down
            jobs.cancel(job.id)
            raise
        if job.status == "failed" and job.error:
            code = job.error["error"]
            raise ApiError(422 if code == "analysis_too_long" else 500, code,
                           job.error["detail"])
        if job.status == "cancelled":
            raise ApiError(409, "cancelled", "the analysis was cancelled")
        return job.result

    @app.post("/api/analyze", tags=["analysis"], openapi_extra={"requestBody": _BODY_DOC},
              dependencies=[Depends(heavy)],
              summary="Analyse an article (JSON, upload or raw text) without storing it")
    async def analyze(request: Request) -> Any:
        """Returns the analysed document (docs/schema.md); several documents (a JSONL upload,
        a JSON array) come back as a list."""
        items = await read_documents(request, max_body_bytes)
        bad = [i for i in items if isinstance(i, InputError)]
        if bad:
            raise ApiError(400, "bad_input", str(bad[0]))
        docs = [i for i in items if isinstance(i, Document)]
        if _large(docs):
            out = await _outcome(request, _analysis_job(docs))
        else:
            out = await run_in_threadpool(_analyze_all, docs)
        return out[0] if len(out) == 1 else out

    @app.post("/api/ingest", tags=["store"], openapi_extra={"requestBody": _BODY_DOC},
              dependencies=[Depends(writer), Depends(heavy)],
              summary="Analyse and store articles (idempotent; bearer token when set)")
    async def ingest(request: Request) -> dict[str, Any]:
        """Stores new articles, updates changed ones (same URL), skips those already stored.
        ``items`` says what happened to each, with its store ``id``."""
        items = await read_documents(request, max_body_bytes)
        docs = [i for i in items if isinstance(i, Document)]
        errors = [i for i in items if isinstance(i, InputError)]
        if not docs:
            raise ApiError(400, "bad_input", str(errors[0]) if errors else "no documents")
        if _large(docs):
            return await _outcome(request, _ingest_job(docs, errors))
        result = await run_in_threadpool(store.ingest, docs, analyzer)
        return _ingest_summary(result, errors)

    # -- background jobs --------------------------------------------------------------------
    @app.post("/api/jobs", tags=["analysis"], status_code=202,
              openapi_extra={"requestBody": _BODY_DOC}, dependencies=[Depends(heavy)],
              summary="Start a background analysis (store=true: analyse and store)")
    async def create_job(request: Request, store_: Annotated[bool, Query(
            alias="store", description="store the documents (an ingest; token when set)")]
            = False) -> JSONResponse:
        """Answers at once with the job; follow it at ``/api/jobs/{id}`` (progress by stage,
        the result when done), cancel it with ``DELETE``. Any size up to the body limit."""
        if store_:
            writer(request)
        else:
            _same_origin_write(request)
        items = await read_documents(request, max_body_bytes)
        docs = [i for i in items if isinstance(i, Document)]
        errors = [i for i in items if isinstance(i, InputError)]
        if not docs or (errors and not store_):
            raise ApiError(400, "bad_input", str(errors[0]) if errors else "no documents")
        job = _ingest_job(docs, errors) if store_ else _analysis_job(docs)
        return JSONResponse(job.view(), status_code=202,
                            headers={"Location": f"/api/jobs/{job.id}"})

    @app.get("/api/jobs", tags=["analysis"], summary="Background jobs, newest first")
    def list_jobs() -> dict[str, Any]:
        return {"jobs": [j.view(result=False) for j in reversed(jobs.list())],
                "job_chars": job_chars}

    @app.get("/api/jobs/{job_id}", tags=["analysis"], summary="A job: progress, result")
    def get_job(job_id: JobId) -> dict[str, Any]:
        job = jobs.get(job_id)
        if job is None:
            raise ApiError(404, "not_found", f"no job {job_id} (finished jobs are kept a while)")
        return job.view()

    @app.delete("/api/jobs/{job_id}", tags=["analysis"], summary="Cancel a job")
    def cancel_job(request: Request, job_id: JobId) -> dict[str, Any]:
        _same_origin_write(request)
        job = jobs.cancel(job_id)
        if job is None:
            raise ApiError(404, "not_found", f"no job {job_id}")
        return job.view(result=False)

    # -- reading ----------------------------------------------------------------------------
    @app.get("/api/stats", tags=["store"], summary="What the store holds")
    def stats() -> dict[str, Any]:
        return {"rasd": __version__, "schema": store.version, **store.stats(),
                "write_token": token is not None, "read_only": store.readonly}

    @app.get("/api/search", tags=["search"], summary="Arabic-aware search")
    def search(q: Annotated[str, Query(max_length=500, description="words (all required)")] = "",
               kind: Annotated[str, Query(pattern="^(documents|events|claims)$")] = "documents",
               entity: str | None = None,
               type: Annotated[str | None, Query(description="PLOVER event type")] = None,
               since: str | None = None, until: str | None = None,
               source: Annotated[str | None, Query(
                   description="claims: who speaks; documents/events: outlet")] = None,
               limit: Annotated[int, Query(ge=1, le=200)] = 20,
               offset: Offset = 0,
               sort: Annotated[str, Query(pattern="^(relevance|newest|oldest)$")] = "relevance"
               ) -> dict[str, Any]:
        """Normalized matching (alef/hamza, ى/ي, ة/ه, diacritics, tatweel) and clitics:
        طرابلس finds بطرابلس and وطرابلس. Filters as in ``rasd search``; best match first,
        or ``sort=newest`` / ``oldest``."""
        filters = {"entity": entity, "type": type, "since": since, "until": until,
                   "source": source, "kind": kind}
        return {"query": q, "kind": kind, "sort": sort,
                "facets": search_facets(store, q, **filters),
                **_page(store_search(store, q, **filters, limit=limit, offset=offset,
                                     sort=sort),
                        count_search(store, q, **filters), offset, limit)}

    @app.get("/api/documents/{doc_id}", tags=["store"], summary="A stored document")
    def document(doc_id: RowId) -> dict[str, Any]:
        """The document as analysed (docs/schema.md) plus ``store``: its row id and the map
        from its entity ids (``e1``) to stored entity ids."""
        data = store.document(doc_id)
        if data is None:
            raise ApiError(404, "not_found", f"no document {doc_id}")
        return data

    @app.get("/api/entities", tags=["entities"], summary="Find stored entities")
    def entities(q: str | None = None, type: str | None = None, kb_id: str | None = None,
                 located: bool = False,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 50,
                 offset: Offset = 0) -> dict[str, Any]:
        """By name (any spelling a mention used, normalized; names that begin with ``q``
        before those that contain it, for type-ahead), type, KB id; ``located`` for the map.
        Most mentioned first; ``total`` counts every match."""
        where, params = [], []
        if kb_id:
            where.append("e.kb_id = ?")
            params.append(kb_id)
        if q:
            key = name_norm(q)
            where.append("(e.name_norm = ? OR e.id IN (SELECT entity FROM mentions WHERE"
                         " text_norm = ?) OR instr(e.name_norm, ?) > 0)")
            params += [key, key, key]
        if type:
            where.append("e.type = ?")
            params.append(type.upper())
        if located:
            where.append("e.lat IS NOT NULL AND e.lon IS NOT NULL")
        sql = ("SELECT e.*, (SELECT count(*) FROM mentions m WHERE m.entity = e.id) AS mentions,"
               " (SELECT count(*) FROM doc_entities d WHERE d.entity = e.id) AS documents"
               " FROM entities e")
        cond = (" WHERE " + " AND ".join(where)) if where else ""
        total = store.conn.execute(f"SELECT count(*) FROM entities e{cond}", params).fetchone()[0]
        sql += cond
        if q:  # an exact name first, then names that begin so, then the most mentioned
            sql += (" ORDER BY (e.name_norm = ?) DESC, (instr(e.name_norm, ?) = 1) DESC,"
                    " mentions DESC, e.id LIMIT ? OFFSET ?")
            params += [name_norm(q), name_norm(q), limit, offset]
        else:
            sql += " ORDER BY mentions DESC, e.id LIMIT ? OFFSET ?"
            params += [limit, offset]
        rows = [_entity_row(r) for r in store.conn.execute(sql, params)]
        return _page(rows, total, offset, limit)

    @app.get("/api/entities/{entity_id}", tags=["entities"],
             summary="An entity across the store: mentions, events, claims")
    def entity(entity_id: RowId, limit: Annotated[int, Query(ge=1, le=5000)] = 500,
               mentions_limit: Annotated[int, Query(ge=1, le=1000)] = 50
               ) -> dict[str, Any]:
        """The entity, its names (``aliases``: how articles wrote it, most used first;
        ``generic``: the anaphors and common nouns among them, الحكومة، التنظيم), the first
        page of its mentions (``mentions_total``; more at ``/api/entities/{id}/mentions``),
        its events, its claims and the claims about it, and the entities it meets most:
        ``counterparts`` (the other side of its events) and ``co_occurring`` (named in the
        same articles)."""
        conn = store.conn
        row = conn.execute("SELECT e.*, (SELECT count(*) FROM mentions m WHERE m.entity = e.id)"
                           " AS mentions, (SELECT count(*) FROM doc_entities d WHERE"
                           " d.entity = e.id) AS documents FROM entities e WHERE e.id = ?",
                           (entity_id,)).fetchone()
        if row is None:
            raise ApiError(404, "not_found", f"no entity {entity_id}")
        mentions = _mentions_of(entity_id, 0, mentions_limit)
        aliases, generic = _aliases_of(entity_id)
        events = list_events(store, entity=str(entity_id), limit=limit)
        claims = list_claims(store, entity=str(entity_id), limit=limit)
        about = [claim_record(store, r) for r in conn.execute(
            f"SELECT DISTINCT {CLAIM_COLS} FROM mentions m JOIN claims c ON c.doc = m.doc"
            ' AND m.start >= c.content_start AND m."end" <= c.content_end'
            " JOIN documents d ON d.id = c.doc"
            " WHERE m.entity = ? AND (c.source IS NULL OR c.source != ?)"
            " ORDER BY c.date DESC, c.id LIMIT ?", (entity_id, entity_id, limit))]
        return {"entity": _entity_row(row), "aliases": aliases, "generic": generic,
                "mentions": mentions, "mentions_total": row["mentions"],
                "events": events, "claims": claims, "claims_about": about,
                "counterparts": _counterparts(entity_id), "co_occurring": _co_occurring(entity_id)}

    @app.get("/api/entities/{entity_id}/mentions", tags=["entities"],
             summary="An entity's mentions, newest article first, one page")
    def entity_mentions(entity_id: RowId, offset: Offset = 0,
                        limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> dict[str, Any]:
        total = store.conn.execute("SELECT count(*) FROM mentions WHERE entity = ?",
                                   (entity_id,)).fetchone()[0]
        return _page(_mentions_of(entity_id, offset, limit), total, offset, limit)

    def _mentions_of(entity_id: int, offset: int, limit: int) -> list[dict[str, Any]]:
        out = []
        for m in store.conn.execute(
                'SELECT m.doc, m.local_id, m.start, m."end", m.text, m.type, d.title, d.date,'
                " d.outlet, substr(d.text, max(1, m.start + 1 - ?), min(m.start, ?)) AS before,"
                ' substr(d.text, m."end" + 1, ?) AS after FROM mentions m JOIN documents d'
                " ON d.id = m.doc WHERE m.entity = ? ORDER BY d.date DESC, m.doc, m.start"
                " LIMIT ? OFFSET ?",
                (CONTEXT_CHARS, CONTEXT_CHARS, CONTEXT_CHARS, entity_id, limit, offset)):
            out.append({"doc": m["doc"], "id": m["local_id"], "start": m["start"],
                        "end": m["end"], "text": m["text"], "type": m["type"],
                        "doc_title": m["title"], "date": m["date"], "outlet": m["outlet"],
                        "before": " ".join(m["before"].split()),
                        "after": " ".join(m["after"].split())})
        return out

    def _aliases_of(entity_id: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """How the articles wrote the entity, with counts: names, and apart from them the
        common nouns that stood for it (a head noun alone, a KB common word)."""
        names, generic = [], []
        for text, n in store.conn.execute(
                "SELECT min(text), count(*) AS n FROM mentions WHERE entity = ? GROUP BY"
                " text_norm ORDER BY n DESC LIMIT 60", (entity_id,)):
            (generic if is_generic_name(text) else names).append({"text": text, "count": n})
        return names, generic

    def _counterparts(entity_id: int, limit: int = 12) -> list[dict[str, Any]]:
        rows = store.conn.execute(
            "SELECT other, count(*) AS n FROM (SELECT target AS other FROM events WHERE"
            " actor = ? AND target IS NOT NULL AND target != ? UNION ALL SELECT actor FROM"
            " events WHERE target = ? AND actor IS NOT NULL AND actor != ?) GROUP BY other"
            " ORDER BY n DESC, other LIMIT ?",
            (entity_id, entity_id, entity_id, entity_id, limit)).fetchall()
        return _with_briefs(rows)

    def _co_occurring(entity_id: int, limit: int = 15) -> list[dict[str, Any]]:
        rows = store.conn.execute(
            "SELECT d2.entity AS other, count(DISTINCT d2.doc) AS n FROM doc_entities d1"
            " JOIN doc_entities d2 ON d2.doc = d1.doc AND d2.entity != d1.entity"
            " WHERE d1.entity = ? AND d2.type IN ('PER', 'ORG') GROUP BY d2.entity"
            " ORDER BY n DESC, other LIMIT ?", (entity_id, limit)).fetchall()
        return _with_briefs(rows)

    def _with_briefs(rows: list[Any]) -> list[dict[str, Any]]:
        briefs = ((entity_brief(store, other), n) for other, n in rows)
        return [{**brief, "count": n} for brief, n in briefs if brief is not None]

    @app.get("/api/events", tags=["events"], summary="Events across the store")
    def events(type: Annotated[str | None, Query(description="PLOVER type")] = None,
               entity: str | None = None, since: str | None = None, until: str | None = None,
               status: Annotated[str | None, Query(
                   description="asserted, reported, expected, hypothetical, denied")] = None,
               q: str = "", limit: Annotated[int, Query(ge=1, le=5000)] = 200,
               offset: Offset = 0,
               min_confidence: MinConfidence = None,
               sort: Annotated[str, Query(pattern="^(date|oldest|type|confidence)$",
                                          description="date (newest first), oldest, type, "
                                                      "confidence")] = "date"
               ) -> dict[str, Any]:
        """Newest first by default; ``entity`` as actor, target or place; ``date`` is the
        event's own day when its time resolves to one, else its article's."""
        filters = {"entity": entity, "type": type, "since": since, "until": until,
                   "status": status, "query": q, "min_confidence": min_confidence}
        return _page(list_events(store, **filters, limit=limit, offset=offset, sort=sort),
                     count_events(store, **filters), offset, limit)

    @app.get("/api/events/places", tags=["events"],
             summary="Where the events took place: every located place, with counts")
    def places(type: Annotated[str | None, Query(description="PLOVER type")] = None,
               entity: str | None = None, since: str | None = None, until: str | None = None,
               status: str | None = None, q: str = "",
               min_confidence: MinConfidence = None) -> dict[str, Any]:
        """All the events of the filters (the events list's), not one page: per place its
        count by type and its ``precision`` (country, region, city, place); ``unlocated``
        counts the events with no place on the map."""
        return event_places(store, entity=entity, type=type, since=since, until=until,
                            status=status, query=q, min_confidence=min_confidence)

    @app.get("/api/events/timeline", tags=["events"],
             summary="Events per day and type, over all the events of the filters")
    def timeline(type: Annotated[str | None, Query(description="PLOVER type")] = None,
                 entity: str | None = None, since: str | None = None,
                 until: str | None = None, status: str | None = None, q: str = "",
                 min_confidence: MinConfidence = None) -> dict[str, Any]:
        """``days`` with events, ``types``: count per day for each type; events dated only to
        a month or year are counted in ``imprecise``, not put on a day."""
        return event_timeline(store, entity=entity, type=type, since=since, until=until,
                              status=status, query=q, min_confidence=min_confidence)

    @app.get("/api/claims", tags=["claims"], summary="Who says what, across the store")
    def claims(source: Annotated[str | None, Query(
                   description="who speaks: a name or part of one")] = None,
               entity: Annotated[str | None, Query(
                   description="the speaker, or the body it speaks for (فرنسا: also its "
                               "embassy, its ministers): an entity id, KB id or name")] = None,
               about: Annotated[str | None, Query(
                   description="an entity named in what was said")] = None,
               outlet: Annotated[str | None, Query(
                   description="the article's outlet, in Arabic or Latin (عكاظ, Okaz)")] = None,
               stance: Annotated[str | None, Query(
                   pattern="^(neutral|assert|doubt|deny)$")] = None,
               since: str | None = None, until: str | None = None, q: str = "",
               limit: Annotated[int, Query(ge=1, le=5000)] = 200,
               offset: Offset = 0,
               min_confidence: MinConfidence = None,
               sort: Annotated[str, Query(pattern="^(relevance|newest|oldest)$")] = "relevance"
               ) -> dict[str, Any]:
        """Newest first (the best match of ``q`` first unless ``sort`` is newest or oldest).
        ``speaks_for`` is the body the speaker speaks for when it is not the speaker itself;
        ``via`` the claim that reports this one (the sourcing chain)."""
        filters = {"source": source, "entity": entity, "stance": stance, "since": since,
                   "until": until, "query": q, "min_confidence": min_confidence,
                   "about": about, "outlet": outlet}
        return _page(list_claims(store, **filters, limit=limit, offset=offset, sort=sort),
                     count_claims(store, **filters), offset, limit)

    @app.get("/api/stories", tags=["stories"], summary="Stories across outlets and days")
    def stories(since: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
                until: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
                min_articles: Annotated[int, Query(ge=1, description=(
                    "only stories told by at least this many articles"))] = 1,
                limit: Annotated[int, Query(ge=1, le=5000)] = 200,
                offset: Offset = 0) -> dict[str, Any]:
        """Largest first, then newest; a story is open on the days ``first_day``–``last_day``
        (``since``/``until`` keep the stories open on some day of the range)."""
        total, rows = story_rows(store.conn, limit, offset, since, until, min_articles)
        return _page(rows, total, offset, limit)

    @app.get("/api/stories/{story_id}", tags=["stories"],
             summary="One story: its articles by outlet and time")
    def story_detail(story_id: Annotated[str, ApiPath(pattern=r"^st-[0-9a-f]{12}(-[0-9]+)?$")]
                     ) -> dict[str, Any]:
        """The story and its articles in time order (store ``id``, title, outlet, published,
        url, ``similarity`` when it joined, ``duplicate_of``: the article it republishes);
        ``event_clusters``: its events merged across reports; ``contradictions``: where its
        articles disagree, both spans given; ``framing``: the words outlets use for its
        actors (docs/stories.md)."""
        data = story_detail_row(store.conn, story_id)
        if data is None:
            raise ApiError(404, "not_found", f"no story {story_id}")
        docs = [json.loads(r[0]) for r in store.conn.execute(
            "SELECT d.data FROM story_articles s JOIN documents d ON d.id = s.doc"
            " WHERE s.story = ? ORDER BY d.id", (story_id,))]
        store_ids = {a["doc_id"]: a["id"] for a in data["articles"]}
        view = story_view(docs, story_id)
        for c in view["event_clusters"]:
            for m in c["mentions"]:
                m["store_doc"] = store_ids.get(m["doc"])
        for x in view["contradictions"]:
            for side in ("a", "b"):
                x[side]["store_doc"] = store_ids.get(x[side]["doc"])
        return {**data, **view}

    # -- exports ----------------------------------------------------------------------------
    @app.get("/api/export/events.csv", tags=["export"], summary="Events as CSV",
             response_class=Response)
    def export_csv(type: str | None = None, entity: str | None = None,
                   since: str | None = None, until: str | None = None,
                   status: str | None = None, q: str = "",
                   min_confidence: MinConfidence = None) -> Response:
        """One row per event, arguments by name; UTF-8 with BOM so spreadsheets read Arabic;
        cells that a spreadsheet would run as a formula are neutralised."""
        hits = list_events(store, entity=entity, type=type, since=since, until=until,
                           status=status, query=q, limit=100_000,
                           min_confidence=min_confidence)
        buf = io.StringIO()
        out = csv_writer(buf)
        out.writerow(["id", "date", "type", "status", "negated", "trigger", "actor", "target",
                      "location", "lat", "lon", "time", "sentence", "document", "title",
                      "url", "outlet", "confidence"])
        for h in hits:
            loc = h["location"] or {}
            out.writerow([h["id"], h["date"] or "", h["type"], h["status"], int(h["negated"]),
                          h["trigger"]["text"], (h["actor"] or {}).get("name", ""),
                          (h["target"] or {}).get("name", ""), loc.get("name", ""),
                          loc.get("lat", "") if loc.get("lat") is not None else "",
                          loc.get("lon", "") if loc.get("lon") is not None else "",
                          h["time"] or "", " ".join((h["sentence"] or "").split()), h["doc"],
                          h["doc_title"] or "", h["doc_url"] or "", h["outlet"] or "",
                          "" if h["confidence"] is None else h["confidence"]])
        return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="events.csv"'})

    @app.get("/api/export/events.geojson", tags=["export"], summary="Located events as GeoJSON")
    def export_geojson(type: str | None = None, entity: str | None = None,
                       since: str | None = None, until: str | None = None,
                       status: str | None = None, q: str = "",
                       min_confidence: MinConfidence = None) -> Response:
        """A FeatureCollection of the events whose place has coordinates (RFC 7946: lon, lat)."""
        hits = list_events(store, entity=entity, type=type, since=since, until=until,
                           status=status, query=q, limit=100_000,
                           min_confidence=min_confidence)
        features = []
        for h in hits:
            loc = h["location"]
            if not loc or loc.get("lat") is None or loc.get("lon") is None:
                continue
            props = {k: h[k] for k in ("id", "type", "date", "status", "negated", "time",
                                       "doc", "doc_title", "doc_url", "outlet", "confidence")}
            props |= {"trigger": h["trigger"]["text"], "location": loc["name"],
                      "actor": (h["actor"] or {}).get("name"),
                      "target": (h["target"] or {}).get("name"), "sentence": h["sentence"]}
            features.append({"type": "Feature", "properties": props,
                             "geometry": {"type": "Point", "coordinates": [loc["lon"],
                                                                           loc["lat"]]}})
        body = json.dumps({"type": "FeatureCollection", "features": features},
                          ensure_ascii=False)
        return Response(body, media_type="application/geo+json",
                        headers={"Content-Disposition":
                                 'attachment; filename="events.geojson"'})

    def openapi() -> dict[str, Any]:
        """FastAPI's schema plus the article models the hand-written request bodies name."""
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(title=app.title, version=app.version,
                                 description=app.description, routes=app.routes)
            comps = schema.setdefault("components", {}).setdefault("schemas", {})
            for model in (Article, ArticleBatch):
                comps[model.__name__] = model.model_json_schema(
                    ref_template="#/components/schemas/{model}")
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _page(hits: list[dict[str, Any]], total: int, offset: int, limit: int) -> dict[str, Any]:
    """One page of a list and where it stands: ``count`` rows of ``total``, from ``offset``."""
    return {"count": len(hits), "total": total, "offset": offset, "limit": limit,
            "results": hits}


def _offline_docs_assets() -> Path | None:
    """Swagger UI's files shipped by the fastapi-offline package, so docs work offline."""
    try:
        import fastapi_offline  # type: ignore[import-untyped]
    except ImportError:
        return None
    static = Path(fastapi_offline.__file__).with_name("static")
    return static if (static / "swagger-ui-bundle.js").exists() else None


def _entity_row(r: Any) -> dict[str, Any]:
    keys = r.keys()
    out = {k: r[k] for k in ("id", "type", "name", "name_en", "kb_id", "country", "lat", "lon")}
    if out["lat"] is not None:
        out["precision"] = precision(out["kb_id"])
    for k in ("mentions", "documents"):
        if k in keys:
            out[k] = r[k]
    return out


# -- `rasd serve` ---------------------------------------------------------------------------

def _port(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = -1
    if not 1 <= n <= 65535:
        raise argparse.ArgumentTypeError(f"a TCP port is 1-65535, not {value!r}")
    return n


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``rasd serve [--db PATH] [--host H] [--port P] [--token T]``."""
    parser.add_argument("--db", default=DEFAULT_DB, metavar="PATH",
                        help=f"SQLite store (created if absent; default {DEFAULT_DB})")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=_port, default=8000)
    parser.add_argument("--token", default=None, metavar="T",
                        help="require 'Authorization: Bearer T' for /api/ingest")
    parser.add_argument("--max-body-mb", type=float, default=DEFAULT_MAX_BODY / 1e6,
                        help="largest request body accepted (default %(default)g MB)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="also answer requests for this Host name (repeatable; '*': any). "
                             "By default only the address served on (and localhost names "
                             "when it is a loopback address)")
    parser.add_argument("--proxy", default=None, metavar="ADDR",
                        help="address of a reverse proxy whose X-Forwarded-For is believed "
                             "(default: none is; every client is its socket address)")
    parser.add_argument("--read-only", action="store_true",
                        help="serve the store for reading only (also chosen by itself when "
                             "the store cannot be written)")
    parser.add_argument("--job-chars", type=int, default=DEFAULT_JOB_CHARS, metavar="N",
                        help="inputs of N characters or more are analysed in a background "
                             "worker process, so they hold up no other request "
                             "(default %(default)s)")
    parser.add_argument("--rate", type=int, default=DEFAULT_HEAVY_PER_MINUTE, metavar="N",
                        help="analysis calls per minute per client (0: unlimited; "
                             "default %(default)s)")


def serve_hosts(bound: str, extra: Iterable[str] = ()) -> list[str]:
    """The Host names ``rasd serve`` answers: the bound address, the loopback names when it
    is one, and ``--allow-host`` values; any IP address literal is answered too (it cannot be
    rebound). Bound to every interface (0.0.0.0, ::) it answers the machine's name too."""
    import socket

    hosts = [bound, *extra]
    if bound in LOOPBACK_NAMES or bound.startswith("127."):
        hosts += LOOPBACK_NAMES
    if bound in ("0.0.0.0", "::"):
        hosts += [*LOOPBACK_NAMES, socket.gethostname(), socket.getfqdn()]
    return hosts


def run_from_args(args: argparse.Namespace) -> int:
    """``rasd serve``: run the API and web page until interrupted."""
    import sys

    import uvicorn

    try:
        app = create_app(args.db, token=args.token, max_body_bytes=int(args.max_body_mb * 1e6),
                         heavy_per_minute=args.rate, job_chars=args.job_chars,
                         readonly=True if args.read_only else None,
                         allowed_hosts=serve_hosts(args.host, args.allow_host))
    except StoreError as exc:
        print(f"rasd: {exc}", file=sys.stderr)
        return 1
    print(f"rasd: serving {args.db} on http://{args.host}:{args.port}/ "
          f"(API docs at /api/docs)", file=sys.stderr)
    # X-Forwarded-For is believed only from the proxy named with --proxy (the rate limit
    # counts per client address; uvicorn would otherwise trust it from 127.0.0.1).
    # On SIGTERM/Ctrl-C, requests still waiting for a job get 10 s, then the worker is
    # stopped (the shutdown hook) and the server exits.
    uvicorn.run(app, host=args.host, port=args.port, log_level="info",
                proxy_headers=bool(args.proxy), forwarded_allow_ips=args.proxy or None,
                timeout_graceful_shutdown=10)
    return 0


