"""`kg ontology validate|diff|reload|history` and `kg validate` on the embedded store."""

from __future__ import annotations

import json


from kg.config import get_settings
from kg.steward import reload as ontology_reload
from tests.support.paths import SAMPLE_ANNOTATIONS
from tests.steward.test_reload import onto_copy, remove


def test_steward_workflow(kg, tmp_path):
    assert kg("load", SAMPLE_ANNOTATIONS).exit_code == 0
    ontologies = tmp_path / "ontologies"
    ontologies.mkdir()
    changed = onto_copy(ontologies, remove("kg:Community"))

    ok = kg("ontology", "validate", changed)
    assert ok.exit_code == 0, ok.output
    diff = kg("ontology", "diff", "--ontology", changed, "--json")
    assert [(c["change"], c["name"]) for c in json.loads(diff.output)["changes"]] == [("removed", "Community")]

    refused = kg("ontology", "reload", "--ontology", changed)
    assert refused.exit_code == 1 and "Community" in refused.output
    plan = kg("ontology", "reload", "--ontology", changed, "--dry-run")
    assert plan.exit_code == 0 and "would be refused" in plan.output

    mapping = tmp_path / "m.map"
    mapping.write_text("kg:Community -> kg:Village\n", encoding="utf-8")
    done = kg("ontology", "reload", "--ontology", changed, "--mapping", mapping)
    assert done.exit_code == 0, done.output
    history = json.loads(kg("ontology", "history", "--json").output)
    assert len(history) == 1 and history[0]["typeFactsMigrated"] > 0
    # the files are still valid; only a reload would need a higher version now
    again = kg("ontology", "validate", changed)
    assert again.exit_code == 0, again.output
    assert "reload` needs an owl:versionInfo higher" in again.output
    report = json.loads(kg("ontology", "validate", changed, "--json").stdout)
    assert report["valid"] and report["version_above_stored"] is False
    assert report["stored_version"] == report["version"]


def test_validate_an_unchanged_checkout_after_loading(kg):
    assert kg("load", SAMPLE_ANNOTATIONS).exit_code == 0
    result = kg("ontology", "validate")
    assert result.exit_code == 0, result.output
    assert "is valid" in result.output
    broken = kg("ontology", "validate", "--json", "/nonexistent-ontology-dir")
    assert broken.exit_code == 1 and "nonexistent-ontology-dir" in broken.output


def test_validate_whole_graph(kg):
    assert kg("load", SAMPLE_ANNOTATIONS).exit_code == 0
    result = kg("validate", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["violations"] == [] and report["nodes"] > 0


def test_load_after_a_reload_with_the_old_ontology_dir_is_refused(kg, tmp_path, monkeypatch):
    """The issue's case: KG_ONTOLOGY_DIR still at the old files after a reload to a newer one."""
    assert kg("load", SAMPLE_ANNOTATIONS).exit_code == 0
    ontologies = tmp_path / "ontologies"
    ontologies.mkdir()
    newer = onto_copy(ontologies, bump=1)
    assert kg("ontology", "reload", "--ontology", newer).exit_code == 0
    history = json.loads(kg("ontology", "history", "--json").output)
    refused = kg("load", SAMPLE_ANNOTATIONS)
    assert refused.exit_code == 1
    [line] = [l for l in refused.output.splitlines() if "holds ontology" in l]
    assert f"holds ontology {history[0]['version']}" in line
    assert f"older {history[0]['previousVersion']}" in line and "KG_ONTOLOGY_DIR" in line
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(newer))
    get_settings.cache_clear()
    assert kg("load", SAMPLE_ANNOTATIONS).exit_code == 0
    report = json.loads(kg("ontology", "validate", "--json").stdout)
    assert report["stored_version"] == history[0]["version"]


def test_history_tells_of_a_reload_rolled_back(kg, tmp_path, monkeypatch):
    assert kg("load", SAMPLE_ANNOTATIONS).exit_code == 0
    newer = onto_copy(tmp_path, bump=1)
    original = ontology_reload.store_ontology

    def rejected(tx, *args):
        original(tx, *args)
        tx.write("MATCH (n:Resource) RETURN n.iri +")  # the store rejects it inside the batch

    monkeypatch.setattr(ontology_reload, "store_ontology", rejected)
    failed = kg("ontology", "reload", "--ontology", newer)
    assert failed.exit_code == 1
    monkeypatch.setattr(ontology_reload, "store_ontology", original)
    lines = kg("ontology", "history").output.splitlines()
    assert len(lines) == 2 and lines[-1] == "1 reload(s)"
    assert " -> " in lines[0] and "rolled back: " in lines[0] and "migrated" not in lines[0]
    assert kg("ontology", "reload", "--ontology", newer).exit_code == 0
    rows = json.loads(kg("ontology", "history", "--json").output)
    assert [r["outcome"] for r in rows] == ["rolled back", "applied"]
