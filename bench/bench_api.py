"""Speed of the query API against the same Cypher through the bare driver (not a test).

    KG_DATA_DIR=/tmp/kgbench .venv/bin/python -m bench.bench_api --articles 10000 --requests 400
    KG_STORE=neo4j NEO4J_URI=... .venv/bin/python -m bench.bench_api --articles 10000

Loads `--articles` synthetic articles (bench/synthetic.py) into the configured store unless it
already holds at least that many (`--no-load` never loads), starts `kg serve` in a subprocess,
drives each endpoint with `--clients` concurrent clients for `--requests` requests, and prints
p50, p99 and requests/s; then runs, in the same process and with the same concurrency, the
Cypher each endpoint runs through the bare driver (neo4j driver, or the FalkorDB client on the
embedded store's redis). Targets: p99 < 25 ms for visits and visitors; API p50 <= 1.5x bare p50.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Callable
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.config import Settings, get_settings  # noqa: E402
from kg.rdf.identity import short_id  # noqa: E402
from kg.ask.queries import QueryLibrary  # noqa: E402
from tests.support.api_server import served_api  # noqa: E402


def ensure_loaded(settings: Settings, n: int, load: bool) -> None:
    from kg.graph.stored_ontology import ensure_ontology
    from kg.ontology import Ontology
    from kg.graph.stores import open_store
    from loaders.pipeline import load_articles

    with open_store(settings) as store:
        have = store.read("MATCH (a:Article) RETURN count(a) AS n").rows[0]["n"]
        if have >= n or not load:
            print(f"store holds {have} articles; not loading", flush=True)
            return
        from bench.synthetic import generate

        print(f"loading {n} synthetic articles into the {store.name} store...", flush=True)
        t0 = time.monotonic()
        store.clear()
        store.ensure_schema()
        ontology = Ontology.load(settings.ontology_dir)
        ensure_ontology(store, ontology)
        report = load_articles(store, ontology, generate(n, seed=1), batch_size=settings.batch_articles)
        print(f"loaded {len(report.loaded)} articles in {time.monotonic() - t0:.0f} s "
              f"({len(report.failed)} failed)", flush=True)


def sample_ids(settings: Settings, k: int) -> dict[str, list[str]]:
    from kg.graph.stores import open_store

    with open_store(settings) as store:
        def col(q: str) -> list[str]:
            return [r["x"] for r in store.read(q, {"k": k}).rows]

        return {
            "office": col("MATCH (v:Visit)-[:organizer]->(o:Resource) WITH DISTINCT o.iri AS x "
                          "RETURN x ORDER BY x LIMIT $k"),
            "office_name": col("MATCH (v:Visit)-[:organizer]->(o:Resource) WITH DISTINCT o.iri AS i, o.name AS x "
                               "RETURN x ORDER BY i LIMIT $k"),
            "site": col("MATCH (v:Visit)-[:visitedSite]->(s:Resource) WITH DISTINCT s.iri AS x "
                        "RETURN x ORDER BY x LIMIT $k"),
            "article": col("MATCH (a:Article) RETURN a.articleId AS x ORDER BY x LIMIT $k"),
        }


def drive(call: Callable[[int], object], requests: int, clients: int,
          prepare: Callable[[], object] | None = None) -> dict:
    """Run call(i) for i in range(requests) on `clients` threads; latency figures in ms.
    `prepare` runs first in each thread, untimed (an HTTP client costs ~30 ms to build)."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(requests))
    errors = []

    ready = threading.Barrier(clients + 1)

    def worker():
        if prepare is not None:
            prepare()
        ready.wait()
        local = []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            t0 = time.perf_counter()
            try:
                call(i)
            except Exception as exc:  # count, do not stop
                errors.append(exc)
            local.append((time.perf_counter() - t0) * 1000)
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    ready.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    return {"p50": statistics.median(latencies), "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
            "rps": len(latencies) / wall, "errors": len(errors), "first_error": repr(errors[0]) if errors else ""}


def bare_runner(settings: Settings) -> tuple[Callable[[str, dict], list], Callable[[], None]]:
    """(run(cypher, params), close) through the bare driver of the configured store."""
    if settings.kg_store == "neo4j":
        import neo4j

        driver = neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=(settings.neo4j_user, settings.neo4j_password))

        def run(cypher: str, params: dict) -> list:
            records, _, _ = driver.execute_query(cypher, params, database_=settings.neo4j_database,
                                                 routing_=neo4j.RoutingControl.READ)
            return records

        return run, driver.close
    from redislite.falkordb_client import FalkorDB

    db = FalkorDB(str(settings.kg_data_dir / "graph.rdb"))  # attaches to the server's redis
    graph = db.select_graph(settings.kg_graph)

    def run(cypher: str, params: dict) -> list:
        return graph.ro_query(cypher, params).result_set

    return run, lambda: None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=400, help="requests per endpoint")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--no-load", action="store_true", help="use the store as it is")
    ap.add_argument("--only", default="", help="run only the endpoints whose name contains one of these "
                                                 "comma-separated words (e.g. visit)")
    args = ap.parse_args()

    settings = get_settings()
    ensure_loaded(settings, args.articles, not args.no_load)
    ids = sample_ids(settings, 50)
    if not ids["office"] or not ids["site"]:
        sys.exit("the store holds no visits: load data first")
    lib = QueryLibrary.load(settings.queries_dir)

    with served_api(os.environ.copy()) as (base, _server):
        office, site, article, names = ids["office"], ids["site"], ids["article"], ids["office_name"]
        # endpoint -> (URL for request i, the Cypher it runs and its parameters for request i)
        visits_q, by_org_q = lib.get("visits"), lib.get("visits_by_organizer")
        sites_q, visitors_q = lib.get("sites_visited_by_office"), lib.get("offices_that_visited")
        cases = {
            "GET /visits?organizer": (lambda i: f"/api/v1/visits?organizer={short_id(office[i % len(office)])}&limit=50",
                                      lambda i: (by_org_q.cypher, by_org_q.bind({"organizer": office[i % len(office)], "limit": 51}))),
            "GET /visits?organizer=<name>": (lambda i: "/api/v1/visits?limit=50&organizer=" + quote(names[i % len(names)]),
                                             lambda i: (by_org_q.cypher, by_org_q.bind({"organizer": names[i % len(names)], "limit": 51}))),
            "GET /visits (all, paged)": (lambda i: "/api/v1/visits?limit=50",
                                         lambda i: (visits_q.cypher, visits_q.bind({"limit": 51}))),
            "GET /offices/{id}/visited-sites": (lambda i: f"/api/v1/offices/{short_id(office[i % len(office)])}/visited-sites",
                                                lambda i: (sites_q.cypher, sites_q.bind({"office": office[i % len(office)]}))),
            "GET /sites/{id}/visitors": (lambda i: f"/api/v1/sites/{short_id(site[i % len(site)])}/visitors",
                                         lambda i: (visitors_q.cypher, visitors_q.bind({"site": site[i % len(site)]}))),
            "GET /entities?type=Office&q=": (lambda i: "/api/v1/entities?type=Office&q=%E5%8A%9E&limit=50", None),
            "GET /entities/{id}": (lambda i: f"/api/v1/entities/{short_id(office[i % len(office)])}", None),
            "GET /articles/{id}": (lambda i: f"/api/v1/articles/{article[i % len(article)]}", None),
            "GET /graph depth=2": (lambda i: f"/api/v1/graph?id={short_id(site[i % len(site)])}&depth=2&limit=100", None),
        }
        local = threading.local()

        def client() -> httpx.Client:
            if not hasattr(local, "c"):
                local.c = httpx.Client(base_url=base, timeout=30)
            return local.c

        run_bare, close_bare = bare_runner(settings)
        print(f"\n{settings.kg_store} store, {args.clients} clients, {args.requests} requests per endpoint\n")
        print(f"{'endpoint':34} {'API p50':>8} {'p99':>8} {'req/s':>7}   {'bare p50':>8} {'p99':>8} {'req/s':>7}  {'p50 ratio':>9}")
        words = [w for w in args.only.split(",") if w]
        for name, (url, cypher) in cases.items():
            if words and not any(w in name for w in words):
                continue
            # warm up with the same concurrency: every client connection, API worker process,
            # driver connection and query plan exists before the timed requests
            drive(lambda i: client().get(url(i)), min(100, args.requests), args.clients, client)
            api = drive(lambda i: client().get(url(i)).raise_for_status(), args.requests, args.clients, client)
            line = f"{name:34} {api['p50']:8.2f} {api['p99']:8.2f} {api['rps']:7.0f}"
            if cypher is not None:
                drive(lambda i: run_bare(*cypher(i)), min(100, args.requests), args.clients)
                bare = drive(lambda i: run_bare(*cypher(i)), args.requests, args.clients)
                line += f"   {bare['p50']:8.2f} {bare['p99']:8.2f} {bare['rps']:7.0f}  {api['p50'] / bare['p50']:9.2f}"
            if api["errors"]:
                line += f"  ({api['errors']} errors: {api['first_error'][:80]})"
            print(line, flush=True)
        close_bare()
        print("\ntargets: p99 < 25 ms for visits and visitors; API p50 <= 1.5x bare p50")


if __name__ == "__main__":
    main()
