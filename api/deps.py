"""Dependencies: settings, the app's one store, the query library, the lookup, the keys."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader

from kg.ask.lookup import Lookup
from kg.ask.queries import QueryLibrary
from kg.config import Settings
from kg.errors import Unauthorized
from kg.graph.stores.base import GraphStore


def app_settings(request: Request) -> Settings:
    return request.app.state.settings


def app_store(request: Request) -> GraphStore:
    return request.app.state.store


def app_library(request: Request) -> QueryLibrary:
    return request.app.state.library


def app_lookup(request: Request) -> Lookup:
    return request.app.state.lookup


SettingsDep = Annotated[Settings, Depends(app_settings)]
StoreDep = Annotated[GraphStore, Depends(app_store)]
LibraryDep = Annotated[QueryLibrary, Depends(app_library)]
LookupDep = Annotated[Lookup, Depends(app_lookup)]


def key_required(header: APIKeyHeader, keys_of: Callable[[Settings], list[str]], *,
                 unconfigured: str, wrong: str):
    """A dependency: the request's X-API-Key is one of the keys `keys_of(settings)` lists.
    Keys are compared in constant time."""

    # a default, not Annotated[...]: the annotation is a string here (PEP 563), and FastAPI
    # could not resolve `header` from it
    def require(settings: SettingsDep, key: str | None = Security(header)) -> str:
        keys = keys_of(settings)
        if not keys:
            raise Unauthorized(unconfigured)
        if not key or not any(secrets.compare_digest(key.encode(), k.encode()) for k in keys):
            raise Unauthorized(wrong)
        return key

    return require


require_api_key = key_required(
    APIKeyHeader(name="X-API-Key", auto_error=False,
                 description="one of the keys in the KG_API_KEYS setting"),
    lambda s: s.api_keys,
    unconfigured="this endpoint needs an API key and none is configured (KG_API_KEYS)",
    wrong="missing or wrong API key (header X-API-Key)")
require_steward_key = key_required(
    APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="StewardKey",
                 description="one of the keys in the KG_STEWARD_KEYS setting"),
    lambda s: s.steward_keys,
    unconfigured="reloading the ontology needs a steward key and none is configured "
                 "(KG_STEWARD_KEYS)",
    wrong="missing or wrong steward key (header X-API-Key)")

ApiKeyDep = Annotated[str, Depends(require_api_key)]
StewardKeyDep = Annotated[str, Depends(require_steward_key)]


# --- unknown query parameters: a 422 naming them, on every route -------------------------------

def free_query_parameters(endpoint: Callable) -> Callable:
    """Mark a route whose query string is its own to check (a named query's parameters)."""
    endpoint.free_query_parameters = True
    return endpoint


def _declared(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _declared(sub)
    return names


def _query_names(route: APIRoute) -> frozenset[str]:
    """The query parameters the route and its dependencies declare (worked out once per route,
    kept on it)."""
    names = getattr(route, "kg_query_names", None)
    if names is None:
        names = route.kg_query_names = frozenset(_declared(route.dependant))
    return names


def reject_unknown_query_parameters(request: Request) -> None:
    """An app-wide dependency: a query parameter the route does not take is a 422 naming it, not
    silently ignored (a misspelt filter would otherwise return everything)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or getattr(route.endpoint, "free_query_parameters", False):
        return
    known = _query_names(route)
    unknown = [name for name in dict.fromkeys(request.query_params) if name not in known]
    if unknown:
        takes = ", ".join(sorted(known)) or "none"
        raise RequestValidationError([
            {"loc": ("query", name), "type": "unknown_parameter",
             "msg": f"unknown parameter; this route takes: {takes}"} for name in unknown])
