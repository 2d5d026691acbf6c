"""doccano JSONL: good articles parse exactly; each kind of bad line says where and why."""

from __future__ import annotations

import json

import pytest

from kg.errors import AnnotationError, InputError
from kg.model import HUMAN, Annotator
from kg.read.doccano import parse_doccano_record, read_doccano
from tests.read.helpers import TEXT, TEXT2, assert_where, at, split


def good_record(**extra) -> dict:
    """An article: an inspection organised by an office, led by a person, on a date."""
    ents = [("Date", "3月5日"), ("Office", "甲镇党委"), ("Person", "张三"),
            ("Inspection", "检查"), ("Village", "甲村")]
    entities = [{"id": 10 + i, "label": lab, "start_offset": at(TEXT, s)[0],
                 "end_offset": at(TEXT, s)[1]} for i, (lab, s) in enumerate(ents)]
    relations = [
        {"id": 1, "from_id": 13, "to_id": 11, "type": "organizer"},
        {"id": 2, "from_id": 13, "to_id": 12, "type": "leader"},
        {"id": 3, "from_id": 13, "to_id": 10, "type": "date"},
        {"id": 4, "from_id": 13, "to_id": 14, "type": "visitedSite"},
    ]
    rec = {"id": "art-1", "text": TEXT, "title": "甲镇检查", "published": "2024-03-06",
           "source": "甲县报", "byline": "记者 王五", "entities": entities,
           "relations": relations}
    rec.update(extra)
    return rec


def second_record() -> dict:
    """Metadata in doccano's `meta` object, `date` instead of `published`, no relations."""
    s, e = at(TEXT2, "会议")
    return {"id": 99, "text": TEXT2,
            "meta": {"id": "art-2", "title": "乙社区会议", "date": "2024-04-01"},
            "entities": [{"id": 1, "label": "Meeting", "start_offset": s, "end_offset": e}],
            "relations": []}


def write(tmp_path, lines, name="export.jsonl"):
    """Write lines (dicts as JSON, str as is, bytes raw) one per line."""
    path = tmp_path / name
    out = b""
    for ln in lines:
        if isinstance(ln, dict):
            ln = json.dumps(ln, ensure_ascii=False)
        out += (ln if isinstance(ln, bytes) else ln.encode("utf-8")) + b"\n"
    path.write_bytes(out)
    return path


def only_error(tmp_path, record_or_line):
    articles, errors = split(read_doccano(write(tmp_path, [record_or_line])))
    assert articles == [] and len(errors) == 1
    return errors[0]


def test_two_good_articles(tmp_path):
    path = write(tmp_path, [good_record(), "", second_record()])
    articles, errors = split(read_doccano(path))
    assert errors == []
    a, b = articles
    assert a.id == "art-1" and a.text == TEXT
    assert [s.text for s in a.spans] == ["3月5日", "甲镇党委", "张三", "检查", "甲村"]
    assert [s.id for s in a.spans] == ["10", "11", "12", "13", "14"]
    assert a.span("12").label == "Person"
    leader = next(r for r in a.relations if r.type == "leader")
    assert (leader.source, leader.target, leader.id) == ("13", "12", "2")
    assert a.span(leader.source).text == "检查" and a.span(leader.target).text == "张三"
    assert (a.title, a.published, a.source, a.byline) == ("甲镇检查", "2024-03-06", "甲县报",
                                                          "记者 王五")
    assert a.annotator == HUMAN
    assert a.origin == f"{path}:1"
    # meta wins over doccano's own numeric id; blank line 2 is skipped but counted
    assert b.id == "art-2" and b.title == "乙社区会议" and b.published == "2024-04-01"
    assert b.origin == f"{path}:3"
    assert [(s.label, s.text) for s in b.spans] == [("Meeting", "会议")]
    assert b.relations == []


def test_missing_id_falls_back_to_file_stem_and_line(tmp_path):
    rec = good_record()
    del rec["id"]
    articles, _ = split(read_doccano(write(tmp_path, ["", rec], name="batch7.jsonl")))
    assert articles[0].id == "batch7:2"


def test_annotator_object_and_default():
    rec = good_record(annotator={"name": "rules", "version": "0.3", "confidence": 0.8})
    art = parse_doccano_record(rec, file="f.jsonl", line=1)
    assert art.annotator == Annotator("rules", "0.3", 0.8)
    assert art.annotator.key == "rules-0.3"


def test_bad_line_between_good_ones_does_not_stop_them(tmp_path):
    rec3 = good_record(id="art-3")
    path = write(tmp_path, [good_record(), '{"text": "甲村", oops}', rec3])
    results = list(read_doccano(path))
    assert [getattr(r, "id", None) for r in results] == ["art-1", None, "art-3"]
    assert_where(results[1], "export.jsonl", 2, None, "malformed JSON", "column")


def test_malformed_json_names_column(tmp_path):
    err = only_error(tmp_path, '{"text": "x",, }')
    assert_where(err, "export.jsonl", 1, None, "malformed JSON at column 14")


def test_line_not_an_object(tmp_path):
    assert_where(only_error(tmp_path, "[1, 2]"), "export.jsonl", 1, None, "JSON object")


@pytest.mark.parametrize("text, words", [(None, "missing"), (42, "must be a string"),
                                         ("  ", "empty")])
def test_missing_or_non_string_text(tmp_path, text, words):
    rec = good_record(entities=[], relations=[])
    if text is None:
        del rec["text"]
    else:
        rec["text"] = text
    assert_where(only_error(tmp_path, rec), "export.jsonl", 1, "text", words)


def test_end_offset_outside_text(tmp_path):
    rec = good_record()
    rec["entities"][3]["end_offset"] = 120
    err = only_error(tmp_path, rec)
    assert isinstance(err, AnnotationError)
    assert_where(err, "export.jsonl", 1, "entities[3].end_offset", "120", f"length {len(TEXT)}")
    assert err.article == "art-1"


def test_negative_start_offset(tmp_path):
    rec = good_record()
    rec["entities"][0]["start_offset"] = -1
    assert_where(only_error(tmp_path, rec), "export.jsonl", 1, "entities[0].start_offset", "-1")


def test_start_not_before_end(tmp_path):
    rec = good_record()
    rec["entities"][2]["end_offset"] = rec["entities"][2]["start_offset"]
    err = only_error(tmp_path, rec)
    assert_where(err, "export.jsonl", 1, "entities[2].end_offset", "not after start")


def test_non_integer_offset(tmp_path):
    rec = good_record()
    rec["entities"][1]["start_offset"] = "3"
    assert_where(only_error(tmp_path, rec), "export.jsonl", 1, "entities[1].start_offset",
                 "integer")


def test_unknown_label_lists_known_ones(tmp_path):
    rec = good_record()
    rec["entities"][1]["label"] = "Ministry"
    err = only_error(tmp_path, rec)
    assert_where(err, "export.jsonl", 1, "entities[1].label", "'Ministry'", "Office",
                 "Village", "Inspection")


def test_unknown_relation_type(tmp_path):
    rec = good_record()
    rec["relations"][0]["type"] = "locatedIn"
    err = only_error(tmp_path, rec)
    assert_where(err, "export.jsonl", 1, "relations[0].type", "'locatedIn'", "partOf")


def test_relation_to_missing_entity(tmp_path):
    rec = good_record()
    rec["relations"][1]["to_id"] = 77
    assert_where(only_error(tmp_path, rec), "export.jsonl", 1, "relations[1].to_id", "77")


def test_relation_labels_not_allowed_for_type(tmp_path):
    rec = good_record()
    rec["relations"][2] = {"from_id": 11, "to_id": 10, "type": "leader"}  # Office -> Date
    err = only_error(tmp_path, rec)
    assert_where(err, "export.jsonl", 1, "relations[2]", "from Office to Date",
                 "Inspection", "Person")


def test_duplicate_entity_ids(tmp_path):
    rec = good_record()
    rec["entities"][4]["id"] = 10
    assert_where(only_error(tmp_path, rec), "export.jsonl", 1, "entities[4].id", "duplicate",
                 "'10'")


def test_bad_published_date(tmp_path):
    err = only_error(tmp_path, good_record(published="2024-02-30"))
    assert_where(err, "export.jsonl", 1, "published", "YYYY-MM-DD")


def test_bad_meta_field_is_named_as_meta(tmp_path):
    rec = second_record()
    rec["meta"]["title"] = ["x"]
    assert_where(only_error(tmp_path, rec), "export.jsonl", 1, "meta.title", "string")


def test_non_utf8_line_is_reported_and_others_load(tmp_path):
    bad = '{"id": "x", "text": "甲村'.encode("gb18030") + b'"}'
    path = write(tmp_path, [good_record(), bad, good_record(id="art-3")])
    articles, errors = split(read_doccano(path))
    assert [a.id for a in articles] == ["art-1", "art-3"]
    (err,) = errors
    assert_where(err, "export.jsonl", 2, None, "not UTF-8", "byte 21 of the line")
    first_line_len = len(path.read_bytes().split(b"\n")[0]) + 1
    assert f"byte {first_line_len + 21} of the file" in str(err)


def test_bom_at_start_is_tolerated(tmp_path):
    path = write(tmp_path, [good_record()])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    articles, errors = split(read_doccano(path))
    assert errors == [] and articles[0].id == "art-1"


@pytest.mark.parametrize("content", [b"", b"\n  \n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(content)
    (err,) = list(read_doccano(path))
    assert isinstance(err, InputError) and "no articles" in str(err)
    assert "empty.jsonl" in str(err)


def test_duplicate_article_id_errors_on_later_one(tmp_path):
    path = write(tmp_path, [good_record(), second_record(), good_record()])
    results = list(read_doccano(path))
    assert [getattr(r, "id", None) for r in results] == ["art-1", "art-2", None]
    assert_where(results[2], "export.jsonl", 3, "id", "duplicate", "art-1", "line 1")


def test_missing_file_is_an_error_item(tmp_path):
    (err,) = list(read_doccano(tmp_path / "nope.jsonl"))
    assert isinstance(err, InputError) and "nope.jsonl" in str(err)


def test_parse_record_raises_annotation_error():
    with pytest.raises(AnnotationError) as info:
        parse_doccano_record({"text": TEXT, "entities": [{"id": 1, "label": "Office",
                                                          "start_offset": 0, "end_offset": 99}]},
                             file="f.jsonl", line=4)
    assert_where(info.value, "f.jsonl", 4, "entities[0].end_offset", "99")
    assert info.value.article == "f:4"


def test_sequence_labelling_export_is_named():
    with pytest.raises(AnnotationError, match="sequence-labelling"):
        parse_doccano_record({"text": TEXT, "label": [[0, 2, "Office"]]}, file="f", line=1)


def test_a_line_nested_too_deeply_is_one_error_and_the_next_line_loads(tmp_path):
    path = write(tmp_path, ["[" * 10_000 + "]" * 10_000, good_record()])
    articles, errors = split(read_doccano(path))
    assert [a.id for a in articles] == ["art-1"]
    assert [str(e) for e in errors] == [f"{path}:1: JSON nested too deeply to read"]
