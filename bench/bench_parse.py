"""How long the embedded store's parser takes by nesting depth, and for the worst texts the
analyst limits let through (KG_CYPHER_MAX_DEPTH, KG_CYPHER_MAX_CHARS): docs/analyst-cypher.md.

    python -m bench.bench_parse
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from kg.config import Settings
from kg.graph.stores.falkor import FalkorStore


def _planned_in(store: FalkorStore, query: str) -> float:
    start = time.perf_counter()
    store.plan(query)
    return time.perf_counter() - start


def main() -> None:
    settings = Settings()
    depth, chars = settings.cypher_max_depth, settings.cypher_max_chars
    with tempfile.TemporaryDirectory() as tmp, FalkorStore(Path(tmp)) as store:
        for d in (depth, 12, 16, 18):
            print(f"parentheses {d:2d} deep: {_planned_in(store, 'RETURN ' + '(' * d + '1' + ')' * d):.3f} s")
        term = "(" * depth + "1" + ")" * depth
        query = "RETURN " + " + ".join([term] * ((chars - 7) // (len(term) + 3)))
        print(f"{len(query)} characters of depth-{depth} terms: {_planned_in(store, query):.3f} s")
        term = "NOT " * depth + "true"
        query = "RETURN " + " AND ".join([term] * ((chars - 7) // (len(term) + 5)))
        print(f"{len(query)} characters of NOT x{depth} terms: {_planned_in(store, query):.3f} s")


if __name__ == "__main__":
    main()
