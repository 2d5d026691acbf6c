"""Load benchmark: triples/s into each store and peak memory, against rdflib-neo4j (not a test).

    .venv/bin/python -m bench.bench_load --n 10000          # starts a throwaway Neo4j 5.26
    .venv/bin/python -m bench.bench_load --n 1000 --neo4j-uri bolt://127.0.0.1:7687

One run, one synthetic corpus (bench/synthetic.py, streamed: the corpus is never held):

  embedded   our loader (loaders.pipeline.load_articles) into the embedded FalkorDB, fresh tmp dir
  neo4j      our loader into Neo4j (database emptied, our schema)
  rdflib     rdflib-neo4j (Neo4j Labs' rdflib store) into the same Neo4j (emptied, its
             :Resource(uri) constraint), batching=True, fed the SAME triples as `neo4j`:
             each generated article -> kg.rdf.triples.article_triples -> graph.addN

What each figure includes:
  ours end-to-end   triples / time of load_articles minus the time spent generating articles:
                    triple building, SHACL validation, mapping to rows, store writes
  ours store path   triples / (union + rows + store): copying the batch's article graphs into
                    one, mapping triples to property-graph rows and the
                    store transaction (snapshot, Cypher, commit): the part rdflib-neo4j does
  rdflib-neo4j      triples / time inside graph.addN and the final close (its own mapping of
                    triples to Cypher and its writes); our triple building is NOT counted for it
  ratio             ours / rdflib-neo4j into Neo4j, for both of our figures
Neo4j is warmed first (--warmup articles through both loaders, then emptied), so neither loader
is timed on a JVM that has not compiled its write path yet. Our loader writes a batch on a
background thread while it prepares the next, so its phase times (summed over both threads) add
up to more than its wall time; the end-to-end figure is wall time.
CPU: seconds per 1,000 articles used by our process and by the store's server (the Neo4j JVM,
the embedded redis) during each timed phase; on two cores their sum bounds the throughput.
Memory: the process's RSS is sampled every 100 articles; for each phase we print the RSS at 25%
and at 100% of the articles and the highest sample, so growth with N is visible, plus the
process's ru_maxrss at the end. The embedded store's redis and the Neo4j JVM are other
processes: their RSS is printed separately and is not the loader's memory.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Iterator

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import loaders.pipeline as load_module  # noqa: E402
from bench.synthetic import generate  # noqa: E402
from kg.ontology import Ontology  # noqa: E402
from kg.rdf.triples import article_triples  # noqa: E402

MB = 1024 * 1024
SAMPLE_EVERY = 100
USER, PASSWORD = "neo4j", "neo4j-test"  # the test server has auth off and accepts any


def rss() -> int:
    return psutil.Process().memory_info().rss


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB


class Cpu:
    """CPU seconds used by this process and by the store's server during a phase: on two
    cores their sum, not the wall time, is what another loader has to beat."""

    def __init__(self, server_pid: int | None = None) -> None:
        self.procs = {"ours": psutil.Process()}
        if server_pid:
            self.procs["server"] = psutil.Process(server_pid)

    def _now(self) -> dict[str, float]:
        out = {}
        for name, proc in self.procs.items():
            with contextlib.suppress(psutil.Error):
                t = proc.cpu_times()
                out[name] = t.user + t.system
        return out

    @contextlib.contextmanager
    def measure(self, into: dict):
        before = self._now()
        try:
            yield
        finally:
            after = self._now()
            into["cpu"] = {k: after[k] - before[k] for k in after if k in before}


def _cpu_line(r: dict) -> str:
    per = r["articles"] / 1000
    return "  CPU s per 1,000 articles: " + ", ".join(
        f"{name} {seconds / per:.2f}" for name, seconds in sorted(r.get("cpu", {}).items()))


def redis_pid(store) -> int | None:
    """The embedded store's redis server: a daemon, not our child process."""
    with contextlib.suppress(AttributeError, TypeError):
        return store._redis().pid
    return None


def server_rss(store) -> int:
    pid = redis_pid(store)  # psutil.Process(None) would be this process
    with contextlib.suppress(psutil.Error):
        return psutil.Process(pid).memory_info().rss if pid else 0
    return 0


class Memory:
    """RSS at 25% and 100% of the articles of a phase, and the highest sample."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.at: dict[str, int] = {}
        self.high = 0

    def tick(self, i: int) -> None:
        if i % SAMPLE_EVERY == 0 or i in (self.n // 4, self.n):
            now = rss()
            self.high = max(self.high, now)
            if i == max(1, self.n // 4):
                self.at["25%"] = now
            if i == self.n:
                self.at["100%"] = now

    def line(self) -> str:
        q, full = self.at.get("25%", 0), self.at.get("100%", 0)
        return (f"RSS at 25% {q / MB:7.1f} MB, at 100% {full / MB:7.1f} MB "
                f"(growth {(full - q) / MB:+.1f} MB), highest sample {self.high / MB:.1f} MB")


class Phases:
    """Seconds per phase of our loader, timed by wrapping the functions load_articles calls."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextlib.contextmanager
    def timing(self, name: str):
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - t0

    def wrap(self, name: str, fn):
        def timed(*args, **kwargs):
            with self.timing(name):
                return fn(*args, **kwargs)
        return timed

    @contextlib.contextmanager
    def instrument(self, store):
        """Patch loaders.pipeline.s steps and the store's transaction with timers; undo after."""
        timed = {"article_triples": "triples", "_union": "union", "validated": "validate",
                 "graph_rows": "rows", "write": "store: cypher", "stored_articles": "store: begin/snapshot"}
        saved = {k: getattr(load_module, k) for k in timed if hasattr(load_module, k)}
        for k, fn in saved.items():
            setattr(load_module, k, self.wrap(timed[k], fn))
        transaction = store.transaction
        phases = self

        @contextlib.contextmanager
        def timed_transaction(**kwargs):
            cm = transaction(**kwargs)
            with phases.timing("store: begin/snapshot"):
                tx = cm.__enter__()
            try:
                yield tx
            except BaseException:
                if not cm.__exit__(*sys.exc_info()):
                    raise
            else:
                with phases.timing("store: commit"):
                    cm.__exit__(None, None, None)

        store.transaction = timed_transaction
        try:
            yield
        finally:
            for k, v in saved.items():
                setattr(load_module, k, v)
            del store.transaction

    def store_seconds(self) -> float:
        return sum(v for k, v in self.seconds.items() if k.startswith("store"))


def _generated(n: int, seed: int, phases: Phases, memory: Memory) -> Iterator:
    """The corpus, one article at a time; generation time and memory are recorded."""
    it = generate(n, seed)
    i = 0
    while True:
        with phases.timing("generate"):
            article = next(it, None)
        if article is None:
            return
        i += 1
        memory.tick(i)
        yield article


def run_ours(store, ontology: Ontology, n: int, seed: int, batch_size: int,
             cpu: Cpu | None = None) -> dict:
    phases, memory = Phases(), Memory(n)
    used: dict = {}
    with phases.instrument(store), (cpu or Cpu()).measure(used):
        t0 = time.perf_counter()
        report = load_module.load_articles(store, ontology, _generated(n, seed, phases, memory),
                                           batch_size=batch_size)
        total = time.perf_counter() - t0
    memory.tick(n)
    if report.failed:
        raise SystemExit(f"{len(report.failed)} articles failed to load, first: {report.failed[0]}")
    s = phases.seconds
    work = total - s["generate"]
    return {"articles": len(report.loaded), "triples": report.triples, "total": total,
            "work": work, "phases": dict(s), "store": phases.store_seconds(),
            "store_path": s["rows"] + s["union"] + phases.store_seconds(), "memory": memory, **used}


def run_rdflib_neo4j(uri: str, n: int, seed: int, batch_size: int, cpu: Cpu | None = None) -> dict:
    """rdflib-neo4j as its README shows it, fed our triples article by article."""
    from rdflib import Graph
    from rdflib_neo4j import HANDLE_VOCAB_URI_STRATEGY, Neo4jStore, Neo4jStoreConfig

    auth = {"uri": uri, "database": "neo4j", "user": USER, "pwd": PASSWORD}
    config = Neo4jStoreConfig(auth_data=auth, handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.IGNORE,
                              batching=True, batch_size=batch_size)
    phases, memory = Phases(), Memory(n)
    triples = 0
    with contextlib.redirect_stdout(sys.stderr):  # it prints its open/close status
        graph = Graph(store=Neo4jStore(config=config))  # opens, creates n10s_unique_uri
    used: dict = {}
    t0 = time.perf_counter()
    with (cpu or Cpu()).measure(used):
        for article in _generated(n, seed, phases, memory):
            with phases.timing("triples"):
                data = article_triples(article)
                # subject-grouped, as a Turtle file would give them: the order its streamer wants
                quads = [(s, p, o, graph) for s, p, o in sorted(data)]
            with phases.timing("rdflib-neo4j"):
                graph.addN(quads)
            triples += len(quads)
        with phases.timing("rdflib-neo4j"), contextlib.redirect_stdout(sys.stderr):
            graph.close(True)  # flushes what is still buffered
    total = time.perf_counter() - t0
    memory.tick(n)
    return {"articles": n, "triples": triples, "total": total, "phases": dict(phases.seconds),
            "store": phases.seconds["rdflib-neo4j"], "memory": memory, **used}


def _count(store) -> str:
    r = store.read("MATCH (n) RETURN count(n) AS nodes").rows[0]["nodes"]
    e = store.read("MATCH ()-[r]->() RETURN count(r) AS rels").rows[0]["rels"]
    return f"{r} nodes, {e} relationships"


def _print_ours(name: str, r: dict) -> None:
    t = r["triples"]
    print(f"\n[{name}] our loader: {r['articles']} articles, {t} triples, {r['total']:.1f} s "
          f"(of which generating the corpus {r['phases'].get('generate', 0):.1f} s)")
    print(f"  end-to-end (triples+validation+rows+store): {t / r['work']:10,.0f} triples/s  "
          f"({r['articles'] / r['work']:.1f} articles/s)")
    print(f"  store path (union+rows+store):              {t / r['store_path']:10,.0f} triples/s")
    print(f"  store only (begin/snapshot+cypher+commit):  {t / r['store']:10,.0f} triples/s")
    print("  phases (s): " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(r["phases"].items())))
    print(f"  memory: {r['memory'].line()}")
    print(_cpu_line(r))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_load", description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--n", type=int, default=10_000, help="articles (default 10000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch-size", type=int, default=200, help="our loader's articles per batch")
    ap.add_argument("--rdflib-batch-size", type=int, default=5000,
                    help="rdflib-neo4j's batch_size (its default, 5000)")
    ap.add_argument("--warmup", type=int, default=3000,
                    help="articles each loader writes into Neo4j before the timed runs (default 3000: the JVM is still compiling Neo4j's write path long after 500; 0: none)")
    ap.add_argument("--neo4j-uri", help="use this Neo4j (its database is EMPTIED) instead of a throwaway one")
    ap.add_argument("--neo4j-pid", type=int, help="with --neo4j-uri: its JVM's pid, to report its CPU")
    ap.add_argument("--only", nargs="+", choices=("embedded", "neo4j", "rdflib"),
                    default=["embedded", "neo4j", "rdflib"], help="phases to run (default all)")
    ap.add_argument("--appendfsync", choices=("everysec", "always"),
                    help="the embedded server's append-only file fsync policy (default: the store's, always)")
    args = ap.parse_args(argv)

    from kg.graph.stores import falkor
    from kg.graph.stores.falkor import FalkorStore
    from kg.graph.stores.neo4j import Neo4jStore
    from tests.support.neo4j_server import Neo4jTestServer, reset_neo4j

    ontology = Ontology.load(ROOT / "ontology")
    print(f"load benchmark: N={args.n} synthetic articles (seed {args.seed}), "
          f"our batch size {args.batch_size}, rdflib-neo4j batch size {args.rdflib_batch_size}")
    print(f"process RSS at start {rss() / MB:.1f} MB")
    results: dict[str, dict] = {}
    t_start = time.perf_counter()

    if "embedded" in args.only:
        tmp = Path(tempfile.mkdtemp(prefix="kg-bench-load-"))
        config = getattr(falkor, "SERVER_CONFIG", {})  # (a tree from before it ran without)
        if args.appendfsync and config:
            config["appendfsync"] = args.appendfsync
        print(f"embedded server: appendfsync {config.get('appendfsync', '- (no append-only file)')}")
        try:
            store = FalkorStore(tmp / "data")
            store.ensure_schema()
            results["embedded"] = run_ours(store, ontology, args.n, args.seed, args.batch_size,
                                           Cpu(redis_pid(store)))
            _print_ours("embedded FalkorDB", results["embedded"])
            print(f"  graph: {_count(store)}; redis server RSS {server_rss(store) / MB:.0f} MB")
            store.close()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    server, server_pid = None, args.neo4j_pid
    if {"neo4j", "rdflib"} & set(args.only):
        uri = args.neo4j_uri
        if not uri:
            os.environ.setdefault("NEO4J_TEST_JAVA_OPTS",
                                  "-Xms1g -Xmx4g -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError")
            # the store reaches ~0.5 GB at N = 10,000: a page cache that holds it, as a
            # production Neo4j would be sized
            os.environ.setdefault("NEO4J_TEST_PAGECACHE_MB", "2048")
            server = Neo4jTestServer()
            uri = server.start()
            server_pid = server.proc.pid  # the launcher script execs java
            print(f"\nthrowaway Neo4j at {uri} (started in {server.start_seconds:.0f} s, "
                  f"JVM opts {os.environ['NEO4J_TEST_JAVA_OPTS']}, "
                  f"page cache {os.environ['NEO4J_TEST_PAGECACHE_MB']} MB)")
    cpu = Cpu(server_pid)
    try:
        if args.warmup and {"neo4j", "rdflib"} & set(args.only):
            # a fresh JVM interprets, then compiles, Neo4j's write path: the first thousand
            # articles ran at a third of the later speed, and whichever loader came second
            # got a warm server. Both loaders warm it first; nothing of this is counted.
            t0 = time.perf_counter()
            reset_neo4j(uri)
            with Neo4jStore(uri, USER, PASSWORD) as store:
                store.ensure_schema()
                run_ours(store, ontology, args.warmup, args.seed + 1, args.batch_size)
            reset_neo4j(uri)
            with contextlib.redirect_stdout(sys.stderr):
                run_rdflib_neo4j(uri, args.warmup, args.seed + 1, args.rdflib_batch_size)
            print(f"  warm-up: {args.warmup} other articles through each loader into this Neo4j, "
                  f"then emptied ({time.perf_counter() - t0:.0f} s, not counted)")
        if "neo4j" in args.only:
            reset_neo4j(uri)
            store = Neo4jStore(uri, USER, PASSWORD)
            store.ensure_schema()
            results["neo4j"] = run_ours(store, ontology, args.n, args.seed, args.batch_size, cpu)
            _print_ours("Neo4j", results["neo4j"])
            print(f"  graph: {_count(store)}")
            store.close()
        if "rdflib" in args.only:
            reset_neo4j(uri)
            r = results["rdflib"] = run_rdflib_neo4j(uri, args.n, args.seed, args.rdflib_batch_size, cpu)
            print(f"\n[Neo4j] rdflib-neo4j: {r['articles']} articles, {r['triples']} triples, "
                  f"{r['total']:.1f} s (generating {r['phases'].get('generate', 0):.1f} s, our triple "
                  f"building {r['phases'].get('triples', 0):.1f} s, not counted)")
            print(f"  inside rdflib-neo4j (addN + close):         {r['triples'] / r['store']:10,.0f} triples/s")
            print(f"  memory: {r['memory'].line()}")
            print(_cpu_line(r) + " (ours includes building its triples)")
            with Neo4jStore(uri, USER, PASSWORD) as check:
                print(f"  graph: {_count(check)}")
    finally:
        if server is not None:
            server.stop()

    if "neo4j" in results and "rdflib" in results:
        ours, theirs = results["neo4j"], results["rdflib"]
        if ours["triples"] != theirs["triples"]:
            print(f"WARNING: different triple counts {ours['triples']} vs {theirs['triples']}")
        base = theirs["triples"] / theirs["store"]
        print("\nratio ours / rdflib-neo4j into Neo4j (target >= 3x):")
        print(f"  end-to-end (incl. our triple building + SHACL): {ours['triples'] / ours['work'] / base:.2f}x")
        print(f"  store path (rows + store vs addN + close):      {ours['triples'] / ours['store_path'] / base:.2f}x")
    print(f"\nprocess peak RSS (ru_maxrss, whole run): {peak_rss() / MB:.1f} MB; "
          f"wall time {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
