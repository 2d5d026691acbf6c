import pytest

from kg.eval.score import dates_match, names_match, norm, score


def test_norm_and_forms():
    assert norm("“五星” 支部") == "五星支部"
    assert norm("《决定》") == "决定"
    assert norm("ＡＢ１") == "AB1"
    assert names_match(["如意湖办事处", "如意湖街道"], "如意湖街道")
    assert not names_match(["如意湖办事处"], "如意湖")


def test_dates():
    assert dates_match("06-22", "2022-06-22")
    assert dates_match("2022-06-22", "2022-06-22")
    assert not dates_match("2022-06-22", "2021-06-22")
    assert not dates_match("06-22", "06-23")
    assert not dates_match(None, "06-23")


GOLD = {"a": {
    "visits": [
        {"organizer": ["甲镇", "某县甲镇"], "date": "06-22", "sites": [["一村"], ["二村"], ["三村"]],
         "leaders": [["张三"]], "participants": "30余人", "kind": "observation"},
        {"organizer": ["甲镇"], "date": "06-22", "sites": [], "leaders": [], "kind": "meeting"},
    ],
    "posts": [{"person": ["张三"], "title": "党委副书记、镇长", "organization": ["甲镇"]},
              {"person": ["李四"], "title": "主任", "organization": []}],
    "memberships": [{"child": ["一村"], "parent": ["甲镇", "某县甲镇"]},
                    {"child": ["甲镇"], "parent": ["某县"]}],
    "bylines": {"reporters": ["王五"], "correspondents": ["赵六", "钱七"]},
    "entities": [{"name": ["甲镇"], "type": "Office"}, {"name": ["一村"], "type": "Village"},
                 {"name": ["张三"], "type": "Person"}, {"name": ["某县"], "type": "District"}],
}}

PRED = {"a": {
    "visits": [
        {"organizer": "某县甲镇", "date": "2022-06-22", "sites": ["一村", "二村", "四村", "二村"],
         "leaders": ["张三", "李四"], "kind": "observation"},
    ],
    "posts": [{"person": "张三", "title": "镇长", "organization": "甲镇"},
              {"person": "李四", "title": "副主任", "organization": "乙镇"}],
    "memberships": [{"child": "一村", "parent": "甲镇"}, {"child": "甲镇", "parent": "某市"}],
    "bylines": {"reporters": ["王五", "赵六"], "correspondents": ["钱七"]},
    "entities": [{"name": "甲镇", "type": "Office"}, {"name": "一村", "type": "Community"},
                 {"name": "张三", "type": "Person"}, {"name": "某县", "type": "District"},
                 {"name": "甲镇", "type": "Office"}],
}}


def test_score_exact_values():
    r = score(GOLD, PRED)
    # visits: gold 3 pairs, predicted 3 distinct pairs (二村 twice counts once), 2 match
    assert (r["visits"]["tp"], r["visits"]["gold"], r["visits"]["predicted"]) == (2, 3, 3)
    assert r["visits"]["precision"] == pytest.approx(0.6667, abs=1e-4)
    assert r["visits"]["f1"] == pytest.approx(0.6667, abs=1e-4)
    # dates: gold 2, pred 1 matching -> P 1, R .5
    assert r["visit_dates"]["precision"] == 1.0 and r["visit_dates"]["recall"] == 0.5
    assert r["visit_kinds"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    # leaders: gold 1, pred 2 -> P .5 R 1
    assert r["leaders"]["precision"] == 0.5 and r["leaders"]["recall"] == 1.0
    # posts: 张三 matches (title containment), 李四 matches on person+title (gold has no org)
    assert r["posts"]["f1"] == 1.0
    assert r["memberships"]["tp"] == 1 and r["memberships"]["f1"] == 0.5
    # bylines: 王五 reporter ok, 钱七 correspondent ok, 赵六 wrong role
    assert (r["bylines"]["tp"], r["bylines"]["gold"], r["bylines"]["predicted"]) == (2, 3, 3)
    # entities: duplicate dropped; 一村 wrong type
    assert (r["entities"]["tp"], r["entities"]["gold"], r["entities"]["predicted"]) == (3, 4, 4)
    assert r["entities"]["f1"] == 0.75


def test_missing_article_and_empty():
    r = score(GOLD, {})
    assert r["visits"]["recall"] == 0.0 and r["visits"]["precision"] == 0.0
    r = score({"x": {}}, {"x": {}})
    assert r["posts"]["f1"] == 1.0


def test_title_must_be_contained():
    g = {"a": {"posts": [{"person": ["张三"], "title": "镇长", "organization": ["甲镇"]}]}}
    p = {"a": {"posts": [{"person": "张三", "title": "书记", "organization": "甲镇"}]}}
    assert score(g, p)["posts"]["tp"] == 0
