"""Writing articles into both stores: idempotent loads, replacement of an article's
contribution, all-or-nothing batches, read-only reads. Runs on the embedded store and Neo4j."""

import threading
import time

import pytest
from rdflib import Graph

from kg.graph import writer
from kg.errors import ReadOnlyViolation
from kg.graph.export import export_graph
from kg.graph.integrity import integrity, problems
from kg.graph.stats import graph_stats
from kg.rdf.triples import article_triples
from loaders.pipeline import load_articles
from tests.support.paths import SAMPLE_ANNOTATIONS
from tests.support.annotated import DATED, article
from kg.read.sources import read_inputs

pytestmark = pytest.mark.store


def _load(store, ontology, *articles):
    report = load_articles(store, ontology, articles)
    assert report.ok, [str(e) for e in report.failed]
    return report


def _names(store, label):
    return sorted(r["name"] for r in store.read(f"MATCH (n:{label}) RETURN n.name AS name").rows)


def _part_of(store):
    return sorted((r["a"], r["b"]) for r in store.read(
        "MATCH (a)-[:partOf]->(b) RETURN a.name AS a, b.name AS b").rows)


A1 = article("A", "[南坡村|Village]属于[东河镇|Office]。[西山村|Village]也是。",
             [("南坡村", "partOf", "东河镇"), ("西山村", "partOf", "东河镇")])
A2 = article("A", "[南坡村|Village]属于[东河镇|Office]。")  # corrected: no partOf, no 西山村
B = article("B", "[南坡村|Village]是[东河镇|Office]的村。", [("南坡村", "partOf", "东河镇")])


def test_loading_the_sample_twice_changes_nothing(sample_store, ontology):
    before = graph_stats(sample_store)
    report = load_articles(sample_store, ontology, read_inputs(SAMPLE_ANNOTATIONS))
    assert report.ok and len(report.loaded) == 5
    assert graph_stats(sample_store) == before


def test_export_gives_back_exactly_the_triples_of_the_articles(sample_store, ontology):
    expected = Graph()
    for a in read_inputs(SAMPLE_ANNOTATIONS):
        expected += article_triples(a)
    exported = export_graph(sample_store, ontology)
    missing = set(expected) - set(exported)
    extra = set(exported) - set(expected)
    assert not missing and not extra, (sorted(missing)[:5], sorted(extra)[:5])




def test_inferred_dates_are_stored_flagged_and_exported_as_built(store, ontology):
    _load(store, ontology, *DATED)
    rows = store.read("MATCH (v:Activity)-[:derivedFrom]->(a:Article) "
                      "RETURN a.articleId AS a, v.date AS date, v.dateInferred AS inferred "
                      "ORDER BY a").rows
    assert rows == [{"a": "E", "date": "2022-06-22", "inferred": True},
                    {"a": "F", "date": "2021-12-30", "inferred": None},
                    {"a": "G", "date": "--07-01", "inferred": None}]
    expected = Graph()
    for a in DATED:
        expected += article_triples(a)
    assert set(export_graph(store, ontology)) == set(expected)


def test_new_version_replaces_what_the_article_contributed(store, ontology):
    _load(store, ontology, A1, B)
    assert _part_of(store) == [("南坡村", "东河镇"), ("西山村", "东河镇")]
    _load(store, ontology, A2)
    # 西山村 was only in A: gone with its link; 南坡村 partOf 东河镇 is still supported by B
    assert _names(store, "Village") == ["南坡村"]
    assert _part_of(store) == [("南坡村", "东河镇")]
    _load(store, ontology, article("B", "[南坡村|Village]。"))
    assert _part_of(store) == []
    assert _names(store, "Office") == ["东河镇"]  # A2 still names it


def test_replacement_equals_loading_the_new_version_alone(store, ontology):
    _load(store, ontology, A1, B)
    _load(store, ontology, A2)
    after_replace = graph_stats(store)
    store.clear()
    store.ensure_schema()
    _load(store, ontology, B, A2)
    assert graph_stats(store) == after_replace


def test_aliases_and_labels_follow_the_remaining_evidence(store, ontology):
    a = article("A", "[东河街道|Office]与[北岭|Village]")
    b = article("B", "[东河办事处|Office]与[北岭|Community]")
    _load(store, ontology, a, b)
    row = store.read("MATCH (o:Office) RETURN o.name AS name, o.alias AS alias").rows
    assert row == [{"name": "东河办事处", "alias": ["东河街道"]}]
    assert _names(store, "Village") == ["北岭"] and _names(store, "Community") == ["北岭"]
    _load(store, ontology, article("A", "[东河办事处|Office]"))
    row = store.read("MATCH (o:Office) RETURN o.name AS name, o.alias AS alias").rows
    assert row == [{"name": "东河办事处", "alias": None}]
    assert _names(store, "Village") == [] and _names(store, "Community") == ["北岭"]


def test_two_loads_of_one_new_article_at_once_leave_it_once(store, ontology, monkeypatch):
    """The second load starts while the first holds its written, uncommitted article: it waits
    for its turn and replaces it (on Neo4j it would otherwise create the article node again and
    fail on the unique IRI when the first commits)."""
    second_started = threading.Event()
    real = writer.write

    def first_waits(tx, rows, ontology):
        real(tx, rows, ontology)
        if threading.current_thread().name == "first":
            second_started.wait(10)
            time.sleep(0.5)  # the second reaches its turn and waits there

    monkeypatch.setattr(writer, "write", first_waits)
    failed: list[str] = []

    def load(name):
        if name == "second":
            second_started.set()
        try:
            failed.extend(str(e) for e in load_articles(store, ontology, [A1]).failed)
        except Exception as exc:  # noqa: BLE001 - collected, then asserted empty
            failed.append(str(exc))

    first = threading.Thread(target=load, args=("first",), name="first")
    first.start()
    time.sleep(0.2)  # the first is inside its transaction
    second = threading.Thread(target=load, args=("second",), name="second")
    second.start()
    first.join(60)
    second.join(60)
    assert failed == []
    assert problems(integrity(store)) == 0
    assert set(export_graph(store, ontology)) == set(article_triples(A1))


def _graph_state(store, ontology):
    return graph_stats(store), set(export_graph(store, ontology))


# a batch that changes what is already stored: a new alias and a new label on stored entities,
# a new link between them, new entities and links of its own
BASE = article("C", "[东河办事处|Office]与[北岭|Village]")
CHANGES = [article("D", "[东河街道|Office]与[北岭|Community]，[南坡村|Village]属于[东河街道|Office]。",
                   [("南坡村", "partOf", "东河街道")]), A1, B]


@pytest.mark.parametrize("step", ["write_nodes", "write_evidence", "write_rels"])
def test_a_failing_batch_of_new_articles_leaves_the_graph_as_it_was(store, ontology, monkeypatch, step):
    _load(store, ontology, BASE)
    before = _graph_state(store, ontology)
    real = getattr(writer, step)

    def broken(tx, items):  # the store gives out halfway through this step
        real(tx, items[: len(items) // 2])
        raise RuntimeError("connection lost")

    monkeypatch.setattr(writer, step, broken)
    with pytest.raises(RuntimeError):
        load_articles(store, ontology, CHANGES)
    assert _graph_state(store, ontology) == before
    monkeypatch.undo()
    _load(store, ontology, *CHANGES)  # and the same batch loads cleanly afterwards
    assert _names(store, "Community") == ["北岭"]


def test_a_failing_batch_that_replaces_articles_leaves_the_graph_as_it_was(sample_store, ontology, monkeypatch):
    _load(sample_store, ontology, A1, B)
    before = _graph_state(sample_store, ontology)

    def broken(tx, rels):  # after the old versions were retracted and the new nodes written
        tx.run("MATCH (n:Village) DETACH DELETE n")
        raise RuntimeError("connection lost")

    monkeypatch.setattr(writer, "write_rels", broken)
    with pytest.raises(RuntimeError):
        load_articles(sample_store, ontology, [A2, article("B", "[南坡村|Village]。")])
    assert _graph_state(sample_store, ontology) == before


def test_reads_are_read_only(sample_store):
    before = graph_stats(sample_store)
    with pytest.raises(ReadOnlyViolation):
        sample_store.read("MATCH (n:Village) SET n.name = 'x' RETURN n")
    with pytest.raises(ReadOnlyViolation):
        sample_store.read("CREATE (n:Village {name: 'x'}) RETURN n")
    assert graph_stats(sample_store) == before


def test_reads_are_capped(sample_store):
    result = sample_store.read("MATCH (n:Evidence) RETURN n.fact AS f", limit=3)
    assert len(result.rows) == 3 and result.truncated


def test_every_fact_traces_to_an_article_span(sample_store):
    rows = sample_store.read(
        "MATCH (a)-[r:partOf]->(b) MATCH (ev:Evidence {fact: r.fact})-[:derivedFrom]->(art:Article) "
        "RETURN a.name AS a, b.name AS b, art.articleId AS article, ev.start AS start, ev.end AS end, "
        "ev.exact AS exact, art.text AS text").rows
    assert rows
    for r in rows:
        assert r["text"][r["start"]:r["end"]] == r["exact"]
        assert r["a"] in r["exact"] or r["b"] in r["exact"]
