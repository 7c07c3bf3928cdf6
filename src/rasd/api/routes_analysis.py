"""Analysis routes: ``/api/analyze`` (without storing), ``/api/ingest`` (analyse and store)
and the background jobs that take the large inputs (rasd.api.jobs)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from rasd.api.bodies import BODY_DOC, read_documents
from rasd.api.context import ApiContext
from rasd.api.errors import ApiError
from rasd.api.guards import same_origin_write
from rasd.api.jobs import POLL_S, Job
from rasd.api.params import JobId
from rasd.document import Document
from rasd.ingest import InputError


def add_analysis_routes(app: FastAPI, ctx: ApiContext) -> None:
    """``/api/analyze``, ``/api/ingest`` and ``/api/jobs``."""

    def _analyze_all(docs: list[Document]) -> list[dict[str, Any]]:
        return [ctx.analyzer(d).to_dict() for d in docs]

    def _analysis_job(docs: list[Document]) -> Job:
        return ctx.jobs.submit("analyze", docs, lambda analyze: [analyze(d).to_dict()
                                                                 for d in docs])

    def _ingest_job(docs: list[Document], errors: list[InputError]) -> Job:
        def work(analyze: Callable[[Document], Document]) -> dict[str, Any]:
            return _ingest_summary(ctx.store.ingest(docs, analyze), errors)

        return ctx.jobs.submit("ingest", docs, work)

    def _ingest_summary(result: Any, errors: list[InputError]) -> dict[str, Any]:
        for err in errors:
            result.note("failed", name=err.input, error=err.reason)
        return {"added": result.added, "updated": result.updated,
                "unchanged": result.unchanged, "failed": result.failed,
                "items": result.items, "documents": ctx.store.count()}

    def _large(docs: list[Document]) -> bool:
        return sum(len(d.text) for d in docs) >= ctx.job_chars

    async def _outcome(request: Request, job: Job) -> Any:
        """Wait for a job a synchronous call started; cancel it when the client goes."""
        try:
            while not job.over:
                if await request.is_disconnected():
                    ctx.jobs.cancel(job.id)
                    raise ApiError(499, "client_closed",
                                   "the client went away; analysis cancelled")
                await asyncio.sleep(POLL_S)
        except asyncio.CancelledError:  # the server is shutting down
            ctx.jobs.cancel(job.id)
            raise
        if job.status == "failed" and job.error:
            code = job.error["error"]
            raise ApiError(422 if code == "analysis_too_long" else 500, code,
                           job.error["detail"])
        if job.status == "cancelled":
            raise ApiError(409, "cancelled", "the analysis was cancelled")
        return job.result

    @app.post("/api/analyze", tags=["analysis"], openapi_extra={"requestBody": BODY_DOC},
              dependencies=[Depends(ctx.heavy)],
              summary="Analyse an article (JSON, upload or raw text) without storing it")
    async def analyze(request: Request) -> Any:
        """Returns the analysed document (docs/schema.md); several documents (a JSONL upload,
        a JSON array) come back as a list."""
        items = await read_documents(request, ctx.max_body_bytes)
        bad = [i for i in items if isinstance(i, InputError)]
        if bad:
            raise ApiError(400, "bad_input", str(bad[0]))
        docs = [i for i in items if isinstance(i, Document)]
        if _large(docs):
            out = await _outcome(request, _analysis_job(docs))
        else:
            out = await run_in_threadpool(_analyze_all, docs)
        return out[0] if len(out) == 1 else out

    @app.post("/api/ingest", tags=["store"], openapi_extra={"requestBody": BODY_DOC},
              dependencies=[Depends(ctx.writer), Depends(ctx.heavy)],
              summary="Analyse and store articles (idempotent; bearer token when set)")
    async def ingest(request: Request) -> dict[str, Any]:
        """Stores new articles, updates changed ones (same URL), skips those already stored.
        ``items`` says what happened to each, with its store ``id``."""
        items = await read_documents(request, ctx.max_body_bytes)
        docs = [i for i in items if isinstance(i, Document)]
        errors = [i for i in items if isinstance(i, InputError)]
        if not docs:
            raise ApiError(400, "bad_input", str(errors[0]) if errors else "no documents")
        if _large(docs):
            return await _outcome(request, _ingest_job(docs, errors))
        result = await run_in_threadpool(ctx.store.ingest, docs, ctx.analyzer)
        return _ingest_summary(result, errors)

    # -- background jobs --------------------------------------------------------------------
    @app.post("/api/jobs", tags=["analysis"], status_code=202,
              openapi_extra={"requestBody": BODY_DOC}, dependencies=[Depends(ctx.heavy)],
              summary="Start a background analysis (store=true: analyse and store)")
    async def create_job(request: Request, store_: Annotated[bool, Query(
            alias="store", description="store the documents (an ingest; token when set)")]
            = False) -> JSONResponse:
        """Answers at once with the job; follow it at ``/api/jobs/{id}`` (progress by stage,
        the result when done), cancel it with ``DELETE``. Any size up to the body limit."""
        if store_:
            ctx.writer(request)
        else:
            same_origin_write(request)
        items = await read_documents(request, ctx.max_body_bytes)
        docs = [i for i in items if isinstance(i, Document)]
        errors = [i for i in items if isinstance(i, InputError)]
        if not docs or (errors and not store_):
            raise ApiError(400, "bad_input", str(errors[0]) if errors else "no documents")
        job = _ingest_job(docs, errors) if store_ else _analysis_job(docs)
        return JSONResponse(job.view(), status_code=202,
                            headers={"Location": f"/api/jobs/{job.id}"})

    @app.get("/api/jobs", tags=["analysis"], summary="Background jobs, newest first")
    def list_jobs() -> dict[str, Any]:
        return {"jobs": [j.view(result=False) for j in reversed(ctx.jobs.list())],
                "job_chars": ctx.job_chars}

    @app.get("/api/jobs/{job_id}", tags=["analysis"], summary="A job: progress, result")
    def get_job(job_id: JobId) -> dict[str, Any]:
        job = ctx.jobs.get(job_id)
        if job is None:
            raise ApiError(404, "not_found", f"no job {job_id} (finished jobs are kept a while)")
        return job.view()

    @app.delete("/api/jobs/{job_id}", tags=["analysis"], summary="Cancel a job")
    def cancel_job(request: Request, job_id: JobId) -> dict[str, Any]:
        same_origin_write(request)
        job = ctx.jobs.cancel(job_id)
        if job is None:
            raise ApiError(404, "not_found", f"no job {job_id}")
        return job.view(result=False)
