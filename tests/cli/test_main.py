"""The `kg` command on the embedded store, as a user runs it."""

import json

from rdflib import Graph

from kg.graph.stores.falkor import FalkorStore

from tests.support.paths import SAMPLE_ANNOTATIONS, SAMPLE_PAGE


def test_load_twice_keeps_stats_identical(kg):
    first = kg("load", SAMPLE_ANNOTATIONS)
    assert first.exit_code == 0, first.output
    assert "loaded 5 article(s)" in first.output
    stats1 = kg("stats", "--json").output
    assert kg("load", SAMPLE_ANNOTATIONS).exit_code == 0
    assert kg("stats", "--json").output == stats1
    counts = json.loads(stats1)
    assert counts["labels"]["Article"] == 5 and counts["labels"]["Village"] > 0


def test_named_query_as_json(kg):
    kg("load", SAMPLE_ANNOTATIONS)
    result = kg("query", "officials_of", "-p", "organisation=如意湖街道办事处", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert [(r["person"], r["title"]) for r in rows] == [("杨建强", "主任")]


def test_unknown_query_and_bad_parameter_are_clear_errors(kg):
    assert "no named query 'nope'" in kg("query", "nope").output
    result = kg("query", "officials_of", "-p", "colour=red")
    assert result.exit_code == 1 and "no parameter 'colour'" in result.output


def test_cypher_is_read_only(kg):
    kg("load", SAMPLE_ANNOTATIONS)
    before = kg("stats", "--json").output
    result = kg("cypher", "MATCH (n:Village) DETACH DELETE n")
    assert result.exit_code == 1 and "would write" in result.output
    assert kg("stats", "--json").output == before


def test_bad_lines_are_reported_and_the_rest_loads(kg, tmp_path):
    good = SAMPLE_ANNOTATIONS.read_text(encoding="utf-8").splitlines()
    bad = json.loads(good[0])
    bad["id"] = "broken"
    bad["entities"][0]["end_offset"] = 10**6
    path = tmp_path / "mixed.jsonl"
    path.write_bytes("\n".join([good[1], json.dumps(bad, ensure_ascii=False), "{not json", good[2]])
                     .encode("utf-8") + b"\n\xff\xfe\n")
    result = kg("load", path)
    assert result.exit_code == 1
    assert "loaded 2 article(s)" in result.output
    assert f"{path}:2" in result.output and "end_offset" in result.output
    assert f"{path}:3" in result.output
    assert f"{path}:5" in result.output
    articles = json.loads(kg("stats", "--json").output)["labels"]["Article"]
    assert articles == 2


def test_export_turtle_and_jsonld_parse(kg, tmp_path):
    kg("load", SAMPLE_ANNOTATIONS)
    out = tmp_path / "g.ttl"
    assert kg("export", "--format", "turtle", "-o", out).exit_code == 0
    g = Graph().parse(out, format="turtle")
    assert len(g) > 1000
    result = kg("export", "--format", "jsonld")
    assert result.exit_code == 0
    assert len(Graph().parse(data=result.output, format="json-ld")) == len(g)


def test_an_export_that_cannot_be_written_is_one_line_and_leaves_no_file(kg, tmp_path):
    kg("load", SAMPLE_ANNOTATIONS)
    out = tmp_path / "missing" / "g.nt"
    result = kg("export", "-o", out)
    assert result.exit_code == 1
    assert result.output.startswith(f"error: cannot write {out}")
    assert result.output.count("\n") == 1
    kept = tmp_path / "g.nt"
    kept.write_text("earlier export", encoding="utf-8")
    assert kg("export", "-o", kept).exit_code == 0  # written beside, then renamed onto it
    assert len(Graph().parse(kept, format="nt")) > 1000
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_the_page_and_its_annotations_are_the_same_articles(kg):
    # the shipped annotations replace the automatic reading of the page they annotate
    assert kg("load", SAMPLE_PAGE).exit_code == 0
    assert kg("load", SAMPLE_ANNOTATIONS).exit_code == 0
    rows = json.loads(kg("cypher", "MATCH (a:Article) RETURN a.articleId AS id ORDER BY id",
                         "--json").output)["rows"]
    assert [r["id"] for r in rows] == [f"page-000-a{i}" for i in range(1, 6)]


def test_doctor_finds_nothing_after_a_load_and_exits_1_when_it_finds_something(kg, tmp_path):
    assert kg("load", SAMPLE_ANNOTATIONS).exit_code == 0
    sound = kg("doctor")
    assert sound.exit_code == 0, sound.output
    assert "sound: nothing half-written" in sound.output
    store = FalkorStore(tmp_path / "data")  # the same data dir, as another process would
    with store.transaction() as tx:
        tx.write("MATCH (a:Article) WITH a LIMIT 1 DETACH DELETE a")
    store.close()
    found = kg("doctor", "--json")
    assert found.exit_code == 1
    report = json.loads(found.output)
    assert report["evidence_without_article"]["count"] > 0
    assert report["duplicated_iris"]["count"] == 0


def _write(data_dir, *statements, params=None) -> None:
    store = FalkorStore(data_dir)  # the same data dir, as another process would
    try:
        with store.transaction() as tx:
            for statement in statements:
                tx.write(statement, params or {})
    finally:
        store.close()


def test_doctor_repair_mends_the_graph_and_names_the_articles_to_load_again(kg, tmp_path):
    assert kg("load", SAMPLE_ANNOTATIONS).exit_code == 0
    stats = kg("stats", "--json").output
    sound = kg("doctor", "--repair")
    assert sound.exit_code == 0 and "sound: nothing half-written" in sound.output
    assert "repaired" not in sound.output and "load them again" not in sound.output
    _write(tmp_path / "data", "MATCH (a:Article {articleId: 'page-000-a2'}) DETACH DELETE a")
    found = kg("doctor")
    assert found.exit_code == 1 and "kg doctor --repair" in found.output
    repaired = kg("doctor", "--repair", "--json")
    assert repaired.exit_code == 0, repaired.output
    report = json.loads(repaired.output)
    assert report["before"]["evidence_without_article"]["count"] > 0
    assert all(check["count"] == 0 for check in report["after"].values())
    assert report["articles"] == ["page-000-a2"] and report["sound"]
    assert kg("doctor").exit_code == 0
    assert kg("load", SAMPLE_ANNOTATIONS).exit_code == 0
    assert kg("stats", "--json").output == stats


def test_doctor_repair_says_what_it_did_and_exits_1_on_what_it_could_not(kg, tmp_path):
    assert kg("load", SAMPLE_ANNOTATIONS).exit_code == 0
    _write(tmp_path / "data", "MATCH ()-[r:organizer]->() WITH r ORDER BY r.fact LIMIT 1 DELETE r")
    text = kg("doctor", "--repair")
    assert text.exit_code == 0, text.output
    assert "repaired evidence without fact: recreated 1" in text.output
    assert "load them again" not in text.output  # the link is whole again
    assert "sound: nothing half-written" in text.output
    # two nodes of one IRI that disagree: not merged, said so, exit 1
    _write(tmp_path / "data", "MATCH (o:Office) WITH o ORDER BY o.iri LIMIT 1 "
           "CREATE (c:Resource:Office {iri: o.iri, name: '测试另名'}) WITH o, c "
           "MATCH (ev:Evidence)-[r:subject]->(o) WITH c, ev, r ORDER BY ev.iri LIMIT 1 "
           "DELETE r CREATE (ev)-[:subject]->(c)")
    left = kg("doctor", "--repair")
    assert left.exit_code == 1
    assert "not repaired:" in left.output and "disagree on name" in left.output
    assert "still unsound" in left.output


def test_export_then_import_into_an_empty_store_gives_the_same_stats(kg, tmp_path):
    kg("load", SAMPLE_ANNOTATIONS)
    before = kg("stats", "--json").output
    for suffix in (".ttl", ".nt", ".trig", ".jsonld"):
        out = tmp_path / f"graph{suffix}"
        assert kg("export", "-o", out).exit_code == 0  # the format from the suffix
        assert kg("reset", "--yes").exit_code == 0
        assert json.loads(kg("stats", "--json").output)["nodes"] == 0
        result = kg("import", out)
        assert result.exit_code == 0, result.output
        assert "imported 5 article(s)" in result.output
        assert kg("stats", "--json").output == before, suffix


def test_import_of_a_file_it_cannot_read_is_one_line(kg, tmp_path):
    path = tmp_path / "graph.ttl"
    path.write_text("not turtle at all", encoding="utf-8")
    result = kg("import", path)
    assert result.exit_code == 1 and result.output.startswith(f"error: {path}:1: not turtle")
    assert kg("export", "--format", "rdfxml").exit_code == 2
