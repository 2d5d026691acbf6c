"""Errors as RFC 9457 problem details (application/problem+json): the only place KGError
subclasses become HTTP statuses.

Each kind of problem has one type URI, TYPE_BASE + a slug (…/problems/not-found): the slug of
the KGError's kind, else of the HTTP status's phrase. A 5xx detail is one a browser may show: it
never carries the store's address or its error text, which go to the server log instead.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import (BadParameter, KGError, NotFound, OntologyCheckError, OntologyError,
                       OntologyRefused, ParameterTooLarge, QueryError, QueryRefused, QueryTimedOut, QueryTooComplex,
                       ReadOnlyViolation, StoreError, StoreUnavailable, Unauthorized)

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_S = 5
TYPE_BASE = "https://w3id.org/newskg/problems/"
log = logging.getLogger("kg.api")

TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 409: "Conflict", 413: "Content too large",
          422: "Invalid parameter", 500: "Internal error", 502: "Store error",
          503: "Store unavailable", 504: "Query timed out"}
# the kind a status gives when no KGError names one (the route, not a lookup, was not found...)
_KINDS = {422: "invalid-parameter", 500: "internal", 502: "store-error", 503: "store-unavailable"}
# what a 5xx says to the client; the error itself is logged
SAFE_DETAIL = {
    "store-unavailable": "the graph store cannot be reached now; try again in a few seconds",
    "store-error": "the graph store failed to answer; the server log says why",
    "internal": "internal error; the server log says why",
}
# 5xx kinds whose own message is safe to show: it says how long the query ran, nothing of the store
_OWN_WORDS = {"query-timed-out"}


def kind_for(status: int) -> str:
    """The problem kind of a bare HTTP status: 404 -> not-found, 405 -> method-not-allowed."""
    if status in _KINDS:
        return _KINDS[status]
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "-").replace("'", "")
    except ValueError:
        return "error"


def type_uri(status: int, kind: str | None = None) -> str:
    return TYPE_BASE + (kind or kind_for(status))


def problem(request: Request, status: int, detail: str, *, kind: str | None = None,
            headers: dict | None = None, **extra) -> JSONResponse:
    body = {"type": type_uri(status, kind), "title": TITLES.get(status, "Error"),
            "status": status, "detail": detail, "instance": request.url.path, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def store_unavailable(request: Request, reason: str) -> JSONResponse:
    """503 with Retry-After; `reason` (it may name the store's address) is logged, not sent."""
    log.warning("%s %s: store unavailable: %s", request.method, request.url.path, reason)
    return problem(request, 503, SAFE_DETAIL["store-unavailable"], kind="store-unavailable",
                   headers={"Retry-After": str(RETRY_AFTER_S)})


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
        extra["errors"] = [{"parameter": exc.param, "in": None, "message": str(exc)}]
    elif isinstance(exc, OntologyRefused):
        extra["orphans"] = exc.orphans
    elif isinstance(exc, OntologyCheckError):
        extra["problems"] = exc.problems
    if status == 503:
        return store_unavailable(request, str(exc))
    if status == 401:
        headers = {"WWW-Authenticate": 'ApiKey header="X-API-Key"'}
    detail = str(exc)
    if status >= 500:
        log.warning("%s %s: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
        if kind not in _OWN_WORDS:
            detail = SAFE_DETAIL.get(kind, SAFE_DETAIL["internal"])
    return problem(request, status, detail, kind=kind, headers=headers, **extra)


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
    return problem(request, 500, SAFE_DETAIL["internal"], kind="internal")


def install(app: FastAPI) -> None:
    app.add_exception_handler(KGError, kg_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)


# For OpenAPI: the problem responses each route may give (api/openapi.py gives them the Problem
# schema under application/problem+json).
def problem_responses(*statuses: int) -> dict:
    return {s: {"description": TITLES.get(s, "Error")} for s in statuses}
