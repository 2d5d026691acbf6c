"""The stewardship endpoints on both stores: tree, diff, reload (steward key, dry run), history."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.main import create_app
from kg.config import Settings
from kg.graph.stored_ontology import stored_version
from tests.steward.test_reload import TOWNSHIP, counts, onto_copy, remove

KEY = "steward-key"
PROBLEM = "application/problem+json"


def client(store, directory, **extra) -> TestClient:
    settings = Settings(KG_STEWARD_KEYS=[KEY], KG_API_KEYS=["reader"], KG_ONTOLOGY_DIR=directory, **extra)
    return TestClient(create_app(settings, store=store))


def _find(tree: list[dict], name: str) -> dict | None:
    for node in tree:
        if node["name"] == name:
            return node
        found = _find(node["children"], name)
        if found:
            return found
    return None


def test_tree_diff_reload_history(sample_store, ontology, tmp_path):
    directory = onto_copy(tmp_path, lambda t: t + TOWNSHIP)
    before = counts(sample_store)
    with client(sample_store, directory) as c:
        tree = c.get("/api/v1/ontology").json()
        assert tree["version"] == ontology.version and tree["source"] == "store"
        office = _find(tree["classes"], "Office")
        assert office["label_zh"] and office["label_en"] and office["children"] == []
        assert _find(tree["properties"], "partOf")["kind"] == "object"

        diff = c.get("/api/v1/ontology/diff").json()
        assert [(ch["change"], ch["name"]) for ch in diff["changes"]] == [("added", "Township")]

        assert c.post("/api/v1/ontology/reload").status_code == 401
        r = c.post("/api/v1/ontology/reload", headers={"X-API-Key": "reader"})
        assert r.status_code == 401 and r.headers["content-type"].startswith(PROBLEM)

        r = c.post("/api/v1/ontology/reload", json={"dry_run": True}, headers={"X-API-Key": KEY})
        assert r.status_code == 200 and r.json()["dry_run"] is True
        assert stored_version(sample_store) == ontology.version

        r = c.post("/api/v1/ontology/reload", json={}, headers={"X-API-Key": KEY})
        assert r.status_code == 200, r.text
        assert r.json()["applied"]["version"] != ontology.version
        township = _find(c.get("/api/v1/ontology").json()["classes"], "Township")
        assert township and township["label_zh"] == "乡"
        assert _find(c.get("/api/v1/ontology").json()["classes"], "Office")["children"][0]["name"] == "Township"
        history = c.get("/api/v1/ontology/history").json()
        assert [h["version"] for h in history] == [r.json()["applied"]["version"]]
        # the API's one casing, though the record's graph properties are camelCase
        assert {"file_hash", "previous_version", "type_facts_migrated"} <= set(history[0])
        assert "file_hash" in r.json()["applied"] and "fileHash" not in r.json()["applied"]
    assert counts(sample_store) == before


def test_refused_and_invalid_reloads_are_problems(sample_store, ontology, tmp_path):
    refused = onto_copy(tmp_path, remove("kg:Community"))
    with client(sample_store, refused) as c:
        r = c.post("/api/v1/ontology/reload", json={}, headers={"X-API-Key": KEY})
        assert r.status_code == 409 and r.headers["content-type"].startswith(PROBLEM)
        assert [o["name"] for o in r.json()["orphans"]] == ["Community"]
        r = c.post("/api/v1/ontology/reload", json={"mapping": "kg:Community -> kg:Village"},
                   headers={"X-API-Key": KEY})
        assert r.status_code == 200, r.text
    same = onto_copy(tmp_path, bump=0)
    with client(sample_store, same) as c:
        r = c.post("/api/v1/ontology/reload", json={}, headers={"X-API-Key": KEY})
        assert r.status_code == 422 and "not higher" in r.json()["detail"]
        assert r.json()["problems"]
