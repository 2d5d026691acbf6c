"""`kg annotate` over many files: a pool of processes writes the very file one process writes."""

import json

import pytest

import kg.cli.annotate

TEXTS = [
    "甲镇开展观摩活动\n本报讯 3月5日,甲镇组织乙村、丙村党支部书记20余人开展观摩活动,实地察看了丁村。\n"
    "记者 赵某",
    "戊街道召开动员会\n本报讯 4月12日,戊街道办事处召开垃圾分类动员会,己社区、庚社区负责人参加。\n"
    "通讯员 钱某",
    "辛乡党委书记孙某某带队赴壬县学习\n本报讯 5月20日,辛乡党委书记孙某某带领乡村干部15人赴壬县"
    "癸镇学习乡村振兴经验。\n记者 周某 通讯员 吴某",
    "子区人民政府与丑镇卫生院联合举办义诊活动,共服务群众120人次。",
]


@pytest.fixture
def files(tmp_path, monkeypatch):
    """Invented articles as .txt and .json files; a pool even for these few bytes."""
    monkeypatch.setattr(kg.cli.annotate, "POOL_MIN_BYTES", 0)
    paths = []
    for i, text in enumerate(TEXTS * 2):
        if i % 2:
            path = tmp_path / f"篇{i}.json"
            path.write_text(json.dumps({"text": text, "title": f"标题{i}"}, ensure_ascii=False),
                            encoding="utf-8")
        else:
            path = tmp_path / f"篇{i}.txt"
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _annotate(kg, paths, out, *options):
    result = kg("annotate", *paths, "-o", out, "--json", *options)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return result, report, out.read_text(encoding="utf-8")


def test_two_jobs_write_what_one_writes(kg, files, tmp_path):
    one, report1, text1 = _annotate(kg, files, tmp_path / "one.jsonl", "--jobs", "1")
    two, report2, text2 = _annotate(kg, files, tmp_path / "two.jsonl", "--jobs", "2")
    assert one.exit_code == two.exit_code == 0, one.output + two.output
    assert (report1["jobs"], report2["jobs"]) == (1, 2)
    assert text2 == text1
    records = [json.loads(line) for line in text1.splitlines()]
    assert [r["id"] for r in records] == [p.stem for p in files]  # the order of the input
    assert all(r["entities"] for r in records)
    assert report2["articles"] == len(files) and report2["chars"] == sum(len(r["text"]) for r in records)


def test_one_file_stays_in_this_process(kg, files, tmp_path):
    result, report, _ = _annotate(kg, files[:1], tmp_path / "one.jsonl", "--jobs", "2")
    assert result.exit_code == 0 and report["jobs"] == 1 and report["articles"] == 1


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_files_are_reported_and_the_others_written(kg, files, tmp_path, jobs):
    bad = tmp_path / "坏.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    broken = tmp_path / "断.json"
    broken.write_bytes('{"text": "甲镇'.encode())
    paths = [files[0], bad, files[1], broken, files[2]]
    result, report, text = _annotate(kg, paths, tmp_path / "out.jsonl", "--jobs", jobs)
    assert result.exit_code == 1
    assert "坏.txt" in result.output and "binary" in result.output
    assert "断.json" in result.output and "JSON" in result.output
    assert result.output.index("坏.txt") < result.output.index("断.json")
    assert [json.loads(line)["id"] for line in text.splitlines()] == [p.stem for p in files[:3]]
    assert (report["articles"], report["failed"]) == (3, 2)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failing_article_costs_its_file_only(kg, files, tmp_path, monkeypatch, jobs):
    """An error that is no KGError (a bug) is reported with its file, in a worker too."""
    from kg.read import doccano

    real = doccano.to_doccano_line

    def to_line(article):
        if article.id == files[2].stem:
            raise ValueError("甲镇 trips a bug")
        return real(article)

    monkeypatch.setattr(doccano, "to_doccano_line", to_line)  # forked workers see it
    result, report, text = _annotate(kg, files, tmp_path / "out.jsonl", "--jobs", jobs)
    assert result.exit_code == 1
    assert files[2].name in result.output and "甲镇 trips a bug" in result.output
    ids = [json.loads(line)["id"] for line in text.splitlines()]
    assert ids == [p.stem for p in files if p != files[2]]
    assert (report["jobs"], report["failed"]) == (int(jobs), 1)
