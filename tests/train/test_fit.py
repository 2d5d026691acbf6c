"""`train` writes a versioned artefact the reader loads by name (KG_READER_MODEL)."""

import hashlib
import json

import pytest

import kg
from kg.config import get_settings
from kg.errors import ConfigError
from kg.extract import Extractor
from kg.extract.learned import LearnedNames
from kg.model import Article
from kg.read.doccano import to_doccano_line
from kg.train.fit import train
from tests.train.conftest import CORRECTED


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    base = tmp_path_factory.mktemp("models")
    source = base / "corrected.jsonl"
    source.write_text("".join(to_doccano_line(a) for a in CORRECTED), encoding="utf-8")
    meta = train([source], base / "tiny", "tiny", epochs=2)
    return base, source, meta


def test_the_artefact_says_what_it_learned_from(trained):
    base, source, meta = trained
    assert json.loads((base / "tiny" / "meta.json").read_text(encoding="utf-8")) == meta
    assert meta["name"] == "tiny" and meta["version"] == f"{kg.__version__}+1"
    assert meta["labels"] == ["Community", "District", "Office", "Person", "Village"]
    t = meta["training"]
    assert t["files"] == [{"path": str(source),
                           "sha256": hashlib.sha256(source.read_bytes()).hexdigest()}]
    assert (t["articles"], t["names"], t["epochs"], t["seed"]) == (3, 10, 2, 0)
    assert set(meta["score"]) == {"on", "precision", "recall", "f1"}


def test_the_component_loads_with_its_labels(trained):
    base, _, meta = trained
    learned = LearnedNames().from_disk(base / "tiny")
    assert learned.model.pipe_names == ["ner"]
    assert sorted(learned.model.get_pipe("ner").labels) == meta["labels"]


def test_training_again_counts_the_version_up(trained, tmp_path):
    _, source, _ = trained
    first = train([source], tmp_path / "m", "m", epochs=1)
    second = train([source], tmp_path / "m", "m", epochs=1)
    assert (first["version"], second["version"]) == (f"{kg.__version__}+1",
                                                     f"{kg.__version__}+2")


def test_the_reader_loads_the_model_named_in_the_settings(trained, monkeypatch):
    base, _, meta = trained
    monkeypatch.setenv("KG_MODELS_DIR", str(base))
    monkeypatch.setenv("KG_READER_MODEL", "tiny")
    get_settings.cache_clear()
    try:
        extract = Extractor()
        out = extract(Article(id="x", text="乙镇组织党员到甲村观摩学习,王小明带队。"))
    finally:
        get_settings.cache_clear()
    assert (out.annotator.name, out.annotator.version) == ("kg-rules+model-tiny",
                                                           meta["version"])
    assert extract.nlp.pipe_names[:5] == ["kg_learned", "kg_organisations", "kg_learned_units",
                                          "kg_people", "kg_learned_people"]
    assert Extractor(model="").nlp.pipe_names[0] == "kg_organisations"
    assert Extractor(model=base / "tiny")(Article(id="y", text="甲村")).annotator.name == \
        "kg-rules+model-tiny"


def test_a_model_that_is_not_there_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match=r"KG_READER_MODEL=gone: no trained model at .*gone"):
        Extractor(model="gone", models_dir=tmp_path).nlp
