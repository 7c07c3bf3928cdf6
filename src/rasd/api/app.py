"""The HTTP API and the analysts' web page, served by one process over one SQLite store.

Why one process: an analyst runs ``rasd serve`` on a laptop and opens a browser; nothing else
to install or start. The analysis pipeline is built once per app, on the first request that
needs it, and shared by all later requests (its models load once). Every error is JSON,
``{"error": CODE, "detail": MESSAGE}``, with a 4xx status saying whose fault it is: too large a
body (413), too many heavy calls from one client (429), a missing or wrong token for a write
(401), an input that is not an Arabic article (400).

This module only assembles the app; the parts are named for what they do: ``limits``
(body size, rate), ``hosts`` (DNS rebinding), ``guards`` (who may write), ``bodies`` (reading
articles from requests), ``errors``, ``analyzer`` (the shared pipeline), ``context`` (what
the routes share), ``params``, and the ``routes_*`` modules. Their SQL is in
:mod:`rasd.store`; ``rasd serve`` is :mod:`rasd.cli.serve`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from rasd import __version__
from rasd.api.analyzer import Analyzer
from rasd.api.bodies import Article, ArticleBatch
from rasd.api.context import ApiContext
from rasd.api.errors import install_handlers
from rasd.api.hosts import HostCheck
from rasd.api.jobs import DEFAULT_JOB_CHARS, JobRunner
from rasd.api.limits import DEFAULT_HEAVY_PER_MINUTE, DEFAULT_MAX_BODY, BodyLimit, RateLimit
from rasd.api.routes_analysis import add_analysis_routes
from rasd.api.routes_export import add_export_routes
from rasd.api.routes_lists import add_list_routes
from rasd.api.routes_pages import add_page_routes
from rasd.api.routes_store import add_store_routes
from rasd.document import Document
from rasd.store.sqlite import DEFAULT_DB, Store, store_writable


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
    ctx = ApiContext(store=store, analyzer=Analyzer(pipeline_factory),
                     jobs=JobRunner(job_pipeline), heavy=RateLimit(heavy_per_minute),
                     db_path=db_path, token=token, max_body_bytes=max_body_bytes,
                     job_chars=job_chars)
    app = FastAPI(title="rasd", version=__version__,
                  description="Read Arabic news into structured, sourced, searchable data: "
                              "analyse articles, keep them, search them, follow entities.",
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.store = store
    app.state.analyzer = ctx.analyzer
    app.state.jobs = ctx.jobs
    app.router.on_shutdown.append(ctx.jobs.close)
    # responses compressed for clients that accept it: the map's base layer is 902 kB of
    # GeoJSON (about 300 kB gzipped), a page of events tens of kB
    app.add_middleware(GZipMiddleware, minimum_size=4096)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)  # type: ignore[arg-type]
    if allowed_hosts is not None:
        app.add_middleware(HostCheck, allowed=list(allowed_hosts))  # type: ignore[arg-type]
    install_handlers(app)
    add_page_routes(app)
    add_analysis_routes(app, ctx)
    add_store_routes(app, ctx)
    add_list_routes(app, ctx)
    add_export_routes(app, ctx)

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
