"""Speed of `kg export` on the configured store, each format, as a user runs it (not a test).

    KG_DATA_DIR=/tmp/kgexport .venv/bin/python -m bench.bench_export --articles 10000
    KG_STORE=neo4j NEO4J_URI=... NEO4J_PASSWORD=... .venv/bin/python -m bench.bench_export --articles 10000

Loads `--articles` synthetic articles (bench/synthetic.py) unless the store holds that many,
then runs `kg export -o FILE` in a subprocess for each format and prints its wall time, the
triples written, the file's size and the process's peak RSS. Target: under 60 s at 10,000
articles (N-Triples, Turtle, TriG stream; JSON-LD is built in memory and is slower).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_api import ensure_loaded  # noqa: E402
from kg.config import get_settings  # noqa: E402

SUFFIX = {"ntriples": ".nt", "turtle": ".ttl", "trig": ".trig", "jsonld": ".jsonld"}


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_export", description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--no-load", action="store_true", help="use the store as it is")
    ap.add_argument("--formats", default="ntriples,turtle,trig",
                    help="comma-separated (jsonld too, slow at 10,000)")
    args = ap.parse_args()
    ensure_loaded(get_settings(), args.articles, not args.no_load)
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            out = Path(tmp) / f"graph{SUFFIX[fmt]}"
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            t0 = time.monotonic()
            done = subprocess.run([sys.executable, "-m", "kg.cli", "export", "-o", str(out), "--json"],
                                  capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
            seconds = time.monotonic() - t0
            if done.returncode:
                print(f"{fmt}: failed: {done.stderr.strip() or done.stdout.strip()}")
                continue
            triples = int(re.search(r'"triples": (\d+)', done.stdout).group(1))
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            print(f"{fmt:9} {seconds:7.1f} s  {triples:>9,} triples  {triples / seconds:>9,.0f} triples/s  "
                  f"{out.stat().st_size / 1e6:7.1f} MB  peak RSS {max(peak, before) / 1024:6.0f} MB",
                  flush=True)
            out.unlink()


if __name__ == "__main__":
    main()
