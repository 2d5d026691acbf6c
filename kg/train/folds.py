"""K-fold cross-validation of the learned reader on gold articles: does a model trained on the
other articles help the rules on the held-out ones?

Folds are a deterministic split of the sorted article ids (article i goes to fold i mod K). For
each fold a model is trained on the other folds' gold (distant supervision, kg/train/data.py)
and the fold's articles are read by the rules alone and by the rules with that model. Facts come
from the annotations directly (kg/eval/facts.py), not through a store: the same facts a load
would give, at a fraction of the time. Scores are micro-averaged: the held-out predictions of
all folds are scored together, once.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.eval.facts import facts_from_annotations
from kg.eval.score import KINDS, score
from kg.extract import Extractor
from kg.model import Article
from kg.train.data import TrainingSet, from_gold
from kg.train.fit import EPOCHS, SEED, Words, fit, write_artefact


def split(ids: list[str], k: int) -> list[list[str]]:
    """K folds of the sorted ids, round robin."""
    ordered = sorted(ids)
    if not 2 <= k <= len(ordered):
        raise InputError(f"--folds {k}: needs 2 to {len(ordered)} folds for "
                         f"{len(ordered)} article(s)")
    return [ordered[i::k] for i in range(k)]


def _read(extractor: Extractor, aid: str, gold: Mapping[str, Any], origin: str,
          failed: list[InputError]) -> dict:
    """The facts the extractor reads from the article; none when it fails on it (listed)."""
    try:
        return facts_from_annotations(extractor(Article(id=aid, text=gold["text"],
                                                        origin=origin)))
    except InputError as e:
        failed.append(e)
        return {}


def cross_validate(gold: Mapping[str, Mapping[str, Any]], k: int, *,
                   origins: Mapping[str, str] | None = None, epochs: int = EPOCHS,
                   seed: int = SEED, on_fold: Callable[[int, float], None] | None = None,
                   ) -> dict[str, Any]:
    """{"folds", "articles", "rules": scores, "rules+model": scores, "per_fold": [...],
    "failed": [...]} over the gold articles (id -> gold object)."""
    folds = split(list(gold), k)
    origins = origins or {}
    where = {aid: origins.get(aid, aid) for aid in gold}
    samples = {aid: from_gold(aid, g, where[aid]) for aid, g in gold.items()}
    truth = {aid: g["facts"] for aid, g in gold.items()}
    failed: list[InputError] = []
    rules = Extractor(model="")
    by_rules = {aid: _read(rules, aid, gold[aid], where[aid], failed) for aid in sorted(gold)}
    with_model: dict[str, dict] = {}
    per_fold = []
    words = Words()
    with tempfile.TemporaryDirectory(prefix="kg-folds-") as tmp:
        for i, held in enumerate(folds, start=1):
            began = time.perf_counter()
            train = [samples[a] for f in folds if f is not held for a in f]
            fitted = fit(train, epochs=epochs, seed=seed, words=words)
            path = Path(tmp) / f"fold-{i}"
            write_artefact(fitted, TrainingSet(train, []), path, f"fold-{i}", epochs=epochs,
                           seed=seed)
            reader = Extractor(model=path)
            for aid in held:
                with_model[aid] = _read(reader, aid, gold[aid], where[aid], failed)
            held_truth = {a: truth[a] for a in held}
            per_fold.append({
                "fold": i, "articles": held,
                "rules": _f1s(score(held_truth, by_rules)),
                "rules+model": _f1s(score(held_truth, with_model)),
            })
            if on_fold:
                on_fold(i, time.perf_counter() - began)
    return {"folds": k, "articles": len(gold), "epochs": epochs, "seed": seed,
            "rules": score(truth, by_rules), "rules+model": score(truth, with_model),
            "per_fold": per_fold, "failed": [str(e) for e in failed]}


def _f1s(result: Mapping[str, Any]) -> dict[str, float]:
    return {kind: result[kind]["f1"] for kind in KINDS}


def format_folds(result: Mapping[str, Any]) -> str:
    """Per kind a row for the rules and one for rules + model (with its change in F1)."""
    lines = [f"{result['folds']}-fold cross-validation over {result['articles']} article(s)",
             f"{'kind':<12} {'reader':<12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'gold':>5} "
             f"{'pred':>5} {'ΔF1':>7}"]
    for kind in KINDS:
        base = result["rules"][kind]["f1"]
        for reader in ("rules", "rules+model"):
            r = result[reader][kind]
            delta = f"{r['f1'] - base:>+7.3f}" if reader != "rules" else ""
            lines.append(f"{kind if reader == 'rules' else '':<12} {reader:<12} "
                         f"{r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f} "
                         f"{r['tp']:>5} {r['gold']:>5} {r['predicted']:>5} {delta}".rstrip())
    return "\n".join(lines)
