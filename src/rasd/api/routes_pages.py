"""The web page, its static files and the offline Swagger UI."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

WEB = Path(__file__).with_name("web")


def add_page_routes(app: FastAPI) -> None:
    """``/`` (the analysts' page), ``/static`` and ``/api/docs``."""
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


def _offline_docs_assets() -> Path | None:
    """Swagger UI's files shipped by the fastapi-offline package, so docs work offline."""
    try:
        import fastapi_offline  # type: ignore[import-untyped]
    except ImportError:
        return None
    static = Path(fastapi_offline.__file__).with_name("static")
    return static if (static / "swagger-ui-bundle.js").exists() else None
