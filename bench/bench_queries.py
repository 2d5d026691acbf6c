"""Latency of every named query on the configured store, at the size it holds (not a test).

    KG_DATA_DIR=/tmp/kgbench .venv/bin/python -m bench.bench_queries --articles 10000
    KG_STORE=neo4j NEO4J_URI=... .venv/bin/python -m bench.bench_queries --articles 10000

Loads `--articles` synthetic articles unless the store holds that many (bench/bench_api.py's
ensure_loaded), then runs each query of queries/ `--runs` times, one at a time, through
NamedQuery.run (the path the API takes, without HTTP), each run with other sample values for
its required parameters (offices, sites, people, articles, facts taken from the store), and
prints p50 and max in ms with the rows returned. Target: p50 under TARGET_MS at 10,000 articles
on both stores; a query over it is marked.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_api import ensure_loaded  # noqa: E402
from kg.ask.queries import QueryLibrary  # noqa: E402
from kg.config import get_settings  # noqa: E402
from kg.graph.stores import open_store  # noqa: E402

TARGET_MS = 250.0
# where the sample value of each kind of required parameter comes from
SAMPLES = {
    "office": "MATCH (:Visit)-[:organizer]->(o:Resource) WITH DISTINCT o RETURN o.iri AS x ORDER BY x LIMIT $k",
    "organisation": "MATCH (:Visit)-[:organizer]->(o:Resource) WITH DISTINCT o RETURN o.name AS x ORDER BY x LIMIT $k",
    "site": "MATCH (:Visit)-[:visitedSite]->(s:Resource) WITH DISTINCT s RETURN s.iri AS x ORDER BY x LIMIT $k",
    "person": "MATCH (p:Person) RETURN p.iri AS x ORDER BY x LIMIT $k",
    "article": "MATCH (a:Article) RETURN a.articleId AS x ORDER BY x LIMIT $k",
    "fact": "MATCH (ev:Evidence) RETURN ev.fact AS x ORDER BY x LIMIT $k",
}
SAMPLES["organizer"] = SAMPLES["office"]


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_queries", description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--no-load", action="store_true", help="use the store as it is")
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    settings = get_settings()
    ensure_loaded(settings, args.articles, not args.no_load)
    library = QueryLibrary.load(settings.queries_dir)
    over = 0
    with open_store(settings) as store:
        samples = {kind: [r["x"] for r in store.read(q, {"k": args.runs}).rows] for kind, q in SAMPLES.items()}
        print(f"{store.name} store; p50 target {TARGET_MS:.0f} ms", flush=True)
        for name, query in sorted(library.queries.items()):
            needed = [p.name for p in query.params if p.required]
            times, rows = [], 0
            for i in range(args.runs):
                values = {name: samples[name][i % len(samples[name])] for name in needed}
                t0 = time.perf_counter()
                result = query.run(store, values, timeout=settings.query_timeout_s)
                times.append((time.perf_counter() - t0) * 1000)
                rows += len(result.rows)
            p50 = statistics.median(times)
            over += p50 > TARGET_MS
            print(f"{name:36} p50 {p50:8.1f} ms  max {max(times):8.1f} ms  rows/run {rows / args.runs:7.1f}"
                  f"{'  OVER' if p50 > TARGET_MS else ''}", flush=True)
    print(f"{over} over the target")


if __name__ == "__main__":
    main()
