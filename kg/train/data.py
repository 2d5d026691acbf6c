"""Training data for the learned reader: articles with the names to tag, as character spans.

Two sources:
- annotated articles (doccano JSONL, Label Studio JSON: what a user writes when correcting
  `kg annotate` output), read by kg/read/sources.py: every span with an entity label is a name
  (Reporter / Correspondent are people);
- gold corpus articles (FACTS.md): *distant supervision*. The gold facts name entities but
  say nowhere where in the text they are, so every occurrence of every name form of an entity
  is taken as a span of its type, including mentions the gold itself would not count (a
  committee inside a post title). The labels are as good as that guess.

Names may nest (丁社区 in 丁社区党群服务中心); a tagger needs them apart, so the longest
wins and what overlaps it goes. A gold name form that is the entity written with its parent
(戊镇己村) is left out: the parent is an entity of its own, tagged by itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.eval.gold import gold_files, gold_id, is_gold
from kg.model import AnnotatedArticle, Article
from kg.read.encoding import load_json_file, read_bytes
from kg.read.sources import read_inputs
from kg.scheme import ENTITY_LABELS, ROLE_LABELS

LABELS = tuple(sorted(ENTITY_LABELS))
_AS_LABEL = {**{label: label for label in ENTITY_LABELS}, **{r: "Person" for r in ROLE_LABELS}}


@dataclass(frozen=True, slots=True)
class Sample:
    """One article to learn from: its text and the names in it, (start, end, label), in order
    and not overlapping."""

    id: str
    text: str
    names: tuple[tuple[int, int, str], ...]
    origin: str


@dataclass(frozen=True, slots=True)
class TrainingSet:
    samples: list[Sample]
    files: list[dict[str, str]]  # {"path", "sha256"} of each file read, in order

    @property
    def digest(self) -> str:
        """One hash of the training files' contents, in the order given."""
        h = hashlib.sha256()
        for f in self.files:
            h.update(f["sha256"].encode())
        return h.hexdigest()


def apart(names: Iterable[tuple[int, int, str]]) -> tuple[tuple[int, int, str], ...]:
    """Longest first, then leftmost; a name overlapping one kept goes."""
    kept: list[tuple[int, int, str]] = []
    for s, e, label in sorted(set(names), key=lambda n: (n[0] - n[1], n[0], n[2])):
        if all(e <= ks or ke <= s for ks, ke, _ in kept):
            kept.append((s, e, label))
    return tuple(sorted(kept))


def from_annotated(article: AnnotatedArticle) -> Sample:
    names = [(s.start, s.end, _AS_LABEL[s.label]) for s in article.spans if s.label in _AS_LABEL]
    return Sample(article.id, article.text, apart(names), article.origin or article.id)


def _occurrences(text: str, form: str) -> Iterable[tuple[int, int]]:
    a = text.find(form) if form else -1
    while a >= 0:
        yield a, a + len(form)
        a = text.find(form, a + len(form))


def from_gold(article_id: str, obj: dict, origin: str) -> Sample:
    """Distant supervision: each name form of each gold entity at each of its occurrences."""
    text = obj["text"]
    entities = [e for e in (obj.get("facts") or {}).get("entities") or []
                if isinstance(e, dict) and e.get("type") in ENTITY_LABELS]
    forms = [(f, e["type"]) for e in entities
             for f in ([e["name"]] if isinstance(e.get("name"), str) else e.get("name") or [])
             if isinstance(f, str) and f]
    canonical = {f for e in entities for f in
                 ([e["name"]] if isinstance(e.get("name"), str) else (e.get("name") or [])[:1])}
    # an extra form that holds another entity's canonical name is that name with its parent
    keep = [(f, t) for f, t in forms
            if f in canonical or not any(c in f and c != f for c in canonical)]
    names = [(s, e, t) for f, t in keep for s, e in _occurrences(text, f)]
    return Sample(article_id, text, apart(names), origin)


def _sha256(path: Path) -> str:
    return hashlib.sha256(read_bytes(path)).hexdigest()


def _file_samples(path: Path) -> list[Sample]:
    """The samples of one file: a gold article, or an annotation export's articles."""
    if path.suffix.lower() == ".json":
        obj = load_json_file(path)
        if is_gold(obj):
            return [from_gold(gold_id(path, obj), obj, str(path))]
    out = []
    for item in read_inputs(path):
        if isinstance(item, InputError):
            raise item
        if isinstance(item, Article):
            raise InputError("not annotated: a raw article has nothing to learn from; give "
                             "doccano / Label Studio exports or gold articles", file=str(path),
                             article=item.id)
        out.append(from_annotated(item))
    return out


def read_training(paths: Iterable[Path]) -> TrainingSet:
    """The samples of every path: a folder is its gold articles (*.json), a file an annotation
    export or a gold article. An article id given again replaces the earlier one (a corrected
    export after the corpus it corrects)."""
    samples: dict[str, Sample] = {}
    files: list[dict[str, str]] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = [(p, from_gold(gold_id(p, obj), obj, str(p))) for p, obj in gold_files(path)]
            if not found:
                raise InputError("no gold articles (*.json with text and facts) here",
                                 file=str(path))
            pairs = [(p, [s]) for p, s in found]
        elif path.is_file():
            pairs = [(path, _file_samples(path))]
        else:
            raise InputError("no such file or folder", file=str(path))
        for p, got in pairs:
            files.append({"path": str(p), "sha256": _sha256(p)})
            for s in got:
                samples.pop(s.id, None)
                samples[s.id] = s
    if not samples:
        raise InputError("no articles to learn from", file=", ".join(map(str, paths)) or None)
    return TrainingSet(list(samples.values()), files)
