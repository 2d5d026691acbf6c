"""Liveness and readiness."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from fastapi import APIRouter, Request

from api.problems import RETRY_AFTER_S, problem, problem_responses, store_unavailable
from api.schemas import Health
from kg.errors import KGError

router = APIRouter(tags=["health"])
PING_TIMEOUT_S = 3.0
# pings have threads of their own: a worker's pool full of long reads must not make it look dead
_PINGS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kg-ping")


@router.get("/healthz", response_model=Health, summary="The process is up")
async def healthz() -> Health:  # on the event loop: no thread needed, none waited for
    return Health()


def _warming(store) -> list[str]:
    """The store answers; which of its indexes it is still building."""
    store.ping()
    return store.indexes_building()


@router.get("/readyz", response_model=Health, summary="The store answers, its indexes built",
            responses=problem_responses(503))
async def readyz(request: Request):
    """503 until the store answers with every index usable: a store that scans instead (the
    embedded store rebuilds its indexes each time its server starts) answers a short read in
    hundreds of milliseconds instead of a few, so a balancer should wait."""
    store = request.app.state.store
    try:
        building = await asyncio.wait_for(
            asyncio.get_running_loop().run_in_executor(_PINGS, _warming, store), PING_TIMEOUT_S)
    except asyncio.TimeoutError:  # safe to say: names the kind of store, not where it is
        return problem(request, 503, f"the {store.name} store did not answer within "
                       f"{PING_TIMEOUT_S} s", kind="store-unavailable",
                       headers={"Retry-After": str(RETRY_AFTER_S)})
    except KGError as exc:
        return store_unavailable(request, str(exc))
    except Exception as exc:  # a store that fails in an unforeseen way is still not ready
        return store_unavailable(request, f"{type(exc).__name__}: {exc}")
    if building:
        return problem(request, 503, f"the {store.name} store is building its indexes: "
                       + ", ".join(building), kind="store-warming",
                       headers={"Retry-After": str(RETRY_AFTER_S)})
    return Health(store=store.name)
