"""The load pipeline: bad articles are reported and skipped, good ones load."""

import pytest

from kg.errors import ValidationError
from kg.stats import graph_stats
from loaders.load import load_articles
from tests.helpers import article

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
