"""Label Studio JSON export: tasks map onto the model; bad tasks say where and why."""

from __future__ import annotations

import json

import pytest

from kg.errors import AnnotationError, InputError
from kg.read.label_studio import parse_label_studio_task, read_label_studio
from tests.read.helpers import TEXT, TEXT2, assert_where, at, split


def region(rid: str, label: str, part: str, text: str = TEXT) -> dict:
    start, end = at(text, part)
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": part, "labels": [label]}}


def link(from_id: str, to_id: str, rtype: str, direction: str = "right") -> dict:
    return {"from_id": from_id, "to_id": to_id, "type": "relation", "direction": direction,
            "labels": [rtype]}


def good_task(**data) -> dict:
    result = [region("d", "Date", "3月5日"), region("o", "Office", "甲镇党委"),
              region("p", "Person", "张三"), region("e", "Inspection", "检查"),
              link("e", "o", "organizer"), link("p", "e", "leader", "left"),
              {"id": "c", "type": "choices", "from_name": "topic", "to_name": "text",
               "value": {"choices": ["党建"]}}]
    task = {"id": 501, "data": {"text": TEXT, "id": "ls-1", "title": "甲镇检查",
                                "published": "2024-03-06", "source": "甲县报"},
            "annotations": [{"id": 1, "completed_by": 3, "was_cancelled": False,
                             "result": result}]}
    task["data"].update(data)
    return task


def second_task() -> dict:
    return {"id": 502, "data": {"text": TEXT2},
            "annotations": [{"was_cancelled": False, "result": [
                region("m", "Meeting", "会议", TEXT2), region("c", "Community", "乙社区", TEXT2),
                link("m", "c", "organizer")]}]}


def write(tmp_path, tasks, name="project.json") -> object:
    path = tmp_path / name
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def only_error(tmp_path, task):
    articles, errors = split(read_label_studio(write(tmp_path, [task])))
    assert articles == [] and len(errors) == 1
    return errors[0]


def result_of(task: dict) -> list:
    return task["annotations"][-1]["result"]


def test_two_good_tasks(tmp_path):
    path = write(tmp_path, [good_task(), second_task()], name="proj7.json")
    articles, errors = split(read_label_studio(path))
    assert errors == []
    a, b = articles
    assert a.id == "ls-1" and a.text == TEXT
    assert [(s.id, s.label, s.text) for s in a.spans] == [
        ("d", "Date", "3月5日"), ("o", "Office", "甲镇党委"), ("p", "Person", "张三"),
        ("e", "Inspection", "检查")]
    assert [(r.type, r.source, r.target) for r in a.relations] == [
        ("organizer", "e", "o"), ("leader", "e", "p")]  # "left" swapped p->e into e->p
    assert (a.title, a.published, a.source, a.byline) == ("甲镇检查", "2024-03-06", "甲县报",
                                                          None)
    assert a.origin == f"{path}:1"
    assert b.id == "proj7:2"  # no data.id: file stem and task position
    assert [(r.source, r.target) for r in b.relations] == [("m", "c")]


def test_direction_left_swaps_ends(tmp_path):
    task = good_task()
    result_of(task)[4] = link("o", "e", "organizer", "left")
    art = parse_label_studio_task(task, file="p.json", index=1)
    org = next(r for r in art.relations if r.type == "organizer")
    assert (art.span(org.source).label, art.span(org.target).label) == ("Inspection", "Office")


def test_direction_right_not_swapped_so_wrong_way_fails(tmp_path):
    task = good_task()
    result_of(task)[4] = link("o", "e", "organizer", "right")
    err = only_error(tmp_path, task)
    assert_where(err, "project.json", 1, "annotations[0].result[4]", "from Office to Inspection",
                 "swapped")


def test_bidirectional_is_an_error(tmp_path):
    task = good_task()
    result_of(task)[4]["direction"] = "bi"
    assert_where(only_error(tmp_path, task), "project.json", 1,
                 "annotations[0].result[4].direction", "bidirectional")


def test_takes_last_non_cancelled_annotation(tmp_path):
    task = good_task()
    first = task["annotations"][0]
    later = {"was_cancelled": False, "result": [region("x", "Village", "甲村")]}
    cancelled = {"was_cancelled": True, "result": [region("y", "Person", "张三")]}
    task["annotations"] = [first, later, cancelled]
    art = parse_label_studio_task(task, file="p.json", index=1)
    assert [(s.id, s.text) for s in art.spans] == [("x", "甲村")]
    assert art.relations == []


def test_all_annotations_cancelled(tmp_path):
    task = good_task()
    task["annotations"][0]["was_cancelled"] = True
    assert_where(only_error(tmp_path, task), "project.json", 1, "annotations", "cancelled")


def test_error_path_uses_chosen_annotation_index(tmp_path):
    task = good_task()
    bad = {"was_cancelled": False, "result": [region("x", "Ministry", "甲村")]}
    task["annotations"] = [task["annotations"][0], bad]
    assert_where(only_error(tmp_path, task), "project.json", 1,
                 "annotations[1].result[0].value.labels[0]", "'Ministry'", "Office")


def test_bad_task_between_good_ones(tmp_path):
    bad = good_task(id="ls-2")
    result_of(bad)[1]["value"]["end"] = 200
    path = write(tmp_path, [good_task(), bad, second_task()])
    results = list(read_label_studio(path))
    assert [getattr(r, "id", None) for r in results] == ["ls-1", None, "project:3"]
    assert_where(results[1], "project.json", 2, "annotations[0].result[1].value.end", "200",
                 f"length {len(TEXT)}")
    assert results[1].article == "ls-2"


def test_value_text_must_match_offsets(tmp_path):
    task = good_task()
    result_of(task)[2]["value"]["text"] = "李四"
    err = only_error(tmp_path, task)
    assert_where(err, "project.json", 1, "annotations[0].result[2].value.text", "'李四'", "'张三'")


def test_start_not_before_end(tmp_path):
    task = good_task()
    value = result_of(task)[0]["value"]
    value["end"], value["text"] = value["start"], None
    assert_where(only_error(tmp_path, task), "project.json", 1,
                 "annotations[0].result[0].value.end", "not after start")


def test_unknown_relation_type(tmp_path):
    task = good_task()
    result_of(task)[4]["labels"] = ["hosts"]
    assert_where(only_error(tmp_path, task), "project.json", 1,
                 "annotations[0].result[4].labels[0]", "'hosts'", "organizer")


def test_relation_without_type(tmp_path):
    task = good_task()
    result_of(task)[4]["labels"] = []
    assert_where(only_error(tmp_path, task), "project.json", 1,
                 "annotations[0].result[4].labels", "no type")


def test_relation_to_missing_region(tmp_path):
    task = good_task()
    result_of(task)[4]["to_id"] = "gone"
    assert_where(only_error(tmp_path, task), "project.json", 1,
                 "annotations[0].result[4].to_id", "'gone'")


def test_duplicate_region_ids(tmp_path):
    task = good_task()
    result_of(task)[3]["id"] = "o"
    assert_where(only_error(tmp_path, task), "project.json", 1, "annotations[0].result[3].id",
                 "duplicate")


def test_missing_text(tmp_path):
    task = good_task()
    del task["data"]["text"]
    assert_where(only_error(tmp_path, task), "project.json", 1, "data.text", "missing")


def test_bad_published_names_data_field(tmp_path):
    assert_where(only_error(tmp_path, good_task(published="6 March")), "project.json", 1,
                 "data.published", "YYYY-MM-DD")


def test_duplicate_article_ids(tmp_path):
    path = write(tmp_path, [good_task(), second_task(), good_task()])
    results = list(read_label_studio(path))
    assert isinstance(results[2], InputError)
    assert_where(results[2], "project.json", 3, "id", "duplicate", "ls-1")


def test_json_min_export_is_named(tmp_path):
    task = {"id": 7, "text": TEXT, "label": [{"start": 0, "end": 4, "text": "3月5日",
                                             "labels": ["Date"]}],
            "annotator": 1, "annotation_id": 3, "lead_time": 2.5}
    (err,) = list(read_label_studio(write(tmp_path, [task])))
    assert "JSON-MIN" in str(err) and "project.json" in str(err)
    with pytest.raises(AnnotationError, match="JSON-MIN"):
        parse_label_studio_task(task, file="p.json", index=1)


def test_malformed_json_names_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[\n {"data": {"text": "x"}},,\n]', encoding="utf-8")
    (err,) = list(read_label_studio(path))
    assert_where(err, "broken.json", 2, None, "malformed JSON", "column 26")


def test_non_utf8_names_line_and_byte(tmp_path):
    path = tmp_path / "gbk.json"
    path.write_bytes(b'[\n {"data": {"text": "' + "甲村".encode("gb18030") + b'"}}]')
    (err,) = list(read_label_studio(path))
    assert_where(err, "gbk.json", 2, None, "not UTF-8", "byte 20 of the line",
                 "byte 22 of the file")


def test_bom_at_start_is_tolerated(tmp_path):
    path = write(tmp_path, [good_task()])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    articles, errors = split(read_label_studio(path))
    assert errors == [] and articles[0].id == "ls-1"


@pytest.mark.parametrize("content", ["[]", "{\"data\": {}}"])
def test_empty_or_not_a_list(tmp_path, content):
    path = tmp_path / "p.json"
    path.write_text(content, encoding="utf-8")
    (err,) = list(read_label_studio(path))
    assert isinstance(err, InputError) and "p.json" in str(err)
    assert ("no articles" if content == "[]" else "list of tasks") in str(err)
