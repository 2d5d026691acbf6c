"""The query API: `create_app(settings)` builds it; `kg serve` runs `app` under uvicorn.

One store per app, opened in the lifespan (or injected, e.g. by tests), shared by all requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from api import openapi, problems
from api.admission import Admission
from api.cache import ResponseCache
from api.deps import reject_unknown_query_parameters
from api.warmup import warm_up
from api.routes import articles, entities, health, offices, ontology, queries, site, visits
from kg.config import Settings, get_settings
from kg.ask.lookup import Lookup
from kg.ask.queries import QueryLibrary
from kg.graph.stores import open_store
from kg.graph.stores.base import GraphStore
from kg.graph.stores.bounded import DeadlineStore

log = logging.getLogger("kg.api")

DESCRIPTION = """
What offices and party organisations do, from local news, as a graph.

* **entities**: search by ontology class and name; one entity with its typed links and the
  articles that support each link.
* **visits**: who visited which sites, when, led by whom; per office and per site.
* **articles**: an article with every fact derived from it and the evidence spans.
* **graph**: a neighbourhood in the shape Cytoscape.js takes.
* **queries**: the named Cypher library, and ad-hoc read-only Cypher (API key).

Ids in URLs are short and stable (`org-…`, `person-…`, `event-…`; articles by their id);
responses carry the IRI too. JSON fields are snake_case. Errors are RFC 9457 problem details
(`application/problem+json`, type URIs `https://w3id.org/newskg/problems/<kind>`); a query
parameter a route does not take is a 422 naming it, on every route.
"""


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None,
               library: QueryLibrary | None = None) -> FastAPI:
    settings = settings or get_settings()
    library = library or QueryLibrary.load(settings.queries_dir)

    def attach(app: FastAPI, graph_store: GraphStore) -> None:
        graph_store = DeadlineStore(graph_store)  # every read within its request's deadline
        app.state.store = graph_store
        app.state.lookup = Lookup(graph_store, library, timeout=settings.query_timeout_s,
                                  row_cap=settings.query_row_cap)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        own = store is None
        if own:
            attach(app, open_store(settings))
            try:  # connect now if we can; /readyz tells if we cannot
                await asyncio.wait_for(run_in_threadpool(app.state.store.ping), 5.0)
            except Exception as exc:
                log.warning("store not reachable at start: %s", exc)
            else:
                if settings.api_warmup_s > 0:
                    answered = await run_in_threadpool(warm_up, app.state.lookup, settings.api_warmup_s)
                    log.info("warm-up: %d question(s) asked", len(answered))
            # everything built so far lives as long as the process: out of the collector's
            # sight, full collections stop rescanning it. They were the API's p99 (clusters of
            # ~200 ms requests at 8 clients; 198 -> 62 ms on the visits endpoint)
            gc.freeze()
        try:
            yield
        finally:
            if own:
                app.state.store.close()

    # the docs pages are api/routes/site.py's, from assets the app serves (FastAPI's own load a CDN)
    app = FastAPI(title="NewsKG query API", version="1.0.0", description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None, generate_unique_id_function=openapi.operation_id,
                  dependencies=[Depends(reject_unknown_query_parameters)])
    app.state.settings = settings
    app.state.library = library
    if store is not None:  # injected: usable even without the lifespan running (tests, tools)
        attach(app, store)
    app.add_middleware(Admission, settings=settings)
    app.add_middleware(ResponseCache, settings=settings)  # outside admission: a hit takes no slot
    if settings.cors_origins:  # outside admission: its 503 and 413 answers carry CORS headers too
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type", "X-API-Key"])
    problems.install(app)
    openapi.install(app)
    for module in (health, entities, visits, offices, articles, queries, ontology):
        app.include_router(module.router)
    site.install(app)
    return app


def __getattr__(name: str):
    # `api.main:app` for uvicorn, built on first access so importing the module costs nothing.
    if name == "app":
        global app
        app = create_app()
        return app
    raise AttributeError(name)
