"""GET /api/v1/offices (the explorer's first view) on both stores, with the sample page loaded."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from kg.config import Settings

pytestmark = pytest.mark.store

XINGANG = "org-9cbafcd8e2cb676b"  # 新港办事处


@pytest.fixture(scope="module")
def client(loaded_store):
    with TestClient(create_app(Settings(), store=loaded_store)) as c:
        yield c


def test_offices_with_the_sites_each_visited(client):
    body = client.get("/api/v1/offices").json()
    assert body["next_cursor"] is None
    xingang = next(o for o in body["items"] if o["office"]["id"] == XINGANG)
    villages = [s["name"] for v in xingang["visits"] for s in v["sites"] if s["type"] == "Village"]
    assert villages == ["柿园吴村", "寺王村", "北街村"]
    assert xingang["visits"][0]["article"] == {"id": "page-000-a1",
                                               "headline": "开展“三学三提升创‘五星’支部亮赛比”观摩比学活动"}


def test_offices_page_with_an_opaque_cursor(client):
    everything = [o["office"]["id"] for o in client.get("/api/v1/offices").json()["items"]]
    seen, cursor = [], None
    while True:
        body = client.get("/api/v1/offices", params={"limit": 4, "cursor": cursor}).json()
        seen += [o["office"]["id"] for o in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == everything and len(seen) == 6


def test_one_office_by_id(client):
    body = client.get("/api/v1/offices", params={"office": XINGANG, "visits": 1}).json()
    assert [o["office"]["name"] for o in body["items"]] == ["新港办事处"]
    assert body["items"][0]["visits_truncated"] is True


@pytest.mark.parametrize("params, parameter", [({"cursor": "not-a-cursor"}, "cursor"),
                                               ({"limit": 0}, "limit"), ({"visits": 5000}, "visits")])
def test_bad_parameters_are_problems(client, params, parameter):
    r = client.get("/api/v1/offices", params=params)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert parameter in [e["parameter"] for e in r.json()["errors"]]
