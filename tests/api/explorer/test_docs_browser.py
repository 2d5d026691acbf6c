"""/docs (Swagger UI) and /redoc (ReDoc) render the API's operations in a real browser with every
request off this machine refused: their assets come from the app. The pages read no graph, so
one store is enough."""

from __future__ import annotations

import httpx
import pytest

from api.main import create_app
from kg.config import Settings
from tests.support.browser import checked_page, serve_app

# ReDoc's bundle hard-codes its footer logo from a CDN: the page's CSP keeps it from loading
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.fixture(scope="module")
def server(_embedded_store):
    with serve_app(create_app(Settings(), store=_embedded_store)) as base:
        yield base


@pytest.fixture
def page(chromium, server):
    with checked_page(chromium, may_block=(REDOC_LOGO,)) as pg:
        yield pg


def _operations(base: str) -> int:
    paths = httpx.get(base + "/openapi.json", timeout=30).json()["paths"]
    return sum(1 for ops in paths.values() for m in ops if m in {"get", "post", "put", "delete", "patch"})


def test_docs_render_every_operation_offline(page, server):
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() == _operations(server)


def test_redoc_renders_offline(page, server):
    page.goto(server + "/redoc")
    page.wait_for_selector("[data-section-id*='operation/']")
    assert page.locator("h2", has_text="Search entities by class and name").count() >= 1
