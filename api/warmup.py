"""Each public question asked once as a worker starts, before it takes requests.

A worker's first answers are its slowest: the store plans each query text for the first time
(Neo4j's planner and JIT on a JVM just started), the worker's read-only checks and connections
are new. With 200 clients arriving at once, those first answers took seconds and the requests
queued behind them were 503s (bench/bench_hostile.py's warm-up phase). Asked here first, on the
first office, site and article the graph gives, they are paid before the worker is reachable
(uvicorn's workers accept only once their lifespan started).
"""

from __future__ import annotations

import logging
import time
from typing import Callable

from kg.ask.lookup import Lookup
from kg.errors import KGError

log = logging.getLogger("kg.api")


def warm_up(lookup: Lookup, budget_s: float) -> list[str]:
    """Ask the routes' questions once each until `budget_s` is spent; the names of those that
    answered. One that fails is passed over (an empty graph has no office to ask about); a store
    that cannot answer at all is for /readyz to say, not a reason not to start."""
    deadline = time.monotonic() + budget_s
    answered: list[str] = []

    def ask(name: str, question: Callable[[], object]) -> object | None:
        if time.monotonic() >= deadline:
            return None
        try:
            answer = question()
        except KGError as exc:
            log.info("warm-up: %s not asked (%s)", name, exc)
            return None
        answered.append(name)
        return answer

    ask("entities", lambda: lookup.search_entities(limit=20))
    visits = ask("visits", lambda: lookup.visits(limit=20))
    offices = ask("offices", lambda: lookup.offices(limit=20))
    # the rest asks about the first office, site and article the graph gives
    first = visits.items[0] if visits is not None and visits.items else None
    if offices is not None and offices.items:
        office = offices.items[0]["office"]["id"]
        ask("visits by organizer", lambda: lookup.visits(organizer=office, limit=20))
        ask("visited sites", lambda: lookup.visited_sites(office))
        ask("entity", lambda: lookup.entity(office))
        ask("graph", lambda: lookup.neighbourhood(office, depth=1))
    if first is not None and first["sites"]:
        site = first["sites"][0]["id"]
        ask("visits at site", lambda: lookup.visits(site=site, limit=20))
        ask("visitors", lambda: lookup.visitors(site))
    if first is not None and first["articles"]:
        article = first["articles"][0]["id"]
        ask("article", lambda: lookup.article(article))
    return answered
