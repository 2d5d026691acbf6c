"""Errors as RFC 9457 problem details (application/problem+json): the only place KGError
subclasses become HTTP statuses."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.schemas import Problem
from kg.errors import (BadParameter, KGError, NotFound, OntologyCheckError, OntologyError,
                       OntologyRefused, ParameterTooLarge, QueryError, QueryRefused, QueryTimedOut, QueryTooComplex,
                       ReadOnlyViolation, StoreError, StoreUnavailable, Unauthorized)

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_S = 5
TYPE_BASE = "https://w3id.org/newskg/problems/"
log = logging.getLogger("kg.api")

_TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
           405: "Method not allowed", 409: "Conflict", 413: "Content too large",
           422: "Invalid parameter", 500: "Internal error", 503: "Store unavailable",
           504: "Query timed out"}


def problem(request: Request, status: int, detail: str, *, kind: str | None = None,
            headers: dict | None = None, **extra) -> JSONResponse:
    body = {"type": TYPE_BASE + (kind or str(status)), "title": _TITLES.get(status, "Error"),
            "status": status, "detail": detail, "instance": request.url.path, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


# most specific first: the first class the error is an instance of gives its status
_STATUS: tuple[tuple[type[KGError], int, str], ...] = (
    (Unauthorized, 401, "unauthorized"),
    (NotFound, 404, "not-found"),
    (OntologyRefused, 409, "ontology-refused"),
    (OntologyError, 422, "ontology-invalid"),
    (StoreUnavailable, 503, "store-unavailable"),
    (ReadOnlyViolation, 403, "read-only"),
    (QueryRefused, 403, "query-refused"),
    (QueryTooComplex, 422, "query-too-complex"),
    (QueryTimedOut, 504, "query-timed-out"),
    (ParameterTooLarge, 413, "too-large"),
    (BadParameter, 422, "invalid-parameter"),
    (QueryError, 400, "query-error"),
    (StoreError, 502, "store-error"),
)


def status_for(exc: KGError) -> tuple[int, str]:
    for cls, status, kind in _STATUS:
        if isinstance(exc, cls):
            return status, kind
    return 500, "internal"


async def kg_error(request: Request, exc: KGError) -> JSONResponse:
    status, kind = status_for(exc)
    extra = {}
    headers = None
    if isinstance(exc, BadParameter):
        extra["errors"] = [{"parameter": exc.param, "message": str(exc)}]
    elif isinstance(exc, OntologyRefused):
        extra["orphans"] = exc.orphans
    elif isinstance(exc, OntologyCheckError):
        extra["problems"] = exc.problems
    if status == 503:
        headers = {"Retry-After": str(RETRY_AFTER_S)}
    if status == 401:
        headers = {"WWW-Authenticate": 'ApiKey header="X-API-Key"'}
    if status >= 500:
        log.warning("%s %s: %s", request.method, request.url.path, exc)
    return problem(request, status, str(exc), kind=kind, headers=headers, **extra)


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = []
    for e in exc.errors():
        loc = [str(x) for x in e.get("loc", ())]
        name = loc[-1] if loc and loc[0] in ("query", "path", "header") else ".".join(loc[1:]) or "body"
        errors.append({"parameter": name, "in": loc[0] if loc else None, "message": e.get("msg", "")})
    names = ", ".join(dict.fromkeys(e["parameter"] for e in errors))
    return problem(request, 422, f"invalid parameter(s): {names}", kind="invalid-parameter", errors=errors)


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return problem(request, exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))


async def unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem(request, 500, "internal error", kind="internal")


def install(app: FastAPI) -> None:
    app.add_exception_handler(KGError, kg_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)


# For OpenAPI: the problem responses each route may give.
def problem_responses(*statuses: int) -> dict:
    return {s: {"model": Problem, "description": _TITLES.get(s, "Error"),
                "content": {PROBLEM_JSON: {}}} for s in statuses}
