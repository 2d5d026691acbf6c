"""Entities: search by class and name, one entity with its neighbourhood."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api import pagination
from api.deps import LookupDep
from api.problems import problem_responses
from api import examples as ex
from api.schemas import Entity, EntityPage

router = APIRouter(prefix="/api/v1/entities", tags=["entities"])


@router.get("", response_model=EntityPage, summary="Search entities by class and name",
            responses=problem_responses(422, 503))
def search_entities(
    lookup: LookupDep,
    type: Annotated[str | None, Query(max_length=100, description="an ontology class, e.g. Office, Village, Person",
                                                 openapi_examples=ex.ids("Office", "offices"))] = None,
    q: Annotated[str | None, Query(max_length=200, description="text contained in the name or an alias",
                                               openapi_examples=ex.ids("新港", "新港办事处 and others"))] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="page size")] = 50,
    cursor: Annotated[str | None, Query(max_length=1000, description="next_cursor of the previous page")] = None,
) -> EntityPage:
    page = lookup.search_entities(type, q, limit, pagination.decode(cursor))
    return EntityPage(items=page.items, next_cursor=pagination.encode(page.next_after))


@router.get("/{id}", response_model=Entity, summary="One entity with its links and their articles",
            responses=problem_responses(404, 503))
def get_entity(lookup: LookupDep,
               id: Annotated[str, Path(max_length=200, description="short id, e.g. org-9cbafcd8e2cb676b",
                                openapi_examples=ex.ids("org-9cbafcd8e2cb676b", "新港办事处"))]) -> Entity:
    return Entity(**lookup.entity(id))
