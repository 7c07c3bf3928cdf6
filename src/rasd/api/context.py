"""What every route of one app shares: its store, its pipeline, its background worker, its
limits and its write token."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Request

from rasd.api.analyzer import Analyzer
from rasd.api.guards import check_writer
from rasd.api.jobs import JobRunner
from rasd.api.limits import RateLimit
from rasd.store import Store


@dataclass
class ApiContext:
    """One app's shared state (``create_app`` builds it, the route modules read it)."""

    store: Store
    analyzer: Analyzer
    jobs: JobRunner
    heavy: RateLimit
    db_path: str | Path
    token: str | None
    max_body_bytes: int
    job_chars: int

    def writer(self, request: Request) -> None:
        """A dependency of the routes that write the store (see :func:`check_writer`)."""
        check_writer(request, readonly=self.store.readonly, db_path=self.db_path,
                     token=self.token)
