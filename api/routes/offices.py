"""Offices with the sites each visited: the explorer's first view, one request for a page of them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api import pagination
from api.deps import LookupDep
from api.problems import problem_responses
from api.schemas import OfficePage

router = APIRouter(prefix="/api/v1", tags=["visits"])


@router.get("/offices", response_model=OfficePage,
            summary="Offices with the sites each visited, when, and the article; in name order, paged",
            responses=problem_responses(422, 503))
def list_offices(
    lookup: LookupDep,
    office: Annotated[str | None, Query(max_length=200, description="just this office: short id, IRI or name")] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="page size (offices)")] = 20,
    visits: Annotated[int, Query(ge=1, le=1000, description="at most this many visits per office, the first by date")] = 50,
    cursor: Annotated[str | None, Query(max_length=1000, description="next_cursor of the previous page")] = None,
) -> OfficePage:
    page = lookup.offices(office, limit, pagination.decode(cursor), visits)
    return OfficePage(items=page.items, next_cursor=pagination.encode(page.next_after))
