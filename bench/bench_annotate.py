"""Annotation throughput vs the bare spaCy tokenizer (same segmenter, same texts, one process).

    .venv/bin/python bench/bench_annotate.py [--segmenter char|jieba] [--repeat N] [--samples S]
                                             [--wall]

The bare figure is `nlp.tokenizer` of the very pipeline the annotator runs (annotate() tokenizes
with it too), on the same texts. After one untimed warm-up pass of each, the two are timed in
alternating samples (so load on a shared machine hits both alike), `--samples` of each, a
sample being `--repeat` passes over all texts. Time is the process's CPU time (time spent
descheduled on a busy machine is not counted; `--wall` for wall-clock time). The best and the
median sample of each side are printed, and their ratios (annotator throughput as a share of the
tokenizer's).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.extract.reader import annotate, build_pipeline  # noqa: E402
from kg.model import Article  # noqa: E402

DEV = ROOT.parent / "shared" / "corpus" / "dev"


def texts() -> list[str]:
    out = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(DEV.glob("*.json"))]
    if not out:
        out = ["本报讯 6月22日,某港办事处开展观摩活动,观摩组实地察看了甲村、乙村。"] * 13
    return out


def sample(fn, items, repeat: int, clock=time.process_time) -> float:
    t0 = clock()
    for _ in range(repeat):
        for x in items:
            fn(x)
    return clock() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--segmenter", default="char", choices=["char", "jieba"])
    ap.add_argument("--repeat", type=int, default=20, help="passes over all texts per sample")
    ap.add_argument("--samples", type=int, default=5, help="timed samples, each side")
    ap.add_argument("--wall", action="store_true", help="wall-clock time instead of CPU time")
    a = ap.parse_args()
    docs = texts()
    nlp = build_pipeline({"segmenter": a.segmenter})
    arts = [Article(id=str(i), text=t) for i, t in enumerate(docs)]
    tokenizer = nlp.tokenizer

    def ann(art):
        return annotate(nlp, art)

    clock = time.perf_counter if a.wall else time.process_time
    repeat = max(1, a.repeat)
    sample(ann, arts, 1, clock)  # warm-up: lexicon, lazily compiled patterns
    sample(tokenizer, docs, 1, clock)
    t_ann, t_tok = [], []
    for _ in range(max(1, a.samples)):
        t_ann.append(sample(ann, arts, repeat, clock))
        t_tok.append(sample(tokenizer, docs, repeat, clock))
    n = len(docs) * repeat
    chars = sum(map(len, docs)) * repeat
    print(f"segmenter {a.segmenter}: {len(docs)} texts x {repeat} passes = {chars} chars per sample; "
          f"{len(t_ann)} samples each side, {'wall' if a.wall else 'CPU'} time, after a warm-up pass")
    for name, ts in (("annotator", t_ann), ("tokenizer", t_tok)):
        best, med = min(ts), statistics.median(ts)
        print(f"{name}  best {chars / best:12,.0f} chars/s {n / best:9,.1f} articles/s   "
              f"median {chars / med:12,.0f} chars/s {n / med:9,.1f} articles/s")
    print(f"ratio annotator/tokenizer: best {min(t_tok) / min(t_ann):.2f}   "
          f"median {statistics.median(t_tok) / statistics.median(t_ann):.2f}")


if __name__ == "__main__":
    main()
