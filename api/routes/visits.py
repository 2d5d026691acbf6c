"""Visits, the sites an office visited, the visitors of a site."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from api import pagination
from api.deps import LookupDep
from api.problems import problem_responses
from api import examples as ex
from api.schemas import VisitedSites, VisitPage, Visitors

router = APIRouter(prefix="/api/v1", tags=["visits"])
DATE = r"^(\d{4}|-)-\d{2}-\d{2}$"
DATE_DOC = "YYYY-MM-DD or --MM-DD; a date without a year is compared by month and day"


@router.get("/visits", response_model=VisitPage, summary="Visits, filtered and paged",
            responses=problem_responses(422, 503))
def list_visits(
    lookup: LookupDep,
    organizer: Annotated[str | None, Query(max_length=200, description="organizer: short id, IRI or name",
                                                        openapi_examples=ex.ids("新港办事处", "an office by name"))] = None,
    site: Annotated[str | None, Query(max_length=200, description="a visited site: short id, IRI or name",
                                                   openapi_examples=ex.ids("柿园吴村", "a village by name"))] = None,
    from_: Annotated[str | None, Query(alias="from", pattern=DATE, description="earliest date, " + DATE_DOC)] = None,
    to: Annotated[str | None, Query(pattern=DATE, description="latest date, " + DATE_DOC)] = None,
    kind: Annotated[Literal["visit", "observation", "inspection"] | None,
                    Query(description="visit (plain), observation (观摩) or inspection (调研)")] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="page size")] = 50,
    cursor: Annotated[str | None, Query(max_length=1000, description="next_cursor of the previous page")] = None,
) -> VisitPage:
    page = lookup.visits(organizer, site, from_, to, kind, limit, pagination.decode(cursor))
    return VisitPage(items=page.items, next_cursor=pagination.encode(page.next_after))


@router.get("/offices/{id}/visited-sites", response_model=VisitedSites,
            summary="The sites an office visited, in trip order", responses=problem_responses(404, 503))
def list_visited_sites(lookup: LookupDep,
                  id: Annotated[str, Path(max_length=200, description="short id of the office",
                                openapi_examples=ex.ids("org-9cbafcd8e2cb676b", "新港办事处"))]) -> VisitedSites:
    return VisitedSites(**lookup.visited_sites(id))


@router.get("/sites/{id}/visitors", response_model=Visitors, summary="Who visited a site",
            responses=problem_responses(404, 503))
def list_visitors(lookup: LookupDep,
             id: Annotated[str, Path(max_length=200, description="short id of the site",
                                openapi_examples=ex.ids("org-c94e5e0a3946122d", "柿园吴村"))]) -> Visitors:
    return Visitors(**lookup.visitors(id))
