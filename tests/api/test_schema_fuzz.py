"""Property-based checks against the OpenAPI schema (schemathesis): no generated request gets a 5xx.

Bounded to a few examples per operation so it runs in seconds, on the embedded store.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from api.main import create_app  # noqa: E402
from kg.config import Settings  # noqa: E402

from tests.support.store_fixtures import DelegatingStore, empty_store, loaded  # noqa: E402

KEY = "fuzz-key"


class _Loaded(DelegatingStore):
    """The schema is loaded at import; the store behind the app is filled in by the fixture."""

    name = "embedded"


_store = _Loaded()
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(Settings(KG_API_KEYS=[KEY], KG_QUERY_TIMEOUT=2), store=_store))


@pytest.fixture(scope="module", autouse=True)
def _sample(request, ontology):
    _store.inner = loaded(empty_store(request, "embedded"), ontology)
    yield
    _store.inner.clear()


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    response = case.call(headers={"X-API-Key": KEY})
    assert response.status_code < 500, (case.method, case.formatted_path, case.query, response.text)
    if response.status_code >= 400:
        assert "problem+json" in str(response.headers.get("content-type")), (case.formatted_path, response.text)
