"""Every API error is JSON, ``{"error": CODE, "detail": MESSAGE}``: the response, the
exception that carries a stable code, and the handlers that turn every failure into one."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from rasd.store.errors import SearchError


def error_response(status: int, code: str, detail: Any, headers: dict[str, str] | None = None
                   ) -> JSONResponse:
    """The one shape of an error answer."""
    return JSONResponse({"error": code, "detail": detail}, status_code=status, headers=headers)


class ApiError(HTTPException):
    """An HTTP error with a stable machine-readable code."""

    def __init__(self, status: int, code: str, detail: Any,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status, detail, headers)
        self.code = code


def install_handlers(app: FastAPI) -> None:
    """JSON answers for HTTP errors, invalid requests, over-budget analyses, bad searches and
    bugs (without a traceback)."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = getattr(exc, "code", None) or {404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "http_error")
        return error_response(exc.status_code, code, exc.detail, getattr(exc, "headers", None))

    @app.exception_handler(StarletteHTTPException)
    async def starlette_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return await http_error(request, exc)  # type: ignore[arg-type]

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"where": ".".join(str(x) for x in e.get("loc", ())), "message": e.get("msg")}
                  for e in exc.errors()]
        return error_response(422, "invalid_request", errors)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        """A bug (in analysis, say) is still a JSON answer, without a traceback."""
        return error_response(500, "internal_error", f"{type(exc).__name__} while handling "
                                                     f"{request.url.path}; see the server log")

    from rasd.pipeline import BudgetExceeded

    @app.exception_handler(BudgetExceeded)
    async def too_long(request: Request, exc: BudgetExceeded) -> JSONResponse:
        return error_response(422, "analysis_too_long", str(exc))

    @app.exception_handler(SearchError)
    async def bad_search(request: Request, exc: SearchError) -> JSONResponse:
        return error_response(400, "bad_query", str(exc))
