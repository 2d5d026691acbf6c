"""The query API on both stores, with the sample page loaded."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from kg.config import Settings
from kg.rdf.identity import short_id

pytestmark = pytest.mark.store

KEY = "test-key"
XINGANG = "org-9cbafcd8e2cb676b"        # 新港办事处
SIWANG = "org-b6fe1e59bac72678"         # 寺王村
PROBLEM = "application/problem+json"


def settings(**extra) -> Settings:
    return Settings(KG_API_KEYS=[KEY], KG_CORS_ORIGINS=["https://frontend.example"], **extra)


@pytest.fixture(scope="module")
def client(loaded_store):
    with TestClient(create_app(settings(), store=loaded_store)) as c:
        yield c


def assert_problem(r, status: int, parameter: str | None = None):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == status
    if parameter:
        assert parameter in [e["parameter"] for e in body["errors"]], body
        assert parameter in body["detail"]
    return body


def test_health_and_ready(client, loaded_store):
    assert client.get("/healthz").json()["status"] == "ok"
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json()["store"] == loaded_store.name


def test_openapi_lists_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ["/healthz", "/readyz", "/api/v1/entities", "/api/v1/entities/{id}", "/api/v1/visits",
                 "/api/v1/offices/{id}/visited-sites", "/api/v1/sites/{id}/visitors", "/api/v1/articles/{id}",
                 "/api/v1/graph", "/api/v1/queries", "/api/v1/queries/{name}", "/api/v1/cypher"]:
        assert path in paths, path
    assert set(paths["/api/v1/queries/{name}"]) == {"get", "post"}


def test_entity_search_by_type_and_name(client):
    r = client.get("/api/v1/entities", params={"type": "Office", "q": "新港"})
    assert r.status_code == 200
    items = r.json()["items"]
    assert [(i["id"], i["name"], i["type"]) for i in items] == [(XINGANG, "新港办事处", "Office")]
    assert items[0]["iri"].endswith("/org/9cbafcd8e2cb676b")
    # an alias finds the entity too
    r = client.get("/api/v1/entities", params={"q": "如意湖街道"})
    assert [i["name"] for i in r.json()["items"]] == ["如意湖办事处"]


def test_entity_search_pages_with_an_opaque_cursor(client):
    everything = [i["id"] for i in client.get("/api/v1/entities", params={"type": "Office"}).json()["items"]]
    assert len(everything) == 6
    seen, cursor = [], None
    while True:
        body = client.get("/api/v1/entities", params={"type": "Office", "limit": 4, "cursor": cursor}).json()
        seen += [i["id"] for i in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == everything


def test_entity_search_bad_parameters(client):
    assert_problem(client.get("/api/v1/entities", params={"type": "Nonsense"}), 422, "type")
    assert_problem(client.get("/api/v1/entities", params={"cursor": "!!"}), 422, "cursor")
    assert_problem(client.get("/api/v1/entities", params={"limit": 0}), 422, "limit")


def test_entity_with_links_and_their_articles(client):
    body = client.get(f"/api/v1/entities/{XINGANG}").json()
    assert body["name"] == "新港办事处" and body["type"] == "Office"
    assert "Organization" in body["labels"]
    part_of = [link for link in body["links"] if link["type"] == "partOf"]
    assert [(link["direction"], link["target"]["name"]) for link in part_of] == [("out", "航空港实验区")]
    assert [a["id"] for a in part_of[0]["articles"]] == ["page-000-a1", "page-000-a4", "page-000-a5"]
    organised = [link for link in body["links"] if link["type"] == "organizer"]
    assert len(organised) == 4 and all(link["direction"] == "in" and link["articles"] for link in organised)
    assert {link["target"]["type"] for link in organised} == {"Observation", "Meeting", "Lecture"}


def test_unknown_ids_are_404(client):
    for url in ["/api/v1/entities/org-0000000000000000", "/api/v1/entities/nonsense",
                "/api/v1/offices/org-0000000000000000/visited-sites", "/api/v1/sites/x/visitors",
                "/api/v1/articles/no-such-article", "/api/v1/graph?id=org-0000000000000000",
                "/api/v1/queries/no_such_query"]:
        assert_problem(client.get(url), 404)


def test_visits(client):
    body = client.get("/api/v1/visits").json()
    assert [(v["date"], v["organizers"][0]["name"]) for v in body["items"]] == [
        ("--06-22", "新港办事处"), ("--06-28", "新港办事处"), ("--06-29", "三官庙办事处"), ("--07-05", "明港办事处")]
    first = body["items"][0]
    assert [(s["position"], s["name"]) for s in first["sites"]] == [(1, "柿园吴村"), (2, "寺王村"), (3, "北街村")]
    assert first["participants"] == "30余人" and first["participant_count"] == 30
    assert first["articles"] == [{"id": "page-000-a1", "headline": "开展“三学三提升创‘五星’支部亮赛比”观摩比学活动"}]
    assert first["kind"] == "observation" and first["id"].startswith("event-")
    second = body["items"][1]
    assert [p["name"] for p in second["leaders"]] == ["程晖"]


def test_visits_filters_and_paging(client):
    by_id = client.get("/api/v1/visits", params={"organizer": XINGANG}).json()["items"]
    by_name = client.get("/api/v1/visits", params={"organizer": "新港办事处"}).json()["items"]
    assert [v["id"] for v in by_id] == [v["id"] for v in by_name] and len(by_id) == 2
    # a name in another form identity folds (spaces, the 街道 form of an office) finds the same office
    for form in ["新港 办事处", "新港街道办事处", "新港街道"]:
        assert [v["id"] for v in client.get("/api/v1/visits", params={"organizer": form}).json()["items"]] == \
            [v["id"] for v in by_id], form
    assert len(client.get("/api/v1/visits", params={"site": SIWANG}).json()["items"]) == 1
    ranged = client.get("/api/v1/visits", params={"from": "--06-25", "to": "2022-06-30"}).json()["items"]
    assert [v["date"] for v in ranged] == ["--06-28", "--06-29"]
    assert client.get("/api/v1/visits", params={"kind": "inspection"}).json()["items"] == []
    page1 = client.get("/api/v1/visits", params={"limit": 3}).json()
    page2 = client.get("/api/v1/visits", params={"limit": 3, "cursor": page1["next_cursor"]}).json()
    assert len(page1["items"]) == 3 and len(page2["items"]) == 1 and page2["next_cursor"] is None
    assert page2["items"][0]["date"] == "--07-05"


def test_visits_bad_parameters_name_the_parameter(client):
    assert_problem(client.get("/api/v1/visits", params={"from": "June"}), 422, "from")
    assert_problem(client.get("/api/v1/visits", params={"kind": "party"}), 422, "kind")
    assert_problem(client.get("/api/v1/visits", params={"limit": "many"}), 422, "limit")


def test_visited_sites_and_visitors(client):
    body = client.get(f"/api/v1/offices/{XINGANG}/visited-sites").json()
    assert body["office"]["name"] == "新港办事处"
    assert [(s["date"], s["position"], s["site"]["name"]) for s in body["sites"]] == [
        ("--06-22", 1, "柿园吴村"), ("--06-22", 2, "寺王村"), ("--06-22", 3, "北街村"),
        ("--06-28", 1, "国药诺达集团"), ("--06-28", 2, "天时路社区党群服务中心"), ("--06-28", 3, "联盟新城社区")]
    body = client.get(f"/api/v1/sites/{SIWANG}/visitors").json()
    assert body["site"]["name"] == "寺王村"
    assert [(v["office"]["id"], v["date"], v["article"]) for v in body["visitors"]] == [
        (XINGANG, "--06-22", "page-000-a1")]


def test_article_with_facts_and_spans(client):
    body = client.get("/api/v1/articles/page-000-a1").json()
    assert body["id"] == "page-000-a1" and body["byline"].startswith("记者")
    assert [p["name"] for p in body["reporters"]] == ["王军方"]
    assert body["facts"]
    text = body["text"]
    for fact in body["facts"]:
        for span in fact["evidence"]:
            assert text[span["start"]:span["end"]] == span["text"], (fact["predicate"], span)
    visited = [f for f in body["facts"] if f["predicate"] == "visitedSite"]
    assert {f["object"]["name"] for f in visited} == {"柿园吴村", "寺王村", "北街村"}


def test_graph_is_cytoscape_elements(client):
    body = client.get("/api/v1/graph", params={"id": XINGANG, "depth": 2, "limit": 50}).json()
    nodes, edges = body["elements"]["nodes"], body["elements"]["edges"]
    ids = {n["data"]["id"] for n in nodes}
    assert XINGANG in ids and all({"id", "label"} <= set(n["data"]) for n in nodes)
    assert edges and all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
    assert len({e["data"]["id"] for e in edges}) == len(edges)
    one = client.get("/api/v1/graph", params={"id": XINGANG}).json()["elements"]["nodes"]
    assert len(one) < len(nodes)
    small = client.get("/api/v1/graph", params={"id": XINGANG, "depth": 3, "limit": 5}).json()
    assert len(small["elements"]["nodes"]) == 5 and small["truncated"]
    assert_problem(client.get("/api/v1/graph", params={"id": XINGANG, "depth": 4}), 422, "depth")


def test_named_queries_listed_and_run(client):
    listed = {q["name"]: q for q in client.get("/api/v1/queries").json()}
    assert {"visits", "office_timeline", "fact_provenance", "officials_of"} <= set(listed)
    assert [p["name"] for p in listed["officials_of"]["parameters"]] == ["organisation"]
    r = client.get("/api/v1/queries/officials_of", params={"organisation": "如意湖办事处"})
    assert r.json()["rows"] == [{"organisation": "如意湖办事处", "person": "杨建强", "title": "主任",
                                 "article": "page-000-a5"}]
    r = client.post("/api/v1/queries/office_timeline", json={"parameters": {"office": XINGANG_IRI}})
    assert [row["kind"] for row in r.json()["rows"]] == ["observation", "lecture", "observation", "meeting"]


XINGANG_IRI = "https://w3id.org/newskg/id/org/9cbafcd8e2cb676b"


def test_named_query_bad_parameters_name_the_parameter(client):
    assert_problem(client.get("/api/v1/queries/officials_of"), 422, "organisation")
    assert_problem(client.get("/api/v1/queries/officials_of", params={"organisation": "x", "colour": "red"}),
                   422, "colour")
    assert_problem(client.post("/api/v1/queries/visits", json={"parameters": {"limit": "many"}}), 422, "limit")
    assert_problem(client.post("/api/v1/queries/visits", json={"parameters": {"limit": [1]}}), 422, "limit")


def test_cypher_needs_a_key(client):
    query = {"query": "MATCH (n:Office) RETURN count(n) AS n"}
    assert_problem(client.post("/api/v1/cypher", json=query), 401)
    assert_problem(client.post("/api/v1/cypher", json=query, headers={"X-API-Key": "wrong"}), 401)
    r = client.post("/api/v1/cypher", json=query, headers={"X-API-Key": KEY})
    assert r.status_code == 200 and r.json() == {"columns": ["n"], "rows": [{"n": 6}], "truncated": False}


def test_cypher_with_parameters_and_row_cap(loaded_store):
    with TestClient(create_app(settings(KG_QUERY_ROW_CAP=2), store=loaded_store)) as c:
        r = c.post("/api/v1/cypher", headers={"X-API-Key": KEY},
                   json={"query": "MATCH (n:Resource) WHERE n.name STARTS WITH $p RETURN n.name AS name "
                                  "ORDER BY name", "parameters": {"p": "新"}})
        assert r.json() == {"columns": ["name"], "rows": [{"name": "新港办事处"}], "truncated": False}
        r = c.post("/api/v1/cypher", headers={"X-API-Key": KEY}, json={"query": "MATCH (n:Office) RETURN n.name"})
        assert len(r.json()["rows"]) == 2 and r.json()["truncated"] is True


@pytest.mark.parametrize("query, kind", [
    ("CREATE (n:Intruder {name: 'x'}) RETURN n", "read-only"),
    ("MATCH (n:Office) SET n.name = 'x' RETURN n", "read-only"),
    ("MATCH (n:Office) DETACH DELETE n", "read-only"),
    ("MERGE (n:Intruder {name: 'x'})", "read-only"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", "query-refused"),
    ("SHOW TRANSACTIONS", "query-refused"),
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "query-refused"),
    ("CALL dbms.listConfig()", "query-refused"),
])
def test_cypher_beyond_reading_is_403_and_changes_nothing(client, query, kind):
    before = client.post("/api/v1/cypher", headers={"X-API-Key": KEY},
                         json={"query": "MATCH (n) RETURN count(n) AS n"}).json()["rows"]
    body = assert_problem(client.post("/api/v1/cypher", headers={"X-API-Key": KEY}, json={"query": query}), 403)
    assert body["type"].endswith("/" + kind)
    after = client.post("/api/v1/cypher", headers={"X-API-Key": KEY},
                        json={"query": "MATCH (n) RETURN count(n) AS n"}).json()["rows"]
    assert before == after
    names = client.post("/api/v1/cypher", headers={"X-API-Key": KEY},
                        json={"query": "MATCH (n:Office) RETURN n.name AS n ORDER BY n"}).json()["rows"]
    assert "x" not in [r["n"] for r in names]


def test_cypher_too_long_or_too_nested_is_422(client):
    deep = "RETURN " + "(" * 30 + "1" + ")" * 30
    body = assert_problem(client.post("/api/v1/cypher", headers={"X-API-Key": KEY}, json={"query": deep}), 422)
    assert body["type"].endswith("/query-too-complex") and "KG_CYPHER_MAX_DEPTH" in body["detail"]
    long = "RETURN 1" + " " * 15_000
    body = assert_problem(client.post("/api/v1/cypher", headers={"X-API-Key": KEY}, json={"query": long}), 422)
    assert "KG_CYPHER_MAX_CHARS" in body["detail"]


def test_cypher_syntax_error_is_400(client):
    assert_problem(client.post("/api/v1/cypher", headers={"X-API-Key": KEY}, json={"query": "MATCH (n"}), 400)
    assert_problem(client.post("/api/v1/cypher", headers={"X-API-Key": KEY}, json={"query": ""}), 422, "query")


def test_parameters_never_reach_cypher_as_text(client):
    hostile = ["' OR 1=1 //", "x}) DETACH DELETE n //", "新港\") RETURN 1 //"]
    for text in hostile:
        assert client.get("/api/v1/entities", params={"q": text}).json()["items"] == []
        assert client.get("/api/v1/visits", params={"organizer": text}).json()["items"] == []
        assert client.get("/api/v1/queries/officials_of", params={"organisation": text}).json()["rows"] == []
    assert len(client.get("/api/v1/entities", params={"type": "Office"}).json()["items"]) == 6


def test_cors_origins_from_settings(client):
    r = client.options("/api/v1/visits", headers={"Origin": "https://frontend.example",
                                                  "Access-Control-Request-Method": "GET"})
    assert r.headers.get("access-control-allow-origin") == "https://frontend.example"
    r = client.get("/healthz", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in r.headers


def test_ids_are_short_ids_of_the_iris(client):
    for item in client.get("/api/v1/entities", params={"type": "Village"}).json()["items"]:
        assert item["id"] == short_id(item["iri"])
        assert client.get(f"/api/v1/entities/{item['id']}").json()["iri"] == item["iri"]


def test_class_hierarchy_is_read_again_after_its_time_to_live(sample_store, monkeypatch):
    from kg.ask import lookup as lookup_module
    from kg.ask.lookup import Lookup
    from kg.ask.queries import QueryLibrary
    from kg.config import get_settings

    lk = Lookup(sample_store, QueryLibrary.load(get_settings().queries_dir))
    assert "Visit" in lk.class_parents()["Observation"]
    reads = []
    real_read = lk.read
    monkeypatch.setattr(lk, "read", lambda *a, **k: reads.append(a) or real_read(*a, **k))
    lk.class_parents()
    assert reads == []  # cached
    monkeypatch.setattr(lookup_module.time, "monotonic", lambda: lk._parents_read_at + lookup_module.PARENTS_TTL_S + 1)
    assert "Visit" in lk.class_parents()["Observation"]
    assert len(reads) == 1  # read again from the store
