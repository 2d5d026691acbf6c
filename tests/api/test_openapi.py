"""The OpenAPI document as a client generator and /docs read it (no store needed to build it)."""

from __future__ import annotations

import json
import re

import pytest

from api.main import create_app
from kg.config import Settings

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    app = create_app(Settings(KG_DATA_DIR=tmp_path_factory.mktemp("unused")))
    return app.openapi()


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_errors_are_problems_under_problem_json_only(document):
    seen = set()
    for path, method, operation in _operations(document):
        assert "422" in operation["responses"], (method, path)  # an unknown parameter, anywhere
        for code, response in operation["responses"].items():
            if int(code) >= 400:
                seen.add(code)
                assert list(response["content"]) == ["application/problem+json"], (method, path, code)
                media = response["content"]["application/problem+json"]
                assert media["schema"] == PROBLEM_REF
                assert media["example"]["status"] == int(code)
                assert media["example"]["type"].startswith("https://w3id.org/newskg/problems/")
    assert {"400", "401", "403", "404", "409", "422", "503"} <= seen
    text = json.dumps(document)
    assert "HTTPValidationError" not in text and '"ValidationError"' not in text
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "instance"} <= set(problem["required"])


def test_operation_ids_are_readable_and_unique(document):
    ids = [operation["operationId"] for _, _, operation in _operations(document)]
    assert len(ids) == len(set(ids))
    assert {"list_visits", "get_entity", "search_entities", "get_article", "run_query",
            "run_cypher", "list_visitors", "reload_ontology"} <= set(ids)
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", i) and "api_v1" not in i for i in ids), ids


def test_examples_come_from_the_sample(document):
    visits = document["paths"]["/api/v1/visits"]["get"]
    by_name = {p["name"]: p for p in visits["parameters"]}
    assert by_name["organizer"]["examples"]["sample"]["value"] == "新港办事处"
    assert by_name["site"]["examples"]["sample"]["value"] == "柿园吴村"
    example = visits["responses"]["200"]["content"]["application/json"]["example"]
    visit = example["items"][0]
    assert visit["organizers"][0]["name"] == "新港办事处" and visit["sites"][0]["name"] == "柿园吴村"
    # every model response shows an example
    for path, method, operation in _operations(document):
        media = operation["responses"]["200"].get("content", {}).get("application/json", {})
        if "$ref" in json.dumps(media.get("schema", {})):
            assert "example" in media, (method, path)
    queries = document["paths"]["/api/v1/queries"]["get"]["responses"]["200"]["content"]
    assert queries["application/json"]["example"][0]["name"] == "villages_visited_by_office"


def test_schemas_are_snake_case(document):
    names = {name for schema in document["components"]["schemas"].values()
             for name in schema.get("properties", {})}
    assert "participant_count" in names and "next_cursor" in names
    assert [n for n in names if not re.fullmatch(r"[a-z][a-z0-9_]*", n)] == []
