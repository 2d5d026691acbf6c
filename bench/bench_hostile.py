"""Short reads while the API is under hostile use (not a test).

    KG_DATA_DIR=/tmp/kghostile .venv/bin/python -m bench.bench_hostile --articles 2000
    KG_STORE=neo4j NEO4J_URI=... NEO4J_PASSWORD=... .venv/bin/python -m bench.bench_hostile

Loads `--articles` synthetic articles unless the store holds them, serves the API (`kg serve`)
and runs `--clients` concurrent clients, each a person clicking: a short read (an entity
search, a visits page, an office's sites, an article), then a pause of `--think` seconds on
average. Three phases of `--seconds` each: idle; with two clients sending deep graph requests
(depth 3 on the most connected sites) back to back; and during a load of `--load-articles` more
synthetic articles by `kg load` in another process. Prints p50 / p99 of the short reads, their
5xx, the share answered from the API's cache (api/cache.py; KG_API_CACHE_ENTRIES=0 turns it
off, to compare), and what happened to the hostile requests (each a new URL: never cached).
Targets (issue 15): p99 < 1 s on Neo4j and < 2 s on the embedded store, 0 5xx.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_api import ensure_loaded, sample_ids  # noqa: E402
from bench.http_client import Connection, HttpError  # noqa: E402
from bench.synthetic import generate, to_doccano  # noqa: E402
from kg.config import get_settings  # noqa: E402
from kg.graph.stores import open_store  # noqa: E402
from kg.rdf.identity import short_id  # noqa: E402
from tests.support.api_server import served_api  # noqa: E402


def short_reads(ids: dict) -> list[str]:
    office, site, article = ids["office"], ids["site"], ids["article"]
    return ([f"/api/v1/entities?type=Office&q=%E5%8A%9E&limit=20"]
            + [f"/api/v1/visits?organizer={short_id(o)}&limit=20" for o in office[:20]]
            + [f"/api/v1/offices/{short_id(o)}/visited-sites" for o in office[:20]]
            + [f"/api/v1/articles/{a}" for a in article[:20]]
            + ["/api/v1/visits?limit=20"])


async def person(base: str, seed: int, urls: list[str], think: float, until: float, out: list) -> None:
    """One person, one connection: a click, a pause of `think` seconds on average. Each has
    its own random sequence (a shared seed made all of them click the same page at once)."""
    rng = random.Random(seed)
    tab = Connection(base)
    await asyncio.sleep(rng.uniform(0, think * 2))  # people do not all click at once
    try:
        while time.monotonic() < until:
            url = rng.choice(urls)
            t0 = time.perf_counter()
            try:
                status, headers, _ = await tab.get(url)
                hit = "x-kg-cache" in headers
            except HttpError:
                status, hit = 599, False
            out.append((time.perf_counter() - t0, status, hit))
            await asyncio.sleep(rng.uniform(0, think * 2))
    finally:
        await tab.close()


async def hostile(base: str, urls: list[str], until: float, out: list) -> None:
    """Deep graph requests back to back, each one new (another limit), so none is a cache hit."""
    i = 0
    tab = Connection(base)
    try:
        while time.monotonic() < until:
            t0 = time.perf_counter()
            try:
                status, _, _ = await tab.get(f"{urls[i % len(urls)]}&limit={300 + i % 200}", timeout=120)
            except HttpError:
                status = 599
            out.append((time.perf_counter() - t0, status, False))
            i += 1
    finally:
        await tab.close()


def first_commit(settings, loader: subprocess.Popen, timeout: float = 300) -> float:
    """Seconds until the loader's first batch is in the store (its generation moves)."""
    t0 = time.monotonic()
    with open_store(settings) as store:
        before = store.generation()
        while store.generation() == before and loader.poll() is None and time.monotonic() - t0 < timeout:
            time.sleep(0.05)
    return time.monotonic() - t0


async def phase(base: str, urls: list[str], deep: list[str], args, hostile_clients: int,
                seconds: float | None = None) -> tuple[list, list]:
    reads: list = []
    attacks: list = []
    until = time.monotonic() + (seconds or args.seconds)
    tasks = [person(base, i, urls, args.think, until, reads) for i in range(args.clients)]
    tasks += [hostile(base, deep, until, attacks) for _ in range(hostile_clients)]
    await asyncio.gather(*tasks)
    return reads, attacks


def summary(name: str, reads: list, attacks: list) -> str:
    lat = sorted(t for t, _, _ in reads)
    statuses = [s for _, s, _ in reads]
    p50 = statistics.median(lat) if lat else float("nan")
    p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))] if lat else float("nan")
    line = (f"{name:28} {len(reads):6d} reads  p50 {p50 * 1000:7.0f} ms  p99 {p99 * 1000:7.0f} ms  "
            f"5xx {sum(s >= 500 for s in statuses):4d}  cache hits {sum(h for *_, h in reads) / max(1, len(reads)):4.0%}")
    errors = {s: statuses.count(s) for s in sorted(set(statuses)) if s >= 500}
    if errors:
        line += f" {json.dumps(errors)}"
    if attacks:
        kinds: dict = {}
        for _, s, _ in attacks:
            kinds[s] = kinds.get(s, 0) + 1
        line += f"   deep graph requests: {json.dumps(kinds)}"
    return line


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--load-articles", type=int, default=1000, help="articles loaded during the third phase")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--think", type=float, default=1.0, help="mean seconds between one client's requests")
    ap.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    args = ap.parse_args()

    settings = get_settings()
    ensure_loaded(settings, args.articles, True)
    ids = sample_ids(settings, 50)
    urls = short_reads(ids)
    deep = [f"/api/v1/graph?id={short_id(s)}&depth=3" for s in ids["site"][:10]]
    print(f"{settings.kg_store} store, {args.clients} clients (one request per {args.think} s on average), "
          f"{args.seconds:.0f} s per phase", flush=True)
    with served_api(os.environ.copy()) as (base, _server):
        # each worker's first answers are built, not kept; and Neo4j plans each query once
        print(summary("warm-up (not a target)", *asyncio.run(phase(base, urls, deep, args, 0, 10))), flush=True)
        print(summary("idle", *asyncio.run(phase(base, urls, deep, args, 0))), flush=True)
        print(summary("two deep graph clients", *asyncio.run(phase(base, urls, deep, args, 2))), flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            batch = Path(tmp) / "more.jsonl"
            batch.write_text("".join(json.dumps(to_doccano(a), ensure_ascii=False) + "\n"
                                     for a in generate(args.load_articles, seed=7)), encoding="utf-8")
            loader = subprocess.Popen([sys.executable, "-m", "kg.cli", "load", str(batch)], cwd=ROOT,
                                      env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            commits = first_commit(settings, loader)  # the phase starts once the load writes
            reads, attacks = asyncio.run(phase(base, urls, deep, args, 2))
            running = loader.poll() is None
            _, err = loader.communicate()
            said = err.decode(errors="replace").strip().splitlines()[-1:] if loader.returncode else []
            print(summary("during a load + deep graph", reads, attacks)
                  + f"   (first commit {commits:.1f} s after the load started; "
                  + f"load {'still running at the end' if running else 'ended'}, exit {loader.returncode}"
                  + (f": {said[0][:120]}" if said else "") + ")", flush=True)
    print("targets: short reads p99 < 1 s on Neo4j, < 2 s on the embedded store; 0 5xx")


if __name__ == "__main__":
    main()
