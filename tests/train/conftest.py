"""Tiny invented articles to learn from, as a user's corrected export and as gold files."""

from __future__ import annotations

import json

import pytest

from kg.read.doccano import to_doccano_line
from tests.support.annotated import article

CORRECTED = [
    article("t1", "[乙镇|Office]组织党员到[甲村|Village]观摩学习,[王小明|Person]带队。"),
    article("t2", "[丙县|District][丁镇|Office]干部到[戊村|Village]参观,[李小红|Person]讲解。"),
    article("t3", "记者 [赵小刚|Reporter]\n[乙镇|Office]在[己社区|Community]召开座谈会。"),
]

GOLD = [
    ("g1", "乙镇组织党员到甲村观摩学习。王小明带队。",
     [(["乙镇"], "Office"), (["甲村"], "Village"), (["王小明"], "Person")]),
    ("g2", "丁镇干部到戊村参观。李小红讲解。",
     [(["丁镇"], "Office"), (["戊村"], "Village"), (["李小红"], "Person")]),
    ("g3", "乙镇在己社区召开座谈会。赵小刚主持。",
     [(["乙镇"], "Office"), (["己社区"], "Community"), (["赵小刚"], "Person")]),
    ("g4", "丙县庚镇干部到辛村观摩。周小东带队。",
     [(["丙县"], "District"), (["庚镇", "丙县庚镇"], "Office"), (["辛村"], "Village"),
      (["周小东"], "Person")]),
]


@pytest.fixture
def corrected_file(tmp_path):
    path = tmp_path / "corrected.jsonl"
    path.write_text("".join(to_doccano_line(a) for a in CORRECTED), encoding="utf-8")
    return path


def write_gold(directory):
    directory.mkdir(parents=True, exist_ok=True)
    for aid, text, entities in GOLD:
        facts = {"visits": [], "posts": [], "memberships": [],
                 "bylines": {"reporters": [], "correspondents": []},
                 "entities": [{"name": n, "type": t} for n, t in entities]}
        (directory / f"{aid}.json").write_text(
            json.dumps({"id": aid, "text": text, "facts": facts}, ensure_ascii=False),
            encoding="utf-8")
    return directory


@pytest.fixture
def gold_dir(tmp_path):
    return write_gold(tmp_path / "gold")
