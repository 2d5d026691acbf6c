"""`kg train` and `kg eval --folds` as a user runs them, on invented articles."""

import json

from kg.read.doccano import to_doccano_line
from tests.train.conftest import CORRECTED, write_gold


def test_train_writes_the_model_and_says_so(kg, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_MODELS_DIR", str(tmp_path / "models"))
    source = tmp_path / "corrected.jsonl"
    source.write_text("".join(to_doccano_line(a) for a in CORRECTED), encoding="utf-8")
    result = kg("train", source, "--name", "tiny", "--epochs", "1")
    assert result.exit_code == 0, result.output
    line = result.output.strip()
    assert line.startswith("trained tiny 0.1.0+1 on 3 article(s), 10 names (")
    assert line.endswith(f"-> {tmp_path / 'models' / 'tiny'}")
    again = json.loads(kg("train", source, "--name", "tiny", "--epochs", "1", "--json").stdout)
    assert (again["version"], again["path"]) == ("0.1.0+2", str(tmp_path / "models" / "tiny"))


def test_train_on_raw_text_is_a_one_line_error(kg, tmp_path):
    raw = tmp_path / "page.txt"
    raw.write_text("乙镇组织党员到甲村观摩学习。", encoding="utf-8")
    result = kg("train", raw, "--out", tmp_path / "m")
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {raw}") and "not annotated" in result.output
    assert not (tmp_path / "m").exists()


def test_eval_folds_prints_rules_and_rules_with_model(kg, tmp_path):
    gold = write_gold(tmp_path / "gold")
    result = kg("eval", gold, "--folds", "2")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "2-fold cross-validation over 4 article(s)" in lines
    rows = [line.split() for line in lines if line.split()[:1] in (["entities"], ["rules+model"])]
    # the last two: the entities of the rules, and of rules + model; both against 13 gold
    assert rows[-2][:2] == ["entities", "rules"] and rows[-1][0] == "rules+model"
    assert rows[-2][6] == rows[-1][5] == "13"
    as_json = json.loads(kg("eval", gold, "--folds", "2", "--json").stdout)
    assert as_json["folds"] == 2 and as_json["articles"] == 4
    assert [f["articles"] for f in as_json["per_fold"]] == [["g1", "g3"], ["g2", "g4"]]
    assert as_json["rules"]["entities"]["gold"] == as_json["rules+model"]["entities"]["gold"] == 13


def test_eval_folds_needs_enough_articles_and_one_id_once(kg, tmp_path):
    gold = write_gold(tmp_path / "gold")
    result = kg("eval", gold, "--folds", "5")
    assert result.exit_code == 1 and "--folds 5: needs 2 to 4 folds" in result.output
    twice = kg("eval", gold, write_gold(tmp_path / "copy"), "--folds", "2")
    assert twice.exit_code == 1 and "article id g1 is also in" in twice.output
