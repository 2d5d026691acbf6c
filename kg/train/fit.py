"""Fitting the learned reader (a spaCy `ner` over the backbone's words) and writing it as a
versioned artefact that kg/extract/learned.py loads.

CPU only, a fixed seed, a few epochs: the same files give the same model. The backbone's words
are analysed once per text (`Words`), so cross-validation pays LAC once, not once per fold.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

import kg
from kg.errors import InputError
from kg.extract.learned import META, PIPELINE, blank
from kg.train.data import Sample, TrainingSet, read_training

# sized for tens of articles on two shared cores: ~20 s of CPU for the 45 of the gold corpus
# (width 96 / depth 4, spaCy's default, took 2.5x as long and cross-validated within 0.015 F1
# of this on every kind)
SEED = 0
EPOCHS = 10
BATCH = 4
DROPOUT = 0.2
LEARN_RATE = 0.003
# the backbone's tag (LAC's n / v / LOC / ORG / PER ...) is a feature besides the word's form
_EMBED_ATTRS = ["NORM", "PREFIX", "SUFFIX", "SHAPE", "TAG"]
NER_CONFIG: dict[str, Any] = {"model": {
    "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
    "extra_state_tokens": False, "hidden_width": 64, "maxout_pieces": 2, "use_upper": True,
    "nO": None,
    "tok2vec": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 64,
                  "attrs": _EMBED_ATTRS, "rows": [5000, 2000, 2500, 500, 200],
                  "include_static_vectors": False},
        "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 64, "depth": 2,
                   "window_size": 1, "maxout_pieces": 3},
    },
}}


class Words:
    """The backbone's (word, tag) analysis of texts, made once per text."""

    def __init__(self) -> None:
        self._tokenizer = blank().tokenizer
        self._seen: dict[str, list[tuple[str, str]]] = {}

    def __call__(self, text: str) -> list[tuple[str, str]]:
        got = self._seen.get(text)
        if got is None:
            got = self._seen[text] = self._tokenizer.analyse(text)
        return got


@dataclass(slots=True)
class Fitted:
    nlp: Language
    labels: list[str]
    names: int  # names in the training samples
    dropped: int  # names not on word boundaries (cannot be tagged)
    score: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


def _example(nlp: Language, sample: Sample, words: Words) -> tuple[Example, int]:
    """The sample as a spaCy Example on the backbone's words; how many names did not fit."""
    analysed = words(sample.text)
    ws, tags = [w for w, _ in analysed], [t for _, t in analysed]

    def doc() -> Doc:
        return Doc(nlp.vocab, words=ws, spaces=[False] * len(ws), tags=tags)

    ref = doc()
    ents, dropped = [], 0
    for s, e, label in sample.names:
        span = ref.char_span(s, e, label=label, alignment_mode="contract")
        if span is None or not len(span) or span.start_char != s or span.end_char != e:
            dropped += 1  # a name inside a longer word, or cutting one: nothing to tag
            continue
        ents.append(span)
    ref.ents = ents
    return Example(doc(), ref), dropped


def fit(samples: list[Sample], *, epochs: int = EPOCHS, seed: int = SEED,
        words: Words | None = None) -> Fitted:
    """A ner trained on the samples."""
    if not samples:
        raise InputError("no articles to learn from")
    began = time.perf_counter()
    words = words or Words()
    fix_random_seed(seed)
    nlp = blank()
    ner = nlp.add_pipe("ner", config=NER_CONFIG)
    pairs = [_example(nlp, s, words) for s in sorted(samples, key=lambda s: s.id)]
    examples = [ex for ex, _ in pairs]
    labels = sorted({label for s in samples for _, _, label in s.names})
    for label in labels:
        ner.add_label(label)
    optimizer = nlp.initialize(lambda: examples)
    optimizer.learn_rate = LEARN_RATE
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=BATCH):
            nlp.update(batch, drop=DROPOUT, sgd=optimizer)
    scores = nlp.evaluate(examples)
    score = {"on": "the training articles (optimistic)",
             "precision": round(scores.get("ents_p") or 0.0, 4),
             "recall": round(scores.get("ents_r") or 0.0, 4),
             "f1": round(scores.get("ents_f") or 0.0, 4)}
    return Fitted(nlp, labels, sum(len(s.names) for s in samples), sum(d for _, d in pairs),
                  score, round(time.perf_counter() - began, 1))


def _next_version(out: Path) -> str:
    """The project's version and a counter of models written to this directory."""
    try:
        before = json.loads((out / META).read_text(encoding="utf-8"))
        count = int(str(before["version"]).rsplit("+", 1)[1]) + 1
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        count = 1
    return f"{kg.__version__}+{count}"


def write_artefact(fitted: Fitted, training: TrainingSet, out: Path, name: str, *,
                   epochs: int = EPOCHS, seed: int = SEED) -> dict[str, Any]:
    """The model and its meta.json into `out` (replacing what was there only once the new
    one is complete): the meta written."""
    out = Path(out)
    meta = {
        "name": name,
        "version": _next_version(out),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "component": "spaCy ner over the LAC backbone's words",
        "labels": fitted.labels,
        "training": {"files": training.files, "sha256": training.digest,
                     "articles": len(training.samples), "names": fitted.names,
                     "not_on_word_boundaries": fitted.dropped,
                     "epochs": epochs, "seed": seed, "seconds": fitted.seconds},
        "score": fitted.score,
    }
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
        tmp.chmod(0o755)  # mkdtemp makes it private; a model is to share
        fitted.nlp.to_disk(tmp / PIPELINE)
        (tmp / META).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except OSError as e:
        raise InputError(f"cannot write the model: {e.strerror or e}", file=str(out)) from e
    return meta


def train(paths: Iterable[Path], out: Path, name: str, *, epochs: int = EPOCHS,
          seed: int = SEED) -> dict[str, Any]:
    """Read the training files, fit, write the artefact: its meta."""
    training = read_training(paths)
    fitted = fit(training.samples, epochs=epochs, seed=seed)
    return write_artefact(fitted, training, out, name, epochs=epochs, seed=seed)
