"""Exports of the events list: CSV and GeoJSON, written by :mod:`rasd.export.formats`, so they
have exactly the columns of ``rasd export --format acled-csv`` / ``geojson`` (docs/api.md)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import Response

from rasd.api.context import ApiContext
from rasd.api.params import MinConfidence
from rasd.export.formats import write_export
from rasd.store.lists import list_events
from rasd.store.queries import events_as_documents


def add_export_routes(app: FastAPI, ctx: ApiContext) -> None:
    """``/api/export/events.csv`` and ``/api/export/events.geojson``."""
    store = ctx.store

    def selected(type: str | None, entity: str | None, since: str | None, until: str | None,
                 status: str | None, q: str, min_confidence: float | None) -> list[dict]:
        """The events list's events for these filters (all pages), each as its article."""
        hits = list_events(store, entity=entity, type=type, since=since, until=until,
                           status=status, query=q, limit=100_000,
                           min_confidence=min_confidence)
        return events_as_documents(store, hits)

    @app.get("/api/export/events.csv", tags=["export"], summary="Events as CSV",
             response_class=Response)
    def export_csv(type: str | None = None, entity: str | None = None,
                   since: str | None = None, until: str | None = None,
                   status: str | None = None, q: str = "",
                   min_confidence: MinConfidence = None) -> Response:
        """One row per event, newest first, the columns of ``rasd export --format acled-csv``;
        UTF-8 with BOM so spreadsheets read Arabic; cells that a spreadsheet would run as a
        formula are neutralised."""
        docs = selected(type, entity, since, until, status, q, min_confidence)
        return Response("\ufeff" + write_export(docs, "acled-csv"),
                        media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="events.csv"'})

    @app.get("/api/export/events.geojson", tags=["export"], summary="Located events as GeoJSON")
    def export_geojson(type: str | None = None, entity: str | None = None,
                       since: str | None = None, until: str | None = None,
                       status: str | None = None, q: str = "",
                       min_confidence: MinConfidence = None) -> Response:
        """A FeatureCollection of the events whose place has coordinates (RFC 7946: lon, lat),
        as ``rasd export --format geojson`` writes it."""
        docs = selected(type, entity, since, until, status, q, min_confidence)
        return Response(write_export(docs, "geojson"), media_type="application/geo+json",
                        headers={"Content-Disposition":
                                 'attachment; filename="events.geojson"'})
