"""The stored ontology on both stores: the first load writes it, a later load never changes it
(only `kg ontology reload` does), and a load given another ontology writes nothing."""

from __future__ import annotations

import shutil
import threading

import pytest

from kg.errors import OntologyMismatch
from kg.graph.stored_ontology import content_hash, ensure_ontology, stored_version
from kg.ontology import Ontology
from kg.steward.reload import reload_ontology
from loaders.pipeline import load_articles
from tests.steward.test_reload import all_counts, onto_copy
from tests.support.annotated import article
from tests.support.paths import ROOT

pytestmark = pytest.mark.store

FIRST = article("first", "[东河镇|Office][观摩|Observation]了[南坡村|Village]",
                [("观摩", "organizer", "东河镇"), ("观摩", "visitedSite", "南坡村")])
SECOND = article("second", "[西岭镇|Office][观摩|Observation]了[北坡村|Village]",
                 [("观摩", "organizer", "西岭镇"), ("观摩", "visitedSite", "北坡村")])


def _articles(store) -> list[str]:
    return [r["id"] for r in store.read("MATCH (a:Article) RETURN a.articleId AS id ORDER BY id").rows]


def test_the_first_load_stores_the_ontology_and_the_same_one_loads_again(store, ontology):
    assert stored_version(store) is None
    assert load_articles(store, ontology, [FIRST]).ok
    assert store.read("MATCH (o:Ontology) RETURN o.version AS v, o.contentHash AS h").rows == [
        {"v": ontology.version, "h": content_hash(ontology)}]
    assert not ensure_ontology(store, ontology)  # already there: nothing written
    assert load_articles(store, ontology, [SECOND]).ok
    assert _articles(store) == ["first", "second"]


def test_a_load_with_a_newer_ontology_is_refused_and_writes_nothing(store, ontology, tmp_path):
    assert load_articles(store, ontology, [FIRST]).ok
    before = all_counts(store)
    newer = Ontology.load(onto_copy(tmp_path, bump=1))
    with pytest.raises(OntologyMismatch) as refused:
        load_articles(store, newer, [SECOND])
    message = str(refused.value)
    assert "\n" not in message
    assert f"holds ontology {ontology.version}" in message and f"given {newer.version}" in message
    assert "kg ontology reload" in message
    assert (refused.value.stored, refused.value.given) == (ontology.version, newer.version)
    assert stored_version(store) == ontology.version
    assert all_counts(store) == before
    assert _articles(store) == ["first"]


def test_a_load_with_an_older_ontology_is_refused_after_a_reload(store, ontology, tmp_path):
    assert load_articles(store, ontology, [FIRST]).ok
    newer = onto_copy(tmp_path, bump=1)
    reload_ontology(store, newer, validate=False)
    before = all_counts(store)
    with pytest.raises(OntologyMismatch, match=rf"holds ontology {Ontology.load(newer).version}; "
                                               rf"this load was given the older {ontology.version}"):
        load_articles(store, ontology, [SECOND])
    assert stored_version(store) == Ontology.load(newer).version
    assert all_counts(store) == before
    assert load_articles(store, Ontology.load(newer), [SECOND]).ok  # the stored one loads


def test_same_version_with_other_contents_is_refused(store, ontology, tmp_path):
    assert load_articles(store, ontology, [FIRST]).ok
    directory = tmp_path / "edited"
    shutil.copytree(ROOT / "ontology", directory)
    kg_ttl = directory / "kg.ttl"
    kg_ttl.write_text(kg_ttl.read_text(encoding="utf-8").replace('"乡镇街道"@zh', '"乡镇"@zh', 1),
                      encoding="utf-8")
    edited = Ontology.load(directory)
    assert edited.version == ontology.version
    before = all_counts(store)
    with pytest.raises(OntologyMismatch, match="same version"):
        load_articles(store, edited, [SECOND])
    assert all_counts(store) == before
    labels = store.read("MATCH (c:OntologyClass {name: 'Office'}) RETURN c.label_zh AS zh").rows
    assert labels == [{"zh": "乡镇街道"}]


def test_two_first_loads_at_once_store_one_ontology(store, ontology):
    # both find no ontology stored and write one: each store lets one of them do it
    classes = len(ontology.ontology_rows()["classes"])
    for _ in range(4):  # a race: a few rounds
        store.clear()
        start = threading.Barrier(2)
        failures: list[BaseException] = []

        def first_load() -> None:
            try:
                start.wait()
                ensure_ontology(store, ontology)
            except BaseException as exc:  # noqa: BLE001 - reported by the assert below
                failures.append(exc)

        loads = [threading.Thread(target=first_load) for _ in range(2)]
        for each in loads:
            each.start()
        for each in loads:
            each.join()
        assert failures == []
        counts = store.read("MATCH (o:Ontology) WITH count(o) AS o "
                            "MATCH (c:OntologyClass) RETURN o, count(c) AS c").rows[0]
        assert (counts["o"], counts["c"]) == (1, classes)
