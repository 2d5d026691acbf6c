"""The explorer in a real browser (chromium via Playwright), on both stores with the sample page
loaded: one server per store for the module, a fresh page per test. Every page must work with
every request off this machine refused, and without a script error."""

from __future__ import annotations

import httpx
import pytest

from api.main import create_app
from kg.config import Settings
from tests.support.browser import checked_page, serve_app

pytestmark = pytest.mark.store

KEY = "browser-test-key"
XINGANG = "org-9cbafcd8e2cb676b"     # 新港办事处
DISTRICT = "org-42aa25f0a046775c"    # 航空港实验区, where the sample's offices are
ARTICLE = "page-000-a1"              # 新港办事处's observation of three villages


@pytest.fixture(scope="module")
def explorer(loaded_store):
    with serve_app(create_app(Settings(KG_API_KEYS=[KEY]), store=loaded_store)) as base:
        yield base


@pytest.fixture
def page(chromium, explorer):
    with checked_page(chromium) as pg:
        yield pg


def api(base: str, path: str, **params) -> dict:
    r = httpx.get(base + "/api/v1/" + path, params=params, timeout=30)
    r.raise_for_status()
    return r.json()


def visit(page, base: str, hash_: str, view: str):
    page.goto(base + "/" + hash_)
    page.wait_for_selector(f"body[data-ready='{view}']")


def test_first_view_shows_offices_with_the_sites_they_visited(page, explorer):
    visit(page, explorer, "", "home")
    office = page.locator(f".office[data-id='{XINGANG}']")
    assert office.locator("h3 a.entity").inner_text() == "新港办事处"
    assert "柿园吴村" in office.locator(".visit").first.inner_text()
    assert page.locator(".office").count() == len(api(explorer, "offices")["items"])


def test_search_opens_the_office_and_its_three_villages(page, explorer):
    visit(page, explorer, "", "home")
    page.fill("#search-box", "新港")
    page.press("#search-box", "Enter")
    page.wait_for_selector("body[data-ready='search']")
    page.locator(".results a.entity", has_text="新港办事处").click()
    page.wait_for_selector("body[data-ready='entity']")
    assert page.locator("h1.entity-name").inner_text().startswith("新港办事处")
    villages = page.locator(".visited-sites .site[data-type='Village'] a.entity").all_inner_texts()
    assert villages == ["柿园吴村", "寺王村", "北街村"]
    assert page.url.endswith(f"#/entity/{XINGANG}")  # a link to share


def test_search_filters_by_type_with_its_chinese_and_english_labels(page, explorer):
    visit(page, explorer, "#/search?q=新港", "search")
    option = page.locator("select[name='type'] option[value='Office']")
    labels = {c["name"]: c for c in _classes(api(explorer, "ontology")["classes"])}
    assert option.inner_text() == f"{labels['Office']['label_zh']} {labels['Office']['label_en']}"
    page.select_option("select[name='type']", "Village")
    page.click(".filters button[type='submit']")
    page.wait_for_selector("body[data-ready='search'] .results .empty")
    assert "type=Village" in page.url


def _classes(nodes):
    for c in nodes:
        if "/newskg/" in c["iri"]:
            yield c
        yield from _classes(c["children"])


def test_clicking_a_visit_highlights_its_exact_evidence(page, explorer):
    article = api(explorer, f"articles/{ARTICLE}")
    fact = next(f for f in article["facts"]
                if f["predicate"] == "visitedSite" and f["object"]["name"] == "柿园吴村")
    (evidence,) = fact["evidence"]
    assert article["text"][evidence["start"]:evidence["end"]] == evidence["text"]
    visit(page, explorer, f"#/article/{ARTICLE}", "article")
    assert page.locator("mark.sel").count() == 0
    row = page.locator(f"li.fact[data-fact='{fact['fact']}']")
    assert evidence["annotated_by"] in row.inner_text()
    row.click()
    assert "".join(page.locator("mark.sel").all_inner_texts()) == evidence["text"]
    assert page.locator("#selected-text").text_content() == evidence["text"]
    assert "sel" in row.get_attribute("class")
    assert f"fact={fact['fact']}" in page.url  # the selection is a link too


def test_an_article_link_with_a_fact_opens_with_it_selected(page, explorer):
    article = api(explorer, f"articles/{ARTICLE}")
    fact = next(f for f in article["facts"] if f["predicate"] == "organizer")
    visit(page, explorer, f"#/article/{ARTICLE}?fact={fact['fact']}", "article")
    assert page.locator("li.fact.sel").get_attribute("data-fact") == fact["fact"]
    assert "".join(page.locator("mark.sel").all_inner_texts()) == fact["evidence"][0]["text"]


def _tap(page, element_id: str, where: str = "renderedPosition"):
    box = page.locator("#cy").bounding_box()
    pos = page.evaluate(f"id => window.explorerGraph.$id(id).{where}()", element_id)
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


def _node_ids(graph: dict) -> set[str]:
    return {n["data"]["id"] for n in graph["elements"]["nodes"]}


def test_graph_expands_a_tapped_node(page, explorer):
    centre = api(explorer, "graph", id=XINGANG, depth=1)
    around = api(explorer, "graph", id=DISTRICT, depth=1)
    assert DISTRICT in _node_ids(centre) and _node_ids(around) - _node_ids(centre)
    visit(page, explorer, f"#/graph/{XINGANG}?depth=1", "graph")
    count = page.locator("#graph-count")
    assert count.get_attribute("data-nodes") == str(len(_node_ids(centre)))
    _tap(page, DISTRICT)
    expected = str(len(_node_ids(centre) | _node_ids(around)))
    page.wait_for_selector(f"#graph-count[data-nodes='{expected}']")
    assert page.locator(".panel h3").inner_text().startswith("航空港实验区")


def test_graph_depth_is_in_the_link(page, explorer):
    deeper = api(explorer, "graph", id=XINGANG, depth=2)
    visit(page, explorer, f"#/graph/{XINGANG}?depth=2", "graph")
    assert page.locator("#graph-count").get_attribute("data-nodes") == str(len(_node_ids(deeper)))


def test_tapping_an_edge_lists_the_articles_behind_it(page, explorer):
    centre = api(explorer, "graph", id=XINGANG, depth=1)
    edge = next(e["data"] for e in centre["elements"]["edges"]
                if e["data"]["label"] == "partOf" and e["data"]["source"] == XINGANG)
    visit(page, explorer, f"#/graph/{XINGANG}?depth=1", "graph")
    _tap(page, edge["id"], "renderedMidpoint")
    page.wait_for_selector(".panel ul.evidence a.article")
    provenance = api(explorer, "queries/fact_provenance", fact=edge["fact"])["rows"]
    shown = page.locator(".panel ul.evidence a.article").evaluate_all("as => as.map(a => a.dataset.article)")
    assert shown == [r["article"] for r in provenance]


def test_a_named_query_runs_from_its_form(page, explorer):
    expected = api(explorer, "queries/officials_of", organisation="新港办事处")["rows"]
    assert expected
    visit(page, explorer, "#/queries", "queries")
    page.locator("a.query-name", has_text="officials_of").click()
    page.wait_for_selector("body[data-ready='query'] #param-organisation")
    page.fill("#param-organisation", "新港办事处")
    page.click(".query-form button[type='submit']")
    page.wait_for_selector(f".query-result .count[data-rows='{len(expected)}']")
    persons = page.locator(".query-result table.rows tbody tr td:nth-child(2)").all_inner_texts()
    assert persons == [r["person"] for r in expected]
    assert "organisation=" in page.url  # the filled-in form is a link


def test_the_console_refuses_a_write_and_keeps_the_key_in_the_session(page, explorer, loaded_store):
    visit(page, explorer, "#/cypher", "cypher")
    page.fill("input[name='key']", KEY)
    page.fill("textarea[name='query']", "CREATE (n:Intruder {name: '闯入者'}) RETURN n")
    page.click(".cypher-form button[type='submit']")
    problem = page.wait_for_selector(".cypher-result .problem")
    assert problem.get_attribute("data-status") == "403"
    assert loaded_store.read("MATCH (n:Intruder) RETURN count(n) AS n").rows == [{"n": 0}]
    assert page.evaluate("sessionStorage.getItem('newskg.apiKey')") == KEY
    assert page.evaluate("localStorage.length") == 0


def test_the_console_draws_nodes_and_relationships(page, explorer, loaded_store):
    (expected,) = loaded_store.read("MATCH (v:Visit)-[:visitedSite]->(s:Village) "
                                    "RETURN count(DISTINCT v) + count(DISTINCT s) AS n").rows
    visit(page, explorer, "#/cypher", "cypher")
    page.fill("input[name='key']", KEY)
    page.fill("textarea[name='query']", "MATCH (v:Visit)-[r:visitedSite]->(s:Village) RETURN v, r, s")
    page.click(".cypher-form button[type='submit']")
    graph = page.wait_for_selector("#cypher-graph")
    assert graph.get_attribute("data-nodes") == str(expected["n"])
    assert page.locator(".cypher-result table.rows tbody tr").count() > 0
