"""Lookups behind the API that no other test covers, on both stores with the sample loaded."""

from __future__ import annotations

import pytest

from kg.ask.lookup import Lookup
from kg.ask.queries import QueryLibrary
from kg.config import PROJECT_ROOT
from kg.graph.stores.base import QueryResult
from tests.support.store_fixtures import DelegatingStore

pytestmark = pytest.mark.store

LIB = QueryLibrary.load(PROJECT_ROOT / "queries")
XINGANG = "org-9cbafcd8e2cb676b"  # 新港办事处 in the sample


@pytest.fixture(scope="module")
def lookup(loaded_store):
    return Lookup(loaded_store, LIB)


def test_offices_in_name_order_with_their_visits(lookup):
    page = lookup.offices(limit=50)
    names = [o["office"]["name"] for o in page.items]
    assert names == sorted(names) and len(names) == 6 and page.next_after is None
    assert all(o["type"] == "Office" for o in page.items)
    visited = {o["office"]["name"]: o for o in page.items if o["visits"]}
    assert set(visited) == {"三官庙办事处", "新港办事处", "明港办事处"}


def test_an_office_visits_grouped_by_trip_with_typed_sites(lookup):
    (xingang,) = lookup.offices(XINGANG).items
    assert xingang["office"]["name"] == "新港办事处" and xingang["visit_count"] == 2
    first, second = xingang["visits"]
    assert (first["date"], first["kind"], first["article"]["id"]) == ("--06-22", "observation", "page-000-a1")
    assert [(s["name"], s["type"], s["position"]) for s in first["sites"]] == [
        ("柿园吴村", "Village", 1), ("寺王村", "Village", 2), ("北街村", "Village", 3)]
    assert [s["type"] for s in second["sites"]] == ["Enterprise", "ServiceCenter", "Community"]
    assert xingang["visits_truncated"] is False
    # by name too, the same office
    assert lookup.offices("新港办事处").items == [xingang]


def test_offices_page_by_name_and_iri(lookup):
    everything = [o["office"]["id"] for o in lookup.offices(limit=50).items]
    seen, after = [], None
    while True:
        page = lookup.offices(limit=4, after=after)
        seen += [o["office"]["id"] for o in page.items]
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == everything


def test_offices_visits_are_capped_and_say_so(lookup):
    (xingang,) = lookup.offices(XINGANG, visits=1).items
    assert [s["name"] for v in xingang["visits"] for s in v["sites"]] == ["柿园吴村", "寺王村", "北街村"]
    assert xingang["visits_truncated"] is True and xingang["visit_count"] == 2


def test_an_unknown_office_gives_no_rows(lookup):
    assert lookup.offices("无此办事处").items == []


def test_a_class_named_like_its_superclass_is_still_the_most_specific(lookup):
    # kg:Person is a subclass of foaf:Person and prov:Person: all three are called Person
    people = lookup.search_entities("Person", limit=5).items
    assert people and {p["type"] for p in people} == {"Person"}


class _DeletedMidRead(DelegatingStore):
    """Each neighbourhood row comes back a second time as a node deleted meanwhile: Neo4j reads
    committed data as it goes, so a load's retraction can leave the far end's properties null."""

    def read(self, cypher, params=None, **kwargs):
        result = self.inner.read(cypher, params, **kwargs)
        if "startNode(r)" not in cypher:
            return result
        gone = [{**r, "iri": None, "name": None, "target" if r["source"] == r["iri"] else "source": None}
                for r in result.rows]
        return QueryResult(result.columns, result.rows + gone, result.truncated)


def test_a_node_deleted_while_the_neighbourhood_is_read_is_left_out(loaded_store):
    whole = Lookup(loaded_store, LIB).neighbourhood(XINGANG, depth=2)
    assert Lookup(_DeletedMidRead(loaded_store), LIB).neighbourhood(XINGANG, depth=2) == whole
