"""The load pipeline: bad articles are reported and skipped, good ones load."""

import sys

import pytest

from kg.errors import ValidationError
from kg.graph.stats import graph_stats
from loaders.pipeline import WRITER_SWITCH_INTERVAL_S, load_articles
from tests.support.annotated import article

pytestmark = pytest.mark.store

GOOD = article("good", "[东河镇|Office][观摩|Observation]了[南坡村|Village]",
               [("观摩", "organizer", "东河镇"), ("观摩", "visitedSite", "南坡村")])
# two dates for one visit: every annotation is well-formed, but the shapes allow one date
TWO_DATES = article("two-dates", "[6月1日|Date]和[6月3日|Date],[东河镇|Office][观摩|Observation]",
                    [("观摩", "date", "6月1日"), ("观摩", "date", "6月3日"), ("观摩", "organizer", "东河镇")],
                    origin="batch.jsonl:7")


def test_a_shape_violation_names_article_node_and_shape_and_writes_nothing_of_it(store, ontology):
    report = load_articles(store, ontology, [TWO_DATES, GOOD])
    assert report.loaded == ["good"]
    [failure] = report.failed
    assert isinstance(failure, ValidationError)
    text = str(failure)
    assert "two-dates" in text and "batch.jsonl:7" in text
    assert any("date" in v["path"] for v in failure.violations)
    assert all(v["focus"].startswith("https://w3id.org/newskg/id/event/") for v in failure.violations)
    ids = [r["id"] for r in store.read("MATCH (a:Article) RETURN a.articleId AS id").rows]
    assert ids == ["good"]
    assert graph_stats(store)["labels"].get("Observation") == 1


def test_threads_hand_over_quickly_during_a_load_and_as_before_after(store, ontology):
    """The writer thread needs the GIL back promptly after each store reply; the process's
    switch interval is lowered for the load only."""
    before = sys.getswitchinterval()
    during = []
    report = load_articles(store, ontology, [GOOD], on_article=lambda _: during.append(sys.getswitchinterval()))
    assert report.loaded == ["good"]
    assert during == [min(before, WRITER_SWITCH_INTERVAL_S)] and during[0] < before
    assert sys.getswitchinterval() == before


NUL = article("nul", "[西岭镇|Office][观摩|Observation]了\x00[北坳村|Village]",
              [("观摩", "organizer", "西岭镇"), ("观摩", "visitedSite", "北坳村")], origin="bad.jsonl:3")
SURROGATE = article("surrogate", "[西岭镇|Office]\ud800[观摩|Observation]了[北坳村|Village]",
                    [("观摩", "organizer", "西岭镇")], origin="bad.jsonl:4")


def test_an_article_no_store_can_hold_is_skipped_with_its_place_and_its_batch_loads(store, ontology):
    # a NUL used to fail the whole batch on the embedded store; a lone surrogate, the whole load
    report = load_articles(store, ontology, [GOOD, NUL, SURROGATE])
    assert report.loaded == ["good"]
    assert [str(e) for e in report.failed] == [
        "bad.jsonl:3, article nul, field text: holds a NUL character at offset 6, which no store can keep",
        "bad.jsonl:4, article surrogate, field text: holds a lone surrogate (U+D800) at offset 3, "
        "which no store can keep"]
    assert [r["id"] for r in store.read("MATCH (a:Article) RETURN a.articleId AS id").rows] == ["good"]
