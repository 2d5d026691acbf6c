"""`kg annotate` benchmark (not a test): articles/s of the whole command over 360 article files.

    .venv/bin/python -m bench.bench_annotate                 # 3 runs each of --jobs 1 and all cores
    .venv/bin/python -m bench.bench_annotate --runs 5 --copies 8 --corpus ../shared/corpus

Target: >= 30 articles/s with every core, on the 2-core machine, the backbone on.

The 45 texts of the dev corpora (<corpus>/dev*/*.json, read only) are each written --copies
times (default 8: 360 files) as article objects under invented names in a temporary folder,
which is removed afterwards. `kg annotate FILES -o OUT --jobs J --json` is then run as a user
runs it, in a fresh process (`python -m kg.cli`, this tree first on the path), --runs times for
--jobs 1 and for --jobs <cores>, alternating (load on a shared machine hits both alike); the
time is the wall clock of the whole command, start-up included, and the median run counts. The
two outputs are compared (they must be the same file). Printed: articles/s, characters/s,
characters/s per core (per process annotating) and the speed-up of all cores over one, with
the CPU seconds the command and its workers used.

For reference, in this process on one core (CPU time, after a warm-up pass): the backbone alone
(LAC on every line, characters/s) and where an article's time goes: the ONNX session, the
Viterbi decoding, the rest of the backbone, building the spaCy Doc, the rule components and
annotate(), the doccano line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.cli.annotate import cores  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
TARGET = 30.0  # articles/s with every core


def texts(corpus: Path) -> list[str]:
    paths = sorted(corpus.glob("dev*/*.json"))
    if not paths:
        sys.exit(f"no article texts in {corpus}/dev*/*.json (give --corpus)")
    return [json.loads(p.read_text(encoding="utf-8"))["text"] for p in paths]


def write_files(docs: list[str], copies: int, folder: Path) -> list[Path]:
    """Each text `copies` times, under names of no article: 报道-0001.json ..."""
    paths = []
    for n in range(copies * len(docs)):
        path = folder / f"报道-{n + 1:04d}.json"
        path.write_text(json.dumps({"text": docs[n % len(docs)]}, ensure_ascii=False),
                        encoding="utf-8")
        paths.append(path)
    return paths


def run_command(paths: list[Path], out: Path, jobs: int) -> tuple[float, float, dict]:
    """(wall seconds, CPU seconds of the command and its workers, its --json report)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    cmd = [sys.executable, "-m", "kg.cli", "annotate", *map(str, paths), "-o", str(out),
           "--jobs", str(jobs), "--json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"kg annotate --jobs {jobs} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(done.stdout.strip().splitlines()[-1])


def command_figures(docs: list[str], copies: int, runs: int, jobs_all: int) -> None:
    with tempfile.TemporaryDirectory(prefix="kg-bench-annotate-") as tmp:
        folder = Path(tmp)
        paths = write_files(docs, copies, folder)
        chars = sum(map(len, docs)) * copies
        print(f"kg annotate over {len(paths)} files ({len(docs)} texts x {copies}), "
              f"{chars:,} characters; {runs} runs each, median, wall clock of the whole command; "
              f"{cores()} cores, load average {os.getloadavg()[0]:.2f} before")
        sides = [1] if jobs_all == 1 else [1, jobs_all]
        walls: dict[int, list[float]] = {j: [] for j in sides}
        cpus: dict[int, list[float]] = {j: [] for j in sides}
        outs = {j: folder / f"out-{j}.jsonl" for j in sides}
        for _ in range(runs):
            for j in sides:
                wall, cpu, report = run_command(paths, outs[j], j)
                if report["articles"] != len(paths) or report["jobs"] != j:
                    sys.exit(f"unexpected report: {report}")
                walls[j].append(wall)
                cpus[j].append(cpu)
        if len(sides) > 1:
            same = outs[1].read_bytes() == outs[jobs_all].read_bytes()
            print(f"output of --jobs {jobs_all} {'is' if same else 'is NOT'} the output of --jobs 1")
        medians = {}
        for j in sides:
            wall = medians[j] = statistics.median(walls[j])
            print(f"--jobs {j}: {wall:6.2f} s (runs {', '.join(f'{w:.2f}' for w in walls[j])}), "
                  f"{len(paths) / wall:6.1f} articles/s, {chars / wall:9,.0f} chars/s, "
                  f"{chars / wall / j:9,.0f} chars/s per core; "
                  f"CPU {statistics.median(cpus[j]):.1f} s")
        if len(sides) > 1:
            print(f"speed-up of {jobs_all} jobs over 1: {medians[1] / medians[jobs_all]:.2f}x")
        print(f"load average {os.getloadavg()[0]:.2f} after (other work on the machine slows "
              f"the runs)")
        best = len(paths) / medians[sides[-1]]
        print(f"target >= {TARGET:.0f} articles/s with every core: "
              f"{best:.1f} -> {'met' if best >= TARGET else 'NOT met'}")


def reference_figures(docs: list[str], passes: int) -> None:
    """The backbone alone and the split of an article's time, one core, CPU time."""
    from kg.extract import backbone
    from kg.extract.reader import annotate, build_pipeline
    from kg.model import Article
    from kg.read.doccano import to_doccano_line

    nlp = build_pipeline()
    tokenizer = nlp.tokenizer
    arts = [Article(id=str(i), text=t) for i, t in enumerate(docs)]
    for a in arts:  # warm-up: the session, lexicons, lazily compiled patterns
        annotate(nlp, a)
    spent = {"session": 0.0, "viterbi": 0.0}
    session, viterbi = tokenizer.lac._session, backbone._viterbi

    def clocked(fn, key):
        def run(*args, **kwargs):
            t = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[key] += time.process_time() - t
        return run

    def timed(fn, items) -> float:
        t = time.process_time()
        for x in items:
            fn(x)
        return time.process_time() - t

    done = [annotate(nlp, a) for a in arts]
    analysed = {text: tokenizer.analyse(text) for text in docs}

    def doc_only(text):  # the tokenizer, its analysis done beforehand
        return tokenizer.doc(analysed[text])

    # the phases in turn, pass after pass, and the quickest pass of each: a burst of other work
    # on the machine then spoils one pass of one phase, not a phase
    phases: dict[str, list[float]] = {k: [] for k in
                                      ("backbone", "session", "viterbi", "doc", "rules", "line")}
    for _ in range(passes):
        spent["session"] = spent["viterbi"] = 0.0
        tokenizer.lac._session = SimpleNamespace(run=clocked(session.run, "session"))
        backbone._viterbi = clocked(viterbi, "viterbi")
        try:
            phases["backbone"].append(timed(tokenizer.analyse, docs))
        finally:
            tokenizer.lac._session, backbone._viterbi = session, viterbi
        phases["session"].append(spent["session"])
        phases["viterbi"].append(spent["viterbi"])
        phases["doc"].append(timed(doc_only, docs))
        nlp.tokenizer = doc_only
        try:  # annotate() with the analysis done beforehand: Doc building + the rules
            phases["rules"].append(timed(lambda a: annotate(nlp, a), arts))
        finally:
            nlp.tokenizer = tokenizer
        phases["line"].append(timed(to_doccano_line, done))
    t = {k: min(v) for k, v in phases.items()}
    t["rules"] -= t["doc"]
    n, chars = len(docs), sum(map(len, docs))
    total = t["backbone"] + t["doc"] + t["rules"] + t["line"]
    print(f"in this process, one core, CPU time, {n} texts, quickest of {passes} passes:")
    print(f"backbone alone (LAC on every line): {chars / t['backbone']:,.0f} chars/s per core")
    print(f"all of an article (the phases below): {n / total:.1f} articles/s, "
          f"{chars / total:,.0f} chars/s per core")
    rows = [("ONNX session", t["session"]), ("Viterbi", t["viterbi"]),
            ("rest of the backbone", t["backbone"] - t["session"] - t["viterbi"]),
            ("spaCy Doc building", t["doc"]),
            ("rule components + annotate()", t["rules"]),
            ("doccano line", t["line"])]
    print("where an article's time goes (ms per article):")
    for name, spent_ in rows:
        print(f"  {name:30s} {spent_ / n * 1e3:6.2f}  {spent_ / total:5.1%}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="folder with dev*/*.json")
    ap.add_argument("--copies", type=int, default=8, help="files per text (8: 360 files)")
    ap.add_argument("--runs", type=int, default=3, help="runs of the command per --jobs")
    ap.add_argument("--jobs", type=int, default=cores(), help="the 'all cores' side")
    ap.add_argument("--passes", type=int, default=5, help="passes of the in-process reference")
    ap.add_argument("--no-reference", action="store_true", help="only the command's figures")
    a = ap.parse_args()
    docs = texts(a.corpus)
    command_figures(docs, max(1, a.copies), max(1, a.runs), max(1, a.jobs))
    if not a.no_reference:
        reference_figures(docs, max(1, a.passes))


if __name__ == "__main__":
    main()
