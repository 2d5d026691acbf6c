"""The reader's statistical part: a trained spaCy `ner` over the backbone's words, whose names
join the rule state where the rules found nothing.

A trained model is an artefact directory (written by kg/train, `kg train`):

    <dir>/meta.json      name, version, created, training files and their hash, labels, score
    <dir>/pipeline/      the spaCy pipeline (LAC tokenizer + ner), Language.to_disk

Three components carry it into the rule pipeline (`add_to(nlp, path)` places them):
  kg_learned          first: predicts names on the backbone's words into doc.spans["learned"]
  kg_learned_units    after kg_organisations: learned organisations and places become units
                      where no rule unit overlaps them
  kg_learned_people   after kg_people: learned people become people where no rule person or
                      unit overlaps them
so the rules stay the judge of what they found, and everything after them (posts, events,
nesting) treats a learned name as its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.errors import ConfigError
from kg.extract import backbone as _backbone  # noqa: F401  (registers the tokenizer)
from kg.extract.state import PLACE_LEVEL, Person, Unit, state

SPANS_KEY = "learned"
META = "meta.json"
PIPELINE = "pipeline"
TOKENIZER = {"nlp": {"tokenizer": {"@tokenizers": "kg.lac_tokenizer.v1"}}}


def blank() -> Language:
    """An empty Chinese pipeline on the LAC backbone: the words a model is trained on are the
    words the rules read."""
    return spacy.blank("zh", config=TOKENIZER)


def resolve(name: str, models_dir: Path) -> Path:
    """The artefact a setting names: a directory path, else a name under models_dir."""
    path = Path(name).expanduser()
    if not (path / META).is_file():
        path = Path(models_dir) / name
    if not (path / META).is_file():
        raise ConfigError(f"KG_READER_MODEL={name}: no trained model at {path} "
                          f"(train one with `kg train`, or leave it empty for rules only)")
    return path


def read_meta(path: Path) -> dict[str, Any]:
    """The artefact's meta.json, or a ConfigError naming it."""
    file = Path(path) / META
    try:
        meta = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ConfigError(f"{file}: not a model's meta.json ({e})") from e
    if not isinstance(meta, dict) or not meta.get("name") or not meta.get("version"):
        raise ConfigError(f"{file}: a model's meta.json needs a name and a version")
    return meta


class LearnedNames:
    """Predicts names with the artefact's ner on a copy of the doc's words (its own vocab),
    into doc.spans["learned"]; doc.ents (the backbone's LOC / ORG / PER) stay as they are."""

    def __init__(self, name: str = "kg_learned") -> None:
        self.name = name
        self.model: Language | None = None
        self.meta: dict[str, Any] = {}

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None:
            raise ConfigError("kg_learned has no model: load one with from_disk")
        words = [t.text for t in doc]
        copy = Doc(self.model.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc],
                   tags=[t.tag_ for t in doc])
        for _, proc in self.model.pipeline:
            copy = proc(copy)
        doc.spans[SPANS_KEY] = [Span(doc, e.start, e.end, label=e.label_) for e in copy.ents]
        return doc

    def from_disk(self, path: Path, *, exclude=()) -> "LearnedNames":
        path = Path(path)
        self.meta = read_meta(path)
        try:
            self.model = spacy.load(path / PIPELINE)
        except (OSError, ValueError) as e:
            raise ConfigError(f"{path / PIPELINE}: cannot load the model ({e})") from e
        return self

    def to_disk(self, path: Path, *, exclude=()) -> None:
        if self.model is None:
            raise ConfigError("kg_learned has no model to save")
        path = Path(path)
        self.model.to_disk(path / PIPELINE)
        (path / META).write_text(json.dumps(self.meta, ensure_ascii=False, indent=2) + "\n",
                                 encoding="utf-8")


@Language.factory("kg_learned")
def make_learned(nlp: Language, name: str) -> LearnedNames:
    """Empty until from_disk: the model is data, not configuration."""
    return LearnedNames(name)


def _overlaps(start: int, end: int, items) -> bool:
    return any(x.start < end and start < x.end for x in items)


@Language.component("kg_learned_units")
def learned_units(doc: Doc) -> Doc:
    """Learned organisations and places as units where the rules found none, in text order;
    one written right after a district or office is nested in it, as the rules nest theirs."""
    st = state(doc)
    text = st.text
    found = [Unit(s.start_char, s.end_char, s.label_, text[s.start_char:s.end_char])
             for s in doc.spans.get(SPANS_KEY, ()) if s.label_ != "Person"]
    # a name that starts a rule unit's name (甲庄 of 甲庄社区) is that unit written short: the
    # rules already decided what it stands for
    names = [u.name for u in st.units if not u.generic]
    found = [u for u in found if len(u.name) > 1 and not _overlaps(u.start, u.end, st.units)
             and not any(n.startswith(u.name) for n in names)]
    if not found:
        return doc
    old = st.units
    merged: list[Unit] = []
    new_index: dict[int, int] = {}
    pending = sorted(found, key=lambda u: u.start)
    for k, u in enumerate(old):
        while pending and pending[0].start < u.start:
            merged.append(pending.pop(0))
        new_index[k] = len(merged)
        merged.append(u)
    merged.extend(pending)
    for u in old:
        u.parent = new_index[u.parent] if u.parent is not None else None
        u.ref = new_index[u.ref] if u.ref is not None else None
    learned = {id(u) for u in found}
    for k, u in enumerate(merged):
        if id(u) not in learned or not k:
            continue
        before = merged[k - 1]
        if before.end == u.start and not before.generic and \
                PLACE_LEVEL.get(before.label, 9) < PLACE_LEVEL.get(u.label, 3) and \
                before.label in ("District", "Office"):
            u.parent = k - 1
    st.units = merged
    st.main = new_index[st.main] if st.main is not None else None
    return doc


@Language.component("kg_learned_people")
def learned_people(doc: Doc) -> Doc:
    """Learned people as people where no rule person or unit is written."""
    st = state(doc)
    text = st.text
    units = [u for u in st.units if not u.generic]
    extra = [Person(s.start_char, s.end_char, text[s.start_char:s.end_char])
             for s in doc.spans.get(SPANS_KEY, ()) if s.label_ == "Person"]
    extra = [p for p in extra if not _overlaps(p.start, p.end, st.people)
             and not _overlaps(p.start, p.end, units)]
    if extra:
        st.people = sorted(st.people + extra, key=lambda p: p.start)
    return doc


def add_to(nlp: Language, path: Path) -> dict[str, Any]:
    """Put the model at `path` into a rule pipeline (kg/extract/reader.py build_pipeline):
    its meta."""
    learned = nlp.add_pipe("kg_learned", first=True)
    learned.from_disk(path)
    if "kg_organisations" in nlp.pipe_names:
        nlp.add_pipe("kg_learned_units", after="kg_organisations")
    if "kg_people" in nlp.pipe_names:
        nlp.add_pipe("kg_learned_people", after="kg_people")
    return learned.meta
