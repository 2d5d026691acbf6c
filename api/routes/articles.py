"""Articles with their facts and evidence spans; neighbourhood graphs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import LookupDep
from api.problems import problem_responses
from api import examples as ex
from api.schemas import Article, Graph

router = APIRouter(prefix="/api/v1", tags=["articles and graph"])


@router.get("/articles/{id}", response_model=Article,
            summary="An article, its byline and every fact derived from it with the evidence spans",
            responses=problem_responses(404, 503))
def get_article(lookup: LookupDep,
                id: Annotated[str, Path(max_length=200, description="the article's id",
                                            openapi_examples=ex.ids("page-000-a1", "the sample's first article"))]) -> Article:
    return Article(**lookup.article(id))


@router.get("/graph", response_model=Graph, summary="A neighbourhood as Cytoscape.js elements",
            responses=problem_responses(404, 422, 503))
def get_graph(lookup: LookupDep,
          id: Annotated[str, Query(max_length=200, description="short id of the centre node",
                                            openapi_examples=ex.ids("org-c94e5e0a3946122d", "柿园吴村"))],
          depth: Annotated[int, Query(ge=1, le=3, description="links from the centre")] = 1,
          limit: Annotated[int, Query(ge=1, le=1000, description="at most this many nodes")] = 100) -> Graph:
    return Graph(**lookup.neighbourhood(id, depth, limit))
