"""The explorer and the API docs as files the app serves: every asset a page names is there, and
no page names a CDN (the browser tests in tests/api/explorer/ check they render)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.explorer import STATIC
from api.main import create_app
from kg.config import Settings

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def client():
    # no store is touched: the client never enters the app's lifespan
    return TestClient(create_app(Settings()))


def referenced_assets(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)="(/[^"#?]*)""", html)


def test_the_explorer_is_served_at_the_root(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/explorer/js/app.js">' in r.text
    assets = referenced_assets(r.text)
    assert "/explorer/explorer.css" in assets
    for path in assets:
        if path.startswith("/docs") and not path.startswith("/docs-assets"):
            continue  # a link to the docs page, not an asset
        assert client.get(path).status_code == 200, path
    assert not EXTERNAL.search(r.text)


def test_every_module_the_explorer_imports_is_served_as_javascript(client):
    seen, todo = set(), ["/explorer/js/app.js"]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/javascript"), path  # module scripts need it
        base = path.rsplit("/", 1)[0]
        for rel in re.findall(r"""^import .* from "(\.[^"]+)";""", r.text, re.M):
            parts = (base + "/" + rel).split("/")
            out = []
            for p in parts:
                if p == "..":
                    out.pop()
                elif p != ".":
                    out.append(p)
            todo.append("/".join(out))
    assert len(seen) >= 10  # the shell, the helpers and the nine views
    # Cytoscape.js is loaded by the graph views when they draw
    assert '"/explorer/vendor/cytoscape.min.js"' in client.get("/explorer/js/api.js").text
    assert client.get("/explorer/vendor/cytoscape.min.js").status_code == 200


@pytest.mark.parametrize("page, asset", [("/docs", "/docs-assets/swagger-ui-bundle.js"),
                                         ("/redoc", "/docs-assets/redoc.standalone.js")])
def test_the_docs_pages_load_their_bundles_from_the_app(client, page, asset):
    r = client.get(page)
    assert r.status_code == 200
    assert asset in r.text
    assert not EXTERNAL.search(r.text), r.text
    assert "fonts.googleapis" not in r.text and "cdn.jsdelivr" not in r.text
    bundle = client.get(asset)
    assert bundle.status_code == 200 and len(bundle.content) > 100_000


def test_the_docs_and_the_explorer_are_not_operations_of_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert not {"/", "/docs", "/redoc", "/docs/oauth2-redirect"} & set(paths)
    assert "/api/v1/offices" in paths


def test_the_vendored_library_keeps_its_licence():
    assert "Permission is hereby granted" in (STATIC / "vendor" / "cytoscape.LICENSE").read_text()
    assert "3.34.4" in (STATIC / "vendor" / "README.md").read_text()


@pytest.mark.parametrize("page", ["/", "/docs", "/redoc"])
def test_pages_may_load_only_from_the_app(client, page):
    policy = client.get(page).headers["content-security-policy"]
    assert "default-src 'self'" in policy and "http" not in policy
