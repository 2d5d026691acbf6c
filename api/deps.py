"""Dependencies: settings, the app's one store, the query library, the lookup, the API key."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from kg.config import Settings
from kg.errors import KGError
from kg.ask.lookup import Lookup
from kg.ask.queries import QueryLibrary
from kg.graph.stores.base import GraphStore


class Unauthorized(KGError):
    """No API key, or not one of the configured keys."""


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def get_library(request: Request) -> QueryLibrary:
    return request.app.state.library


def get_lookup(request: Request) -> Lookup:
    return request.app.state.lookup


_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                               description="one of the keys in the KG_API_KEYS setting")


def require_api_key(settings: Annotated[Settings, Depends(get_settings)],
                    key: Annotated[str | None, Security(_api_key_header)] = None) -> str:
    if not settings.api_keys:
        raise Unauthorized("this endpoint needs an API key and none is configured (KG_API_KEYS)")
    if not key or not any(secrets.compare_digest(key.encode(), k.encode()) for k in settings.api_keys):
        raise Unauthorized("missing or wrong API key (header X-API-Key)")
    return key


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
LibraryDep = Annotated[QueryLibrary, Depends(get_library)]
LookupDep = Annotated[Lookup, Depends(get_lookup)]
ApiKeyDep = Annotated[str, Depends(require_api_key)]
