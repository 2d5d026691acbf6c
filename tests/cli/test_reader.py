"""The reader through the `kg` command: raw pages and articles in, facts out of the graph."""

import json
import re

import pytest
from tests.support.paths import CORPUS


PAGE = CORPUS / "page-000.txt"
DEV = CORPUS / "dev"

ARTICLE = ("青河办事处开展观摩活动\n本报讯 6月22日,青河办事处组织各村党支部书记30余人开展观摩活动,"
           "观摩组实地察看了东庄村、西岭村。\n记者 张海涛 通讯员 李明")


def _json(output: str):
    return json.loads(output[output.index("["):] if output.lstrip().startswith("[") else output)


def _rows(kg, statement):
    result = kg("cypher", statement, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["rows"]


def test_load_page_with_raw_offsets_on_evidence(kg):
    result = kg("load", PAGE)
    assert result.exit_code == 0, result.output
    assert re.search(r"loaded [1-9]\d* article\(s\)", result.output)
    raw = PAGE.read_text(encoding="utf-8")
    rows = _rows(kg, "MATCH (e:Evidence) WHERE e.rawStart IS NOT NULL "
                     "RETURN e.exact AS exact, e.rawStart AS s, e.rawEnd AS t ORDER BY s, t, exact")
    assert rows
    for r in rows:
        assert re.sub(r"\s", "", raw[r["s"]:r["t"]]) == re.sub(r"\s", "", r["exact"])


def test_annotate_output_ids_match_load_and_reloading_changes_nothing(kg, tmp_path):
    out = tmp_path / "page.jsonl"
    result = kg("annotate", PAGE, "-o", out)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(r["entities"] and r["id"].startswith("page-000-a") for r in records)
    assert kg("load", PAGE).exit_code == 0
    ids = [r["article"] for r in _rows(kg, "MATCH (a:Article) RETURN a.articleId AS article ORDER BY article")]
    assert ids == sorted(r["id"] for r in records)
    stats = kg("stats", "--json").output
    assert kg("load", out).exit_code == 0  # the same annotations from the exchange file
    assert kg("stats", "--json").output == stats


def test_extract_json_ids_and_facts(kg, tmp_path):
    txt = tmp_path / "one.txt"
    txt.write_text(ARTICLE, encoding="utf-8")
    art = tmp_path / "two.json"
    art.write_text(json.dumps({"id": "x7", "text": ARTICLE.replace("6月22日", "7月1日")},
                              ensure_ascii=False), encoding="utf-8")
    result = kg("extract", txt, art, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["one", "x7"]
    facts = rows[0]["facts"]
    assert set(facts) == {"visits", "posts", "memberships", "bylines", "entities"}
    assert facts["bylines"] == {"reporters": ["张海涛"], "correspondents": ["李明"]}
    visit = facts["visits"][0]
    assert visit["organizer"] == "青河办事处" and visit["date"] == "06-22"
    assert visit["sites"] == ["东庄村", "西岭村"] and visit["participants"] == "30余人"
    assert rows[1]["facts"]["visits"][0]["date"] == "07-01"
    assert kg("stats", "--json").output.count('"Article"') == 0  # the configured store untouched


def test_eval_scores_what_the_graph_gives_back(kg, tmp_path):
    # an exact check on a small fixed input: accuracy on the corpus is `kg eval`'s report
    gold = {"id": "g1", "text": ARTICLE, "facts": {
        "visits": [{"organizer": ["青河办事处"], "date": "06-22", "sites": [["东庄村"], ["西岭村"]],
                    "leaders": [], "participants": "30余人", "kind": "observation"}],
        "posts": [], "memberships": [],
        "bylines": {"reporters": ["张海涛"], "correspondents": ["李明"]},
        "entities": [{"name": ["青河办事处"], "type": "Office"}, {"name": ["东庄村"], "type": "Village"},
                     {"name": ["西岭村"], "type": "Village"}, {"name": ["张海涛"], "type": "Person"},
                     {"name": ["李明"], "type": "Person"}]}}
    (tmp_path / "g1.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    result = kg("eval", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert {k: scores[k]["f1"] for k in ("visits", "visit_dates", "bylines", "entities")} == \
        {"visits": 1.0, "visit_dates": 1.0, "bylines": 1.0, "entities": 1.0}


def test_gb18030_article_is_read(kg, tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(ARTICLE.encode("gb18030"))
    result = kg("extract", path, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["facts"]["visits"][0]["sites"] == ["东庄村", "西岭村"]


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n \n", "empty"),
    ("heads.txt", "报头\n\n标题一\n\n标题二\n".encode(), "no article"),
    ("binary.txt", bytes(range(256)) * 8, "binary"),
    ("bad.json", b'{"text": ""}', "text"),
    ("broken.json", b'{"text": "abc', "JSON"),
])
def test_bad_input_is_a_clear_message_naming_the_file(kg, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    for command in (("load", path), ("extract", path, "--json")):
        result = kg(*command)
        assert result.exit_code == 1
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert name in result.output and message in result.output, result.output
    assert _rows(kg, "MATCH (a:Article) RETURN count(a) AS n") == [{"n": 0}]


def test_bad_file_does_not_stop_good_ones(kg, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    result = kg("load", bad, good)
    assert result.exit_code == 1 and "bad.txt" in result.output
    assert "loaded 1 article(s)" in result.output


def test_large_page(kg, tmp_path):
    # over a megabyte of running text: every character of it goes through the analyser
    block = "\n\n".join(f"标题{i}\n\n本报讯 {1 + i % 12}月{1 + i % 28}日,青河办事处开展观摩活动,"
                        f"察看了东庄村、西岭村。" + "一段很长的正文,没有什么事实。" * 240 +
                        "\n\n记者 张海涛" for i in range(100))
    path = tmp_path / "big.txt"
    path.write_text(block, encoding="utf-8")
    assert path.stat().st_size > 1_000_000
    result = kg("load", path)
    assert result.exit_code == 0, result.output[-2000:]
    assert "loaded 100 article(s)" in result.output
