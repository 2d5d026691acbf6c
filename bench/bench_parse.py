"""How long each store's parser and planner take for the worst texts the analyst limits let
through (KG_CYPHER_MAX_DEPTH, KG_CYPHER_MAX_CHARS), and on the embedded store by nesting
depth: docs/analyst-cypher.md.

    python -m bench.bench_parse                                   # the embedded store
    python -m bench.bench_parse --neo4j-uri bolt://127.0.0.1:7687   # and a Neo4j (NEO4J_USER/PASSWORD)
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from kg.config import Settings
from kg.errors import KGError
from kg.graph.stores.base import GraphStore
from kg.graph.stores.falkor import FalkorStore
from kg.graph.stores.neo4j import Neo4jStore


def _planned_in(store: GraphStore, query: str, timeout: float) -> str:
    start = time.perf_counter()
    try:
        store.plan(query, timeout=timeout)
    except KGError as exc:  # a timeout is a figure too
        return f"{time.perf_counter() - start:.3f} s ({type(exc).__name__})"
    return f"{time.perf_counter() - start:.3f} s"


def worst_texts(depth: int, chars: int) -> dict[str, str]:
    """Texts at the limits: nested terms summed, NOT chains, and flat ones (long sums, OR
    chains, list literals) that nest nothing and are only long."""
    def filled(head: str, term: str, sep: str, tail: str = "") -> str:
        return head + sep.join([term] * ((chars - len(head) - len(tail)) // (len(term) + len(sep)))) + tail

    nested = "(" * depth + "1" + ")" * depth
    return {
        f"depth-{depth} terms summed": filled("RETURN ", nested, " + "),
        f"NOT x{depth} terms": filled("RETURN ", "NOT " * depth + "true", " AND "),
        "a flat sum": filled("RETURN ", "1", " + "),
        "a flat OR chain": filled("MATCH (n) WHERE ", "n.name = 'x'", " OR ", " RETURN n"),
        "a list literal": filled("RETURN [", "1", ",", "]"),
        "many MATCH clauses": filled("", "MATCH (a)-[:r]->(b) WITH a ", "", "RETURN a"),
    }


def run(store: GraphStore, settings: Settings) -> None:
    depth, chars, timeout = settings.cypher_max_depth, settings.cypher_max_chars, settings.query_timeout_s
    print(f"{store.name}: planning, timeout {timeout} s")
    if store.name == "embedded":
        for d in (depth, 12, 16, 18):
            print(f"  parentheses {d:2d} deep: {_planned_in(store, 'RETURN ' + '(' * d + '1' + ')' * d, timeout)}")
    for name, query in worst_texts(depth, chars).items():
        print(f"  {len(query)} characters, {name}: {_planned_in(store, query, timeout)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--neo4j-uri", help="also plan on this Neo4j (NEO4J_USER, NEO4J_PASSWORD)")
    args = ap.parse_args()
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp, FalkorStore(Path(tmp)) as store:
        run(store, settings)
    if args.neo4j_uri:
        with Neo4jStore(args.neo4j_uri, os.environ.get("NEO4J_USER", "neo4j"),
                        os.environ.get("NEO4J_PASSWORD", "")) as store:
            run(store, settings)


if __name__ == "__main__":
    main()
