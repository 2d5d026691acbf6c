"""Annotation throughput vs the bare spaCy tokenizer (same segmenter, same texts, one process).

    .venv/bin/python bench/bench_annotate.py [--segmenter char|jieba] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.annotate import annotate, build_pipeline  # noqa: E402
from kg.model import AnnotatedArticle  # noqa: E402

DEV = ROOT.parent / "shared" / "corpus" / "dev"


def texts() -> list[str]:
    out = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(DEV.glob("*.json"))]
    if not out:
        out = ["本报讯 6月22日,某港办事处开展观摩活动,观摩组实地察看了甲村、乙村。"] * 13
    return out


def run(fn, docs, repeat):
    fn(docs[0])  # warm up
    t0 = time.perf_counter()
    for _ in range(repeat):
        for d in docs:
            fn(d)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--segmenter", default="char", choices=["char", "jieba"])
    ap.add_argument("--repeat", type=int, default=20)
    a = ap.parse_args()
    docs = texts()
    chars = sum(map(len, docs)) * a.repeat
    n = len(docs) * a.repeat
    nlp = build_pipeline({"segmenter": a.segmenter})
    arts = [AnnotatedArticle(id=str(i), text=t) for i, t in enumerate(docs)]
    t_ann = run(lambda art: annotate(nlp, art), arts, a.repeat)
    t_tok = run(nlp.tokenizer, docs, a.repeat)
    print(f"segmenter {a.segmenter}: {len(docs)} texts x {a.repeat}, {chars} chars")
    print(f"annotator  {chars / t_ann:12,.0f} chars/s {n / t_ann:10,.1f} articles/s")
    print(f"tokenizer  {chars / t_tok:12,.0f} chars/s {n / t_tok:10,.1f} articles/s")
    print(f"ratio annotator/tokenizer: {t_tok / t_ann:.2f}")


if __name__ == "__main__":
    main()
