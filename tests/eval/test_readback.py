"""Facts read back from the store, and human corrections replacing automatic annotations, on
both stores."""

import json

from kg.config import PROJECT_ROOT
from kg.graph.stored_ontology import ensure_ontology
from kg.ask.queries import QueryLibrary
from kg.eval.readback import article_facts
from kg.eval.score import dates_match
from kg.extract import Extractor
from kg.read.articles import read_article_file
from kg.read.doccano import to_doccano_line
from kg.read.sources import read_inputs
from loaders.pipeline import extracted, load_articles
from tests.support.annotated import article

ARTICLE = ("青河街道开展观摩活动\n本报讯 6月22日,青河街道办事处组织各村党支部书记30余人开展观摩活动,"
           "观摩组实地察看了东庄村、西岭村。该办事处党工委书记王立明带队。\n记者 张海涛 通讯员 李明")


def _load(store, ontology, items):
    report = load_articles(store, ontology, items)
    assert report.ok, [str(e) for e in report.failed]


def test_page_then_human_correction_replaces_it(store, ontology, tmp_path):
    ensure_ontology(store, ontology)
    lib = QueryLibrary.load(PROJECT_ROOT / "queries")
    page = tmp_path / "one.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    (auto,) = list(extracted(read_article_file(page), Extractor()))
    assert auto.id == "one"
    _load(store, ontology, [auto])
    facts = article_facts(store, lib, "one")
    assert facts["visits"][0]["sites"] == ["东庄村", "西岭村"]
    assert facts["visits"][0]["organizer"] == "青河街道办事处"  # the article's own longest form

    # a person removes 西岭村 and marks the file as theirs
    record = json.loads(to_doccano_line(auto))
    drop = {e["id"] for e in record["entities"] if record["text"][e["start_offset"]:e["end_offset"]] == "西岭村"}
    assert drop
    record["entities"] = [e for e in record["entities"] if e["id"] not in drop]
    record["relations"] = [r for r in record["relations"]
                           if r["from_id"] not in drop and r["to_id"] not in drop]
    record["annotator"] = "human"
    corrected = tmp_path / "one.jsonl"
    corrected.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    _load(store, ontology, read_inputs(corrected))

    facts = article_facts(store, lib, "one")
    assert facts["visits"][0]["sites"] == ["东庄村"]
    assert store.read("MATCH (a:Article) RETURN count(a) AS n").rows == [{"n": 1}]
    assert store.read("MATCH (v:Village {name: '西岭村'}) RETURN count(v) AS n").rows == [{"n": 0}]
    dup = store.read("MATCH (n:Resource) WHERE n.name IS NOT NULL WITH n.name AS name, count(n) AS c "
                     "WHERE c > 1 RETURN name, c ORDER BY name").rows
    assert dup == []
    # one office node for 某某街道 / 青河街道办事处 / 该办事处
    offices = store.read("MATCH (o:Office) RETURN o.name AS name ORDER BY name").rows
    assert offices == [{"name": "青河办事处"}]
    who = store.read("MATCH (e:Evidence {articleId: 'one'}) RETURN DISTINCT e.annotatedBy AS a "
                     "ORDER BY a").rows
    assert who == [{"a": "human"}]


def test_read_back_dates_still_match_the_gold_forms(store, ontology):
    """A year inferred from the publication date is read back with the date; the gold gives
    MM-DD for 6月22日 and the year only where the text writes it, and both still match."""
    ensure_ontology(store, ontology)
    lib = QueryLibrary.load(PROJECT_ROOT / "queries")
    dated = [("inferred", "6月22日", "2022-07-01", "06-22", "2022-06-22"),
             ("written", "2019年3月8日", "2019-03-11", "2019-03-08", "2019-03-08"),
             ("unpublished", "6月22日", None, "06-22", "06-22")]
    _load(store, ontology, [
        article(aid, f"[{when}|Date],[东河镇|Office][观摩|Observation]了[南坡村|Village]。",
                [("观摩", "organizer", "东河镇"), ("观摩", "visitedSite", "南坡村"), ("观摩", "date", when)],
                published=published)
        for aid, when, published, _, _ in dated])
    for aid, _, _, gold, read in dated:
        (visit,) = article_facts(store, lib, aid)["visits"]
        assert visit["date"] == read
        assert dates_match(gold, visit["date"])
