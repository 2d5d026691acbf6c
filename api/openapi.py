"""The OpenAPI document as a generated client reads it.

FastAPI puts an error response's model under application/json and adds its own
HTTPValidationError to every route with parameters; this API answers every error as an RFC 9457
problem (api/problems.py), so the document is mended once, here, after FastAPI builds it:

* every 4xx/5xx response carries the Problem schema under application/problem+json only, with
  an example;
* every operation lists 422 (a bad or unknown parameter is one on every route) and
  HTTPValidationError / ValidationError are gone;
* a success response whose model has examples shows the first one (Swagger UI and ReDoc render
  a media-type example; a schema's `examples` not always).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from api.problems import PROBLEM_JSON, TITLES, type_uri
from api.schemas import ParameterError, Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_FASTAPI_ONLY = ("HTTPValidationError", "ValidationError")
_EXAMPLE_DETAIL = {
    400: "the query is not valid Cypher: Invalid input 'MATC'",
    401: "missing or wrong API key (header X-API-Key)",
    403: "this query would write to the graph; only reads are allowed here",
    404: "no organisation with id 'org-0000000000000000'",
    409: "reload refused: 1 removed term(s) still have instance data and no replacement",
    422: "invalid parameter(s): limit",
    413: "the query is longer than the limit for ad-hoc Cypher",
    503: "the graph store cannot be reached now; try again in a few seconds",
    504: "query timed out after 10.0 s",
}


def operation_id(route: APIRoute) -> str:
    """The endpoint's name (list_visits, get_entity): what a generated client calls it."""
    return route.name


def problem_example(status: int, path: str) -> dict[str, Any]:
    example = {"type": type_uri(status), "title": TITLES.get(status, "Error"), "status": status,
               "detail": _EXAMPLE_DETAIL.get(status, TITLES.get(status, "Error")),
               "instance": path}
    if status == 422:
        example["errors"] = [{"parameter": "limit", "in": "query",
                              "message": "Input should be greater than or equal to 1"}]
    return example


def _component_examples(document: dict, schema: dict) -> list | None:
    if schema.get("type") == "array":  # a list of models: the list of its example
        items = _component_examples(document, schema.get("items", {}))
        return [items[:1]] if items else None
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        schema = document["components"]["schemas"].get(ref.rsplit("/", 1)[1], {})
    return schema.get("examples")


def mend(document: dict) -> dict:
    """The document FastAPI built, mended as the module docstring says (in place)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_ONLY:
        schemas.pop(name, None)
    for model in (Problem, ParameterError):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schema.pop("$defs", None)  # ParameterError is a component of its own
        schemas[model.__name__] = schema
    for path, operations in document.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault("422", {"description": TITLES[422]})
            for code, response in responses.items():
                if code.isdigit() and int(code) >= 400:
                    response["description"] = TITLES.get(int(code), response.get("description", "Error"))
                    response["content"] = {PROBLEM_JSON: {
                        "schema": PROBLEM_REF, "example": problem_example(int(code), path)}}
                elif code.startswith("2"):
                    for media in response.get("content", {}).values():
                        examples = _component_examples(document, media.get("schema", {}))
                        if examples and "example" not in media:
                            media["example"] = examples[0]
            # error responses in status order, after the successes
            operation["responses"] = dict(sorted(responses.items()))
    return document


def install(app: FastAPI) -> None:
    """app.openapi() gives the mended document (built once, like FastAPI's own)."""

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = mend(get_openapi(
                title=app.title, version=app.version, openapi_version=app.openapi_version,
                description=app.description, routes=app.routes, tags=app.openapi_tags,
                servers=app.servers))
        return app.openapi_schema

    app.openapi = openapi
