"""Background analysis jobs: large analyses and ingests off the request path.

The server keeps one in-process pipeline for ordinary articles (they answer in well under a
second). A large text (a book, a merged feed, a 1 MB paste) is analysed in a separate
worker process with its own pipeline, so it neither holds the in-process pipeline's lock
nor takes the server's interpreter: other users' requests go on being answered. The worker
reports each stage as it starts (its registered name, rasd.stages), so a job shows its
progress; a job is cancelled by stopping the worker (a stage cannot be interrupted from
inside), and the next job starts a fresh one. One worker runs the jobs in order: on a
laptop the other core serves the requests.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rasd.document import Document

#: Documents at least this long (characters, all of a request's documents together) are
#: analysed in the worker process; shorter ones by the server's own pipeline.
DEFAULT_JOB_CHARS = 50_000
#: Finished jobs kept for their results (oldest dropped first).
KEEP_FINISHED = 32
POLL_S = 0.2

Work = Callable[[Callable[[Document], Document]], Any]


class Cancelled(BaseException):
    """The job was cancelled while it ran. A BaseException, as asyncio's CancelledError is:
    the per-document ``except Exception`` of an ingest must not swallow it."""


class JobFailed(Exception):
    """The worker could not analyse a document (``code``: analysis_too_long, analysis_failed,
    worker_stopped)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Job:
    id: str
    kind: str  # "analyze" or "ingest"
    documents: int
    chars: int
    work: Work = field(repr=False)
    status: str = "queued"  # queued, running, done, failed, cancelled
    done: int = 0  # documents analysed
    stage: str | None = None
    stage_index: int = 0
    stages: int = 0
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    error: dict[str, str] | None = None
    result: Any = field(default=None, repr=False)
    cancel_requested: bool = False

    @property
    def over(self) -> bool:
        return self.status in ("done", "failed", "cancelled")

    def view(self, result: bool = True) -> dict[str, Any]:
        """The job as the API shows it (``result`` only once it is done)."""
        now = self.finished or time.time()
        out: dict[str, Any] = {
            "id": self.id, "kind": self.kind, "status": self.status,
            "documents": self.documents, "characters": self.chars, "done": self.done,
            "stage": self.stage, "stage_index": self.stage_index, "stages": self.stages,
            "elapsed_s": round(now - (self.started or now), 1),
            "waited_s": round((self.started or now) - self.created, 1),
            "error": self.error,
        }
        if result and self.status == "done":
            out["result"] = self.result
        return out


class JobRunner:
    """Runs jobs one after another in a worker process built from ``pipeline`` (a spec for
    :func:`build_pipeline`, so the spawned process can build it: ``default``, ``fast`` or
    ``module:callable``)."""

    def __init__(self, pipeline: str = "default", keep: int = KEEP_FINISHED) -> None:
        self.spec = pipeline
        self.keep = keep
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._queue: deque[Job] = deque()
        self._cv = threading.Condition()
        self._proc: Any = None
        self._conn: Any = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self.workers_started = 0

    # -- the API side ------------------------------------------------------------------------
    def submit(self, kind: str, docs: list[Document], work: Work) -> Job:
        job = Job(uuid.uuid4().hex, kind, len(docs), sum(len(d.text) for d in docs), work)
        with self._cv:
            if self._closed:
                raise RuntimeError("the job runner is closed")
            self._jobs[job.id] = job
            self._queue.append(job)
            self._forget_old()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="rasd-jobs",
                                                daemon=True)
                self._thread.start()
            self._cv.notify_all()
        return job

    def get(self, job_id: str) -> Job | None:
        with self._cv:
            return self._jobs.get(job_id)

    def list(self) -> list[Job]:
        with self._cv:
            return list(self._jobs.values())

    def cancel(self, job_id: str) -> Job | None:
        """Cancel a queued job at once, a running one by stopping its worker."""
        with self._cv:
            job = self._jobs.get(job_id)
            if job is None or job.over:
                return job
            job.cancel_requested = True
            if job.status == "queued":
                self._queue.remove(job)
                self._end(job, "cancelled")
            self._cv.notify_all()
        return job

    def close(self) -> None:
        """Stop the worker and cancel what is left (server shutdown)."""
        with self._cv:
            self._closed = True
            for job in list(self._queue):
                self._end(job, "cancelled")
            self._queue.clear()
            for job in self._jobs.values():
                if not job.over:
                    job.cancel_requested = True
            self._cv.notify_all()
        self._stop_worker()

    # -- the dispatcher thread ---------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._queue and not self._closed:
                    self._cv.wait()
                if self._closed:
                    return
                job = self._queue.popleft()
                job.status, job.started = "running", time.time()
            result, error = None, None
            try:
                result = job.work(lambda doc, job=job: self._analyze(job, doc))
                status = "cancelled" if job.cancel_requested else "done"
            except Cancelled:
                status = "cancelled"
            except JobFailed as exc:
                status, error = "failed", {"error": exc.code, "detail": str(exc)}
            except Exception as exc:  # a bug in the work itself: reported, the runner goes on
                status = "failed"
                error = {"error": "internal_error", "detail": f"{type(exc).__name__}: {exc}"}
            with self._cv:
                job.result, job.error = result, error
                self._end(job, status)

    def _analyze(self, job: Job, doc: Document) -> Document:
        """One document through the worker; raises Cancelled or JobFailed."""
        if job.cancel_requested:
            raise Cancelled
        if self._proc is None or not self._proc.is_alive():
            job.stage = "starting"
        conn = self._worker()
        conn.send(doc.to_dict())
        while True:
            if job.cancel_requested:
                self._stop_worker()
                raise Cancelled
            if not conn.poll(POLL_S):
                if not self._proc.is_alive():
                    code = self._proc.exitcode
                    self._stop_worker()
                    raise JobFailed("worker_stopped",
                                    f"the analysis worker stopped (exit code {code}); "
                                    "the input may need more memory than the machine has")
                continue
            try:
                kind, *rest = conn.recv()
            except EOFError:
                self._stop_worker()
                raise JobFailed("worker_stopped", "the analysis worker stopped") from None
            if kind == "stage":
                job.stage_index, job.stages, job.stage = rest
            elif kind == "done":
                job.done += 1
                return Document.from_dict(rest[0])
            elif kind == "error":
                raise JobFailed(rest[0], rest[1])

    def _worker(self) -> Any:
        if self._proc is None or not self._proc.is_alive():
            self._stop_worker()
            ctx = mp.get_context("spawn")  # the server has threads: never fork it
            parent, child = ctx.Pipe()
            self._proc = ctx.Process(target=worker_main, args=(child, self.spec),
                                     name="rasd-job-worker", daemon=True)
            self._proc.start()
            child.close()
            self._conn = parent
            self.workers_started += 1
        return self._conn

    def _stop_worker(self) -> None:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            conn.close()
        if proc is not None and proc.is_alive():
            proc.terminate()
            proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join(5)

    def _end(self, job: Job, status: str) -> None:
        job.status, job.finished = status, time.time()
        if job.started is None:  # cancelled while queued
            job.started = job.finished
        self._cv.notify_all()

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.over]
        for job in finished[:max(0, len(finished) - self.keep)]:
            del self._jobs[job.id]

    def wait(self, job: Job, timeout: float | None = None) -> bool:
        """Block until ``job`` is over (tests, scripts); False on timeout."""
        end = None if timeout is None else time.monotonic() + timeout
        with self._cv:
            while not job.over:
                left = None if end is None else end - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cv.wait(left)
        return True


# -- the worker process --------------------------------------------------------------------
def build_pipeline(spec: str) -> Callable[[Document], Document]:
    """``default`` / ``fast`` (rasd's pipeline and NER modes) or ``module:callable``."""
    if ":" in spec:
        import importlib

        module, _, name = spec.partition(":")
        return getattr(importlib.import_module(module), name)()
    from rasd.pipeline import Pipeline

    return Pipeline(ner=spec)


def worker_main(conn: Any, spec: str) -> None:
    """Analyse the documents sent on ``conn`` one at a time, telling each stage as it
    starts; ends when the server closes its end."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # one core: the server keeps the other
    from rasd.pipeline import BudgetExceeded, Pipeline

    pipeline = None
    while True:
        try:
            data = conn.recv()
        except (EOFError, OSError):
            return
        doc = Document.from_dict(data)
        try:
            if pipeline is None:
                conn.send(("stage", 0, 0, "loading"))
                pipeline = build_pipeline(spec)
            if isinstance(pipeline, Pipeline):
                pipeline(doc, progress=lambda i, n, name: conn.send(("stage", i, n, name)))
            else:
                doc = pipeline(doc) or doc
            conn.send(("done", doc.to_dict()))
        except BudgetExceeded as exc:
            conn.send(("error", "analysis_too_long", str(exc)))
        except Exception as exc:
            conn.send(("error", "analysis_failed", f"{type(exc).__name__}: {exc}"))
