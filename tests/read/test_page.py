import json

import pytest

from kg.errors import InputError
from kg.read.encoding import decode
from kg.read.page import article_from_text, articles_from_json, articles_from_page, split_page
from tests.support.paths import CORPUS

PAGE = CORPUS / "page-000.txt"
DEV = CORPUS / "dev"

MINI = ("报头 横幅 标语\n\n某某办事处\n\n开展观摩活动\n\n本报讯 6月1日,某某办事处开展观摩\n\n活动。大家察看了三学\n\n\n\n"
        "三提升的情况。\n\n记者 张三\n通讯员 李四 王五 文/图\n\n第二篇标题\n\n本报讯 会议召开。\n\n记者 张三 通讯员 李四")


def test_split_and_repair():
    arts = split_page(MINI, "mini.txt")
    assert len(arts) == 2
    a = arts[0]
    assert a.column == "某某办事处" and a.title == "开展观摩活动"
    assert "开展观摩活动。" in a.text and "三学三提升" in a.text
    assert a.byline == ["记者 张三", "通讯员 李四 王五 文/图"]
    assert arts[1].title == "第二篇标题" and arts[1].byline == ["记者 张三 通讯员 李四"]
    for art in arts:
        assert len(art.raw_offsets) == len(art.text)
        for ch, off in zip(art.text, art.raw_offsets):
            if ch != "\n":
                assert MINI[off] == ch


def test_heading_not_glued():
    arts = split_page("标题一\n\n本报讯 正文没有结束\n\n下一个标题\n\n本报讯 另一篇。", "x")
    assert [a.title for a in arts] == ["标题一", "下一个标题"]
    assert arts[0].text.endswith("正文没有结束")


def test_page000_equals_dev_texts():
    arts = articles_from_page(PAGE.read_bytes(), str(PAGE))
    assert len(arts) == 5
    raw = PAGE.read_text(encoding="utf-8")
    for i, art in enumerate(arts, 1):
        gold = json.loads((DEV / f"d0{i}.json").read_text(encoding="utf-8"))["text"]
        assert art.text == gold
        assert all(raw[o] == c for c, o in zip(art.text, art.raw_offsets) if c != "\n")


def test_decode_variants():
    s = "本报讯 测试。"
    assert decode(s.encode("utf-8"), "a") == s
    assert decode(b"\xef\xbb\xbf" + s.encode("utf-8"), "a") == s
    assert decode(s.encode("gb18030"), "a") == s
    art = article_from_text(("标题\n\n" + s).encode("gb18030"), "gb.txt")
    assert art.text == "标题\n" + s and art.title == "标题"


@pytest.mark.parametrize("data", [b"", b"   \n\n", "   "])
def test_empty(data):
    with pytest.raises(InputError):
        split_page(data, "empty.txt")


def test_binary_names_file():
    with pytest.raises(InputError) as e:
        split_page(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "img.png")
    assert "img.png" in str(e.value)


def test_no_article():
    with pytest.raises(InputError) as e:
        split_page("只有标题\n\n另一个标题\n", "heads.txt")
    assert "heads.txt" in str(e.value)


def test_json_articles():
    arts = articles_from_json(json.dumps({"id": "x1", "text": "本报讯 测试。", "title": "t"}), "a.json")
    assert arts[0].id == "x1" and arts[0].title == "t"
    with pytest.raises(InputError):
        articles_from_json("{\"title\": 1}", "bad.json")
    with pytest.raises(InputError):
        articles_from_json("{nope", "bad.json")
