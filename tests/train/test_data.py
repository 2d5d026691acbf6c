"""Training samples: corrected exports as they are, gold entities projected onto the text."""

import pytest

from kg.errors import InputError
from kg.train.data import apart, from_gold, read_training


def _names(sample):
    return [(sample.text[s:e], label) for s, e, label in sample.names]


def test_nested_names_keep_the_longest():
    assert apart([(0, 2, "Office"), (0, 8, "ServiceCenter"), (2, 5, "Village")]) == \
        ((0, 8, "ServiceCenter"),)
    assert apart([(3, 5, "Village"), (0, 2, "Office")]) == ((0, 2, "Office"), (3, 5, "Village"))


def test_gold_entities_are_projected_onto_every_occurrence():
    obj = {"text": "丙县庚镇干部到辛村。庚镇党委主持。",
           "facts": {"entities": [{"name": ["丙县"], "type": "District"},
                                  {"name": ["庚镇", "丙县庚镇"], "type": "Office"},
                                  {"name": ["辛村"], "type": "Village"}]}}
    sample = from_gold("g", obj, "g.json")
    # 丙县庚镇 is 庚镇 written with its parent: the two are tagged apart
    assert _names(sample) == [("丙县", "District"), ("庚镇", "Office"), ("辛村", "Village"),
                              ("庚镇", "Office")]


def test_corrected_export_and_gold_folder(corrected_file, gold_dir):
    got = read_training([corrected_file, gold_dir])
    assert [s.id for s in got.samples] == ["t1", "t2", "t3", "g1", "g2", "g3", "g4"]
    t3 = got.samples[2]
    assert _names(t3) == [("赵小刚", "Person"), ("乙镇", "Office"), ("己社区", "Community")]
    assert [f["path"] for f in got.files] == [str(corrected_file)] + \
        [str(gold_dir / f"g{i}.json") for i in range(1, 5)]
    assert len(got.digest) == 64


def test_a_later_file_replaces_an_article(corrected_file, tmp_path):
    again = tmp_path / "again.jsonl"
    again.write_text(corrected_file.read_text(encoding="utf-8").splitlines(True)[0],
                     encoding="utf-8")
    got = read_training([corrected_file, again])
    assert [s.id for s in got.samples] == ["t2", "t3", "t1"]


def test_raw_text_and_missing_paths_are_errors_naming_the_file(tmp_path):
    raw = tmp_path / "page.txt"
    raw.write_text("乙镇组织党员到甲村观摩学习。", encoding="utf-8")
    with pytest.raises(InputError, match=r"page\.txt.*not annotated"):
        read_training([raw])
    with pytest.raises(InputError, match=r"nope\.jsonl: no such file"):
        read_training([tmp_path / "nope.jsonl"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"empty: no gold articles"):
        read_training([tmp_path / "empty"])
