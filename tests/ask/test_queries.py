"""Every named query runs unchanged on both stores and returns exactly these rows on the sample page."""

from __future__ import annotations

import pytest

from kg.config import PROJECT_ROOT
from kg.errors import QueryError
from kg.ask.queries import QueryLibrary

pytestmark = pytest.mark.store

LIB = QueryLibrary.load(PROJECT_ROOT / "queries")

CASES = [
    ('villages_visited_by_office', {'office': '新港办事处'},
     [{'office': '新港办事处', 'village': '北街村', 'date': '--06-22', 'article': 'page-000-a1'},
      {'office': '新港办事处', 'village': '寺王村', 'date': '--06-22', 'article': 'page-000-a1'},
      {'office': '新港办事处', 'village': '柿园吴村', 'date': '--06-22', 'article': 'page-000-a1'}]),
    ('sites_visited_by_office', {'office': '新港办事处'},
     [{'office': '新港办事处',
       'site': '柿园吴村',
       'position': 1,
       'date': '--06-22',
       'kind': 'observation',
       'article': 'page-000-a1',
       'site_iri': 'https://w3id.org/newskg/id/org/c94e5e0a3946122d',
       'visit': 'https://w3id.org/newskg/id/event/71c3d45aa90588cb'},
      {'office': '新港办事处',
       'site': '寺王村',
       'position': 2,
       'date': '--06-22',
       'kind': 'observation',
       'article': 'page-000-a1',
       'site_iri': 'https://w3id.org/newskg/id/org/b6fe1e59bac72678',
       'visit': 'https://w3id.org/newskg/id/event/71c3d45aa90588cb'},
      {'office': '新港办事处',
       'site': '北街村',
       'position': 3,
       'date': '--06-22',
       'kind': 'observation',
       'article': 'page-000-a1',
       'site_iri': 'https://w3id.org/newskg/id/org/b2a6e7104f321952',
       'visit': 'https://w3id.org/newskg/id/event/71c3d45aa90588cb'},
      {'office': '新港办事处',
       'site': '国药诺达集团',
       'position': 1,
       'date': '--06-28',
       'kind': 'observation',
       'article': 'page-000-a5',
       'site_iri': 'https://w3id.org/newskg/id/org/d1a1063e98ade76d',
       'visit': 'https://w3id.org/newskg/id/event/5c6209451d7db763'},
      {'office': '新港办事处',
       'site': '天时路社区党群服务中心',
       'position': 2,
       'date': '--06-28',
       'kind': 'observation',
       'article': 'page-000-a5',
       'site_iri': 'https://w3id.org/newskg/id/org/54f101eb89e3c390',
       'visit': 'https://w3id.org/newskg/id/event/5c6209451d7db763'},
      {'office': '新港办事处',
       'site': '联盟新城社区',
       'position': 3,
       'date': '--06-28',
       'kind': 'observation',
       'article': 'page-000-a5',
       'site_iri': 'https://w3id.org/newskg/id/org/d2d58365a4c9bd44',
       'visit': 'https://w3id.org/newskg/id/event/5c6209451d7db763'}]),
    ('offices_that_visited', {'site': '联盟新城社区'},
     [{'site': '联盟新城社区',
       'office': '新港办事处',
       'date': '--06-28',
       'article': 'page-000-a5',
       'office_iri': 'https://w3id.org/newskg/id/org/9cbafcd8e2cb676b',
       'visit': 'https://w3id.org/newskg/id/event/5c6209451d7db763',
       'position': 3}]),
    ('officials_of', {'organisation': '如意湖街道办事处'},
     [{'organisation': '如意湖办事处', 'person': '杨建强', 'title': '主任', 'article': 'page-000-a5'}]),
    ('office_visits_in_range', {'office': '新港办事处', 'date_from': '--06-25', 'date_to': '2022-06-30'},
     [{'office': '新港办事处',
       'date': '--06-28',
       'kind': 'observation',
       'site': '国药诺达集团',
       'position': 1,
       'article': 'page-000-a5',
       'visit': 'https://w3id.org/newskg/id/event/5c6209451d7db763'},
      {'office': '新港办事处',
       'date': '--06-28',
       'kind': 'observation',
       'site': '天时路社区党群服务中心',
       'position': 2,
       'article': 'page-000-a5',
       'visit': 'https://w3id.org/newskg/id/event/5c6209451d7db763'},
      {'office': '新港办事处',
       'date': '--06-28',
       'kind': 'observation',
       'site': '联盟新城社区',
       'position': 3,
       'article': 'page-000-a5',
       'visit': 'https://w3id.org/newskg/id/event/5c6209451d7db763'}]),
    ('office_timeline', {'office': '新港办事处'},
     [{'office': '新港办事处',
       'date': '--06-22',
       'kind': 'observation',
       'activity': 'https://w3id.org/newskg/id/event/71c3d45aa90588cb',
       'sites': ['柿园吴村', '寺王村', '北街村'],
       'leaders': [],
       'campaigns': ['三学三提升创五星支部亮赛比'],
       'article': 'page-000-a1',
       'headline': '开展“三学三提升创‘五星’支部亮赛比”观摩比学活动'},
      {'office': '新港办事处',
       'date': '--06-24',
       'kind': 'lecture',
       'activity': 'https://w3id.org/newskg/id/event/e4f1bf1a3e0bad33',
       'sites': [],
       'leaders': ['路智永'],
       'campaigns': [],
       'article': 'page-000-a4',
       'headline': '党工委书记讲“草地党支部”的故事'},
      {'office': '新港办事处',
       'date': '--06-28',
       'kind': 'observation',
       'activity': 'https://w3id.org/newskg/id/event/5c6209451d7db763',
       'sites': ['国药诺达集团', '天时路社区党群服务中心', '联盟新城社区'],
       'leaders': ['程晖'],
       'campaigns': ['三学三提升', '能力作风建设年'],
       'article': 'page-000-a5',
       'headline': '学亮点 找差距 补短板 促提升'},
      {'office': '新港办事处',
       'date': '--06-28',
       'kind': 'meeting',
       'activity': 'https://w3id.org/newskg/id/event/ff914e6f7f76fb29',
       'sites': ['联盟新城社区'],
       'leaders': [],
       'campaigns': [],
       'article': 'page-000-a5',
       'headline': '学亮点 找差距 补短板 促提升'}]),
    ('person_activities', {'person': '路智永'},
     [{'person': '路智永',
       'role': 'post',
       'title': '党工委书记',
       'organisation': '新港办事处',
       'kind': None,
       'date': None,
       'activity': None,
       'article': 'page-000-a1'},
      {'person': '路智永',
       'role': 'post',
       'title': '党工委书记',
       'organisation': '新港办事处',
       'kind': None,
       'date': None,
       'activity': None,
       'article': 'page-000-a4'},
      {'person': '路智永',
       'role': 'leader',
       'title': None,
       'organisation': '新港办事处',
       'kind': 'lecture',
       'date': '--06-24',
       'activity': 'https://w3id.org/newskg/id/event/e4f1bf1a3e0bad33',
       'article': 'page-000-a4'}]),
    ('fact_provenance', {'fact': 'c0357b7fdfc7b0a7'},
     [{'fact': 'c0357b7fdfc7b0a7',
       'subject': 'https://w3id.org/newskg/id/event/0d3d32a626f4ed80',
       'subject_name': None,
       'predicate': 'organizer',
       'object': 'https://w3id.org/newskg/id/org/5ca28f42f6c91734',
       'article': 'page-000-a2',
       'headline': '“五星”支部创建争相出彩',
       'start': 36,
       'end': 73,
       'text': '三官庙办事处举办2022年第二季度“三学三提升 创五星亮赛比”观摩比学活动',
       'annotated_by': 'human',
       'confidence': 1.0}]),
    ('visits', {'date_from': '--06-23', 'limit': 2},
     [{'visit': 'https://w3id.org/newskg/id/event/5c6209451d7db763',
       'kind': 'observation',
       'date': '--06-28',
       'organizers': [{'iri': 'https://w3id.org/newskg/id/org/9cbafcd8e2cb676b', 'name': '新港办事处'}],
       'sites': [{'iri': 'https://w3id.org/newskg/id/org/d1a1063e98ade76d', 'name': '国药诺达集团', 'position': 1},
                 {'iri': 'https://w3id.org/newskg/id/org/54f101eb89e3c390', 'name': '天时路社区党群服务中心', 'position': 2},
                 {'iri': 'https://w3id.org/newskg/id/org/d2d58365a4c9bd44', 'name': '联盟新城社区', 'position': 3}],
       'leaders': [{'iri': 'https://w3id.org/newskg/id/person/9b624104fd845dfe', 'name': '程晖'}],
       'participants': None,
       'participant_count': None,
       'article': 'page-000-a5',
       'headline': '学亮点 找差距 补短板 促提升'},
      {'visit': 'https://w3id.org/newskg/id/event/0d3d32a626f4ed80',
       'kind': 'observation',
       'date': '--06-29',
       'organizers': [{'iri': 'https://w3id.org/newskg/id/org/5ca28f42f6c91734', 'name': '三官庙办事处'}],
       'sites': [{'iri': 'https://w3id.org/newskg/id/org/abfaff1fe59905e6', 'name': '教场王村', 'position': 1},
                 {'iri': 'https://w3id.org/newskg/id/org/77d1a96ec91626cd', 'name': '小辛庄村', 'position': 2},
                 {'iri': 'https://w3id.org/newskg/id/org/0a0e34ebd07fc11b', 'name': '祥符村', 'position': 3}],
       'leaders': [],
       'participants': '60余人',
       'participant_count': 60,
       'article': 'page-000-a2',
       'headline': '“五星”支部创建争相出彩'}]),
]


@pytest.mark.parametrize(("name", "params", "expected"), CASES, ids=[c[0] for c in CASES])
def test_named_query_rows(loaded_store, name, params, expected):
    result = LIB.get(name).run(loaded_store, params)
    assert result.columns == list(LIB.get(name).columns)
    assert result.rows == expected


# Two offices that visit each other's places, and a site both visit: made-up names, added to
# the sample for the tests of the cross-office queries and removed afterwards.
_EXTRA = """
CREATE (a:Resource:Office {iri: 'urn:test:office-a', name: '甲办事处'})
CREATE (b:Resource:Office {iri: 'urn:test:office-b', name: '乙办事处'})
CREATE (va:Resource:Village {iri: 'urn:test:village-a', name: '甲村'})-[:partOf {fact: 'fa'}]->(a)
CREATE (vb:Resource:Village {iri: 'urn:test:village-b', name: '乙村'})-[:partOf {fact: 'fb'}]->(b)
CREATE (shared:Resource:Site {iri: 'urn:test:site-s', name: '丙公园'})
CREATE (v1:Resource:Activity:Visit {iri: 'urn:test:visit-1', date: '--05-01'})-[:organizer {fact: 'f1'}]->(a)
CREATE (v1)-[:visitedSite {fact: 'f2', position: 1}]->(vb)
CREATE (v1)-[:visitedSite {fact: 'f3', position: 2}]->(shared)
CREATE (v2:Resource:Activity:Visit {iri: 'urn:test:visit-2', date: '--05-02'})-[:organizer {fact: 'f4'}]->(b)
CREATE (v2)-[:visitedSite {fact: 'f5', position: 1}]->(va)
CREATE (v2)-[:visitedSite {fact: 'f6', position: 2}]->(shared)
"""


@pytest.fixture
def with_extra(loaded_store):
    with loaded_store.transaction() as tx:
        tx.run(_EXTRA)
    yield loaded_store
    with loaded_store.transaction() as tx:
        tx.run("MATCH (n:Resource) WHERE n.iri STARTS WITH 'urn:test:' DETACH DELETE n")


def test_cross_office_queries_are_empty_on_the_sample(loaded_store):
    assert LIB.get("sites_visited_by_several_offices").run(loaded_store).rows == []
    assert LIB.get("offices_visiting_each_other").run(loaded_store).rows == []


def test_sites_visited_by_several_offices(with_extra):
    rows = LIB.get("sites_visited_by_several_offices").run(with_extra).rows
    assert rows == [{"site": "丙公园", "site_iri": "urn:test:site-s", "offices": ["乙办事处", "甲办事处"],
                     "visits": 2}]


def test_offices_visiting_each_other(with_extra):
    rows = LIB.get("offices_visiting_each_other").run(with_extra).rows
    assert rows == [{"office_a": "甲办事处", "office_b": "乙办事处", "a_visited": ["乙村"], "b_visited": ["甲村"]}]


def test_visits_pages_with_the_key_of_the_last_row(loaded_store):
    q = LIB.get("visits")
    everything = [r["visit"] for r in q.run(loaded_store).rows]
    assert len(everything) == 4
    first = q.run(loaded_store, {"limit": 2}).rows
    rest = q.run(loaded_store, {"after_date": first[-1]["date"], "after_visit": first[-1]["visit"]}).rows
    assert [r["visit"] for r in first + rest] == everything


def test_visits_filters(loaded_store):
    q = LIB.get("visits")
    assert [r["date"] for r in LIB.get("visits_by_organizer").run(loaded_store, {"organizer": "新港办事处"}).rows] \
        == ["--06-22", "--06-28"]
    assert [r["date"] for r in LIB.get("visits_at_site").run(loaded_store, {"site": "寺王村"}).rows] == ["--06-22"]
    assert q.run(loaded_store, {"kind": "inspection"}).rows == []
    assert [r["date"] for r in q.run(loaded_store, {"date_to": "2022-06-28"}).rows] == ["--06-22", "--06-28"]


# The visits question started from its organizer or site: the same rows as `visits` with that filter,
# for every combination of the other filters, and the same keyset paging.
VARIANT_FILTERS = [{}, {"kind": "observation"}, {"kind": "inspection"}, {"date_from": "--06-25"},
                   {"date_to": "2022-06-28"}, {"limit": 1}, {"after_date": "--06-22", "after_visit": ""},
                   {"after_date": "~", "after_visit": ""}]


@pytest.mark.parametrize("name, param, values", [
    ("visits_by_organizer", "organizer", ["新港办事处", "https://w3id.org/newskg/id/org/9cbafcd8e2cb676b",
                                          "三官庙办事处", "no such office"]),
    ("visits_at_site", "site", ["寺王村", "https://w3id.org/newskg/id/org/b6fe1e59bac72678", "祥符村", "nowhere"]),
])
def test_visits_variants_give_the_rows_of_visits(loaded_store, name, param, values):
    key = {"organizer": "organizers", "site": "sites"}[param]
    for value in values:
        for extra in VARIANT_FILTERS:
            limit = extra.get("limit", 100)
            everything = LIB.get("visits").run(loaded_store, {**extra, "limit": 100}).rows
            expected = [r for r in everything if any(value in (x["iri"], x["name"]) for x in r[key])][:limit]
            assert LIB.get(name).run(loaded_store, {param: value, **extra}).rows == expected, (value, extra)
    both = {"organizer": "新港办事处", "site": "寺王村"}
    assert ([r["visit"] for r in LIB.get("visits_by_organizer").run(loaded_store, both).rows]
            == [r["visit"] for r in LIB.get("visits_at_site").run(loaded_store, both).rows]
            == ["https://w3id.org/newskg/id/event/71c3d45aa90588cb"])


OWN = {"villages_visited_by_office", "sites_visited_by_office", "offices_that_visited", "officials_of",
       "office_visits_in_range", "office_timeline", "person_activities", "sites_visited_by_several_offices",
       "offices_visiting_each_other", "fact_provenance", "visits", "visits_by_organizer", "visits_at_site"}


def test_every_query_of_this_suite_is_tested():
    # queries/ also holds queries tested elsewhere (e.g. the facts_* exports); these are ours
    tested = {c[0] for c in CASES} | {"sites_visited_by_several_offices", "offices_visiting_each_other",
                                      "visits_by_organizer", "visits_at_site"}
    assert tested == OWN and OWN <= set(LIB.queries)


def test_bad_parameter_is_refused_before_the_store():
    with pytest.raises(QueryError, match="limit"):
        LIB.get("visits").bind({"limit": "many"})
