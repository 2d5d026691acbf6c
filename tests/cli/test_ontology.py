"""`kg ontology validate|diff|reload|history` and `kg validate` on the embedded store."""

from __future__ import annotations

import json


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
    assert kg("ontology", "validate", changed).exit_code == 1  # same version as loaded now


def test_validate_whole_graph(kg):
    assert kg("load", SAMPLE_ANNOTATIONS).exit_code == 0
    result = kg("validate", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["violations"] == [] and report["nodes"] > 0
