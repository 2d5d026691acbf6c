"""The named-query library and ad-hoc read-only Cypher."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request

from api.deps import ApiKeyDep, LibraryDep, SettingsDep, StoreDep
from api.problems import problem_responses
from api.schemas import CypherRequest, NamedQuery, QueryParam, QueryRun, Rows
from kg.ask.analyst import run_analyst_query
from kg.ask.queries import NamedQuery as KGNamedQuery

router = APIRouter(prefix="/api/v1", tags=["queries"])


def _describe(q: KGNamedQuery) -> NamedQuery:
    return NamedQuery(name=q.name, description=q.description, columns=list(q.columns),
                      parameters=[QueryParam(name=p.name, type=p.type, required=p.required,
                                             default=None if p.required else p.default,
                                             description=p.description) for p in q.params])


def _run(store, settings, q: KGNamedQuery, values: dict[str, Any]) -> Rows:
    result = q.run(store, values, timeout=settings.query_timeout_s, limit=settings.query_row_cap,
                   max_chars=settings.query_param_max_chars)
    return Rows(columns=list(q.columns) or result.columns, rows=result.rows, truncated=result.truncated)


@router.get("/queries", response_model=list[NamedQuery], summary="The named queries")
def list_queries(library: LibraryDep) -> list[NamedQuery]:
    return [_describe(q) for q in library.queries.values()]


@router.get("/queries/{name}", response_model=Rows,
            summary="Run a named query; parameters as query-string values",
            responses=problem_responses(404, 413, 422, 503, 504))
def run_query_get(request: Request, library: LibraryDep, store: StoreDep, settings: SettingsDep,
                  name: Annotated[str, Path(max_length=200, description="a name from GET /api/v1/queries")]) -> Rows:
    q = library.get(name)
    return _run(store, settings, q, dict(request.query_params))


@router.post("/queries/{name}", response_model=Rows,
             summary="Run a named query; parameters as a JSON object",
             responses=problem_responses(404, 413, 422, 503, 504))
def run_query_post(library: LibraryDep, store: StoreDep, settings: SettingsDep,
                   name: Annotated[str, Path(max_length=200, description="a name from GET /api/v1/queries")],
                   body: Annotated[QueryRun, Body()] = QueryRun()) -> Rows:
    q = library.get(name)
    return _run(store, settings, q, body.parameters)


@router.post("/cypher", response_model=Rows, summary="Ad-hoc read-only Cypher (API key required)",
             description="Runs on the store in read mode; a query that would write, or that asks for more "
                         "than the graph (LOAD CSV, SHOW / TERMINATE, procedures outside the allow-list), is "
                         "refused (403) and runs nothing; one too long or nested too deeply is refused (422). "
                         "Timeout (KG_QUERY_TIMEOUT, 504 when passed) and row cap (KG_QUERY_ROW_CAP) apply; "
                         "see docs/analyst-cypher.md.",
             responses=problem_responses(400, 401, 403, 422, 503, 504))
def cypher(_key: ApiKeyDep, store: StoreDep, settings: SettingsDep, body: CypherRequest) -> Rows:
    result = run_analyst_query(store, body.query, body.parameters, settings)
    return Rows(columns=result.columns, rows=result.rows, truncated=result.truncated)
