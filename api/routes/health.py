"""Liveness and readiness."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from fastapi import APIRouter, Request

from api.problems import problem, problem_responses, RETRY_AFTER_S
from api.schemas import Health
from kg.errors import KGError

router = APIRouter(tags=["health"])
PING_TIMEOUT_S = 3.0
# pings have threads of their own: a worker's pool full of long reads must not make it look dead
_PINGS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kg-ping")


@router.get("/healthz", response_model=Health, summary="The process is up")
async def healthz() -> Health:  # on the event loop: no thread needed, none waited for
    return Health()


@router.get("/readyz", response_model=Health, summary="The store answers",
            responses=problem_responses(503))
async def readyz(request: Request):
    store = request.app.state.store
    try:
        await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(_PINGS, store.ping), PING_TIMEOUT_S)
    except asyncio.TimeoutError:
        reason = f"the {store.name} store did not answer within {PING_TIMEOUT_S} s"
    except KGError as exc:
        reason = str(exc)
    except Exception as exc:  # a store that fails in an unforeseen way is still not ready
        reason = f"{type(exc).__name__}: {exc}"
    else:
        return Health(store=store.name)
    return problem(request, 503, reason, kind="store-unavailable",
                   headers={"Retry-After": str(RETRY_AFTER_S)})
