"""`kg validate` benchmark: seconds to validate a stored graph of N synthetic articles (not a test).

    .venv/bin/python -m bench.bench_validate --n 1000                    # builds a tmp store
    .venv/bin/python -m bench.bench_validate --n 10000 --data-dir /tmp/kgval10k   # reuse/build

With --data-dir the embedded store there is reused if it holds N articles, else built there
(loaders.pipeline.load_articles, batch_size=1000; ~8 min at 10k on 2 cores). Then
kg.graph_validate.validate_graph runs once over the whole graph, as `kg validate` does, and
the seconds, node count and violation count are printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import generate  # noqa: E402
from kg.graph.stored_ontology import ensure_ontology  # noqa: E402
from kg.steward.validate_graph import validate_graph  # noqa: E402
from kg.ontology import Ontology  # noqa: E402
from kg.graph.stores.falkor import FalkorStore  # noqa: E402
from loaders.pipeline import load_articles  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data-dir", type=Path, default=None)
    ap.add_argument("--graph", default="kg")
    args = ap.parse_args()
    ontology = Ontology.load(ROOT / "ontology")
    store = FalkorStore(args.data_dir or Path(tempfile.mkdtemp()), args.graph)
    have = store.read("MATCH (a:Article) RETURN count(a) AS n").rows[0]["n"]
    if have != args.n:
        store.clear()
        store.ensure_schema()
        ensure_ontology(store, ontology)
        t0 = time.perf_counter()
        report = load_articles(store, ontology, generate(args.n, seed=args.seed), batch_size=1000)
        print(f"loaded {args.n} articles in {time.perf_counter() - t0:.1f}s "
              f"({len(report.failed)} failed)", flush=True)
    t0 = time.perf_counter()
    result = validate_graph(store, ontology)
    seconds = time.perf_counter() - t0
    print(f"validate: {result['articles']} articles, {result['nodes']} nodes, "
          f"{len(result['violations'])} violations in {seconds:.1f}s")


if __name__ == "__main__":
    main()
