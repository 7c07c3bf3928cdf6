"""Query and path parameters the routes share, and the page every list answers with."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path as ApiPath
from fastapi import Query

RowId = Annotated[int, ApiPath(ge=0, le=2**63 - 1, description="a store row id")]
JobId = Annotated[str, ApiPath(pattern=r"^[0-9a-f]{32}$", description="a job id")]
# Past SQLite's integers an offset is a 422, not an OverflowError (issue #21.8).
Offset = Annotated[int, Query(ge=0, le=2**63 - 1)]
MinConfidence = Annotated[float | None, Query(
    ge=0, le=1, description="only claims/events the learned stages scored at least this "
    "(calibrated, 0-1); unscored rules-only ones are left out")]


def page(hits: list[dict[str, Any]], total: int, offset: int, limit: int) -> dict[str, Any]:
    """One page of a list and where it stands: ``count`` rows of ``total``, from ``offset``."""
    return {"count": len(hits), "total": total, "offset": offset, "limit": limit,
            "results": hits}
