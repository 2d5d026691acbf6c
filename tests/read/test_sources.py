"""read_inputs picks the reader by what the file holds, and refuses what it cannot read."""

from __future__ import annotations

import json

import pytest

from kg.errors import InputError
from kg.extract import Extractor
from loaders.pipeline import extracted
from kg.read.sources import read_inputs
from tests.read.helpers import TEXT, at, split

DOCCANO = {"id": "d-1", "text": TEXT, "entities": [
    {"id": 1, "label": "Village", "start_offset": at(TEXT, "甲村")[0],
     "end_offset": at(TEXT, "甲村")[1]}], "relations": []}

LABEL_STUDIO = [{"data": {"text": TEXT, "id": "l-1"}, "annotations": [{"result": [
    {"id": "v", "type": "labels", "value": {"start": at(TEXT, "甲村")[0],
                                            "end": at(TEXT, "甲村")[1], "labels": ["Village"]}}]}]}]


def test_jsonl_goes_to_doccano(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(DOCCANO, ensure_ascii=False) + "\n", encoding="utf-8")
    articles, errors = split(read_inputs(path))
    assert errors == [] and [a.id for a in articles] == ["d-1"]
    assert articles[0].spans[0].text == "甲村"


def test_json_task_list_goes_to_label_studio(tmp_path):
    path = tmp_path / "b.json"
    path.write_text(json.dumps(LABEL_STUDIO, ensure_ascii=False), encoding="utf-8")
    articles, errors = split(read_inputs(path))
    assert errors == [] and [a.id for a in articles] == ["l-1"]
    assert articles[0].spans[0].text == "甲村"


def test_jsonl_saved_as_json_still_reads_as_doccano(tmp_path):
    path = tmp_path / "c.json"
    line = json.dumps(DOCCANO, ensure_ascii=False)
    path.write_text(line + "\n" + line.replace("d-1", "d-2") + "\n", encoding="utf-8")
    articles, errors = split(read_inputs(path))
    assert errors == [] and [a.id for a in articles] == ["d-1", "d-2"]


def test_json_min_is_routed_to_label_studio_and_named(tmp_path):
    path = tmp_path / "min.json"
    path.write_text(json.dumps([{"id": 1, "text": TEXT, "annotation_id": 2, "lead_time": 1}]),
                    encoding="utf-8")
    (err,) = list(read_inputs(path))
    assert isinstance(err, InputError) and "JSON-MIN" in str(err) and "min.json" in str(err)


def test_plain_article_json_is_read_and_annotated(tmp_path):
    # a .json article object {text, id?, ...} is raw input: the rule annotator reads it
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"text": TEXT}), encoding="utf-8")
    (art,) = list(extracted(read_inputs(path), Extractor()))
    assert not isinstance(art, InputError) and art.id == "d" and art.annotator.name == "kg-rules"


@pytest.mark.parametrize("name, content", [
    ("e.json", json.dumps([{"title": "x"}])),
    ("f.json", json.dumps([1, 2])),
    ("g.csv", "text,label\n"),
    ("h", "whatever"),
])
def test_other_content_is_not_an_annotation_export(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    (err,) = list(read_inputs(path))
    assert isinstance(err, InputError)
    assert "not an annotation export" in str(err) and name in str(err)


def test_broken_json_reports_where(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"data": ', encoding="utf-8")
    (err,) = list(read_inputs(path))
    assert "broken.json:1" in str(err) and "malformed JSON" in str(err)


def test_missing_file(tmp_path):
    (err,) = list(read_inputs(tmp_path / "absent.json"))
    assert isinstance(err, InputError) and "absent.json" in str(err) and "cannot read" in str(err)


def test_an_rdf_export_is_pointed_to_kg_import(tmp_path):
    path = tmp_path / "graph.ttl"
    path.write_text("@prefix kg: <https://w3id.org/newskg/def#> .\n", encoding="utf-8")
    (err,) = list(read_inputs(path))
    assert isinstance(err, InputError) and "kg import" in str(err)
    (err,) = list(read_inputs(tmp_path / "g.csv"))
    assert "kg import" not in str(err)
