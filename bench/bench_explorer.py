"""Speed of the explorer in a real browser (not a test): the first view, a 500-node neighbourhood,
paging the visits table.

    NEO4J_TEST_PAGECACHE_MB=2048 scripts/neo4j-test-server start --port 7698 --dir /tmp/n4jbench
    KG_STORE=neo4j NEO4J_URI=bolt://127.0.0.1:7698 .venv/bin/python -m bench.bench_explorer --articles 10000
    KG_DATA_DIR=/tmp/kgbench .venv/bin/python -m bench.bench_explorer --articles 1000     # embedded

Loads `--articles` synthetic articles (bench/synthetic.py) into the configured store unless it
holds that many already (as bench_api does), starts `kg serve`, and drives the system's chromium
(tests/support/browser.py). Times are the explorer's own (window.explorerReady: from the start of
a view's route to the moment it is usable, its data fetched and drawn), in ms:

- first view: a fresh page load of `/` until the office list is drawn (navigation start ->
  ready), `--runs` times; targets: < 1 s.
- neighbourhood: `#/graph/<district>?depth=3&limit=500` (a district reaches 500 nodes), from the
  route's start until the graph is laid out and answers taps; the layout alone (Cytoscape
  construction + layout) is printed too. Target: < 2 s.
- visits paging: `#/visits?limit=50`, then `next →` `--pages` times; each from the click to the
  new page drawn. Target: < 200 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_api import ensure_loaded  # noqa: E402
from kg.config import get_settings  # noqa: E402
from kg.graph.stores import open_store  # noqa: E402
from kg.rdf.identity import short_id  # noqa: E402
from tests.support.api_server import served_api  # noqa: E402
from tests.support.browser import NoBrowser, launch_chromium  # noqa: E402

GRAPH_NODES = 500


def ready_ms(page, view: str) -> dict:
    page.wait_for_selector(f"body[data-ready='{view}']", timeout=60_000)
    return page.evaluate("window.explorerReady")


def figures(name: str, values: list[float], target: float) -> None:
    med, worst = statistics.median(values), max(values)
    verdict = "met" if worst < target else "NOT met"
    print(f"{name:44} median {med:7.0f}  max {worst:7.0f}  (n={len(values)}; target < {target:.0f}: {verdict})")


def busiest_district(settings) -> str:
    """The district with the most parts: its depth-3 neighbourhood is the largest."""
    with open_store(settings) as store:
        rows = store.read("MATCH (d:District)<-[:partOf]-(x) RETURN d.iri AS iri, count(x) AS n "
                          "ORDER BY n DESC, iri LIMIT 1").rows
    if not rows:
        sys.exit("the store holds no district: load data first")
    return short_id(rows[0]["iri"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--no-load", action="store_true", help="use the store as it is")
    ap.add_argument("--runs", type=int, default=5, help="first-view loads and neighbourhood draws")
    ap.add_argument("--pages", type=int, default=10, help="visits pages to step through")
    args = ap.parse_args()

    settings = get_settings()
    ensure_loaded(settings, args.articles, not args.no_load)
    district = busiest_district(settings)
    with served_api(os.environ.copy(), timeout=120) as (base, _server), sync_playwright() as p:
        graph = httpx.get(base + "/api/v1/graph", params={"id": district, "depth": 3, "limit": GRAPH_NODES},
                          timeout=60).json()
        nodes = len(graph["elements"]["nodes"])
        print(f"\n{settings.kg_store} store; neighbourhood of {district}: {nodes} nodes, "
              f"{len(graph['elements']['edges'])} edges\n")
        try:
            browser = launch_chromium(p)
        except NoBrowser as exc:
            sys.exit(str(exc))
        # the bench polls the page with its own scripts, which the page's CSP would refuse
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
        page = context.new_page()
        page.goto(base + "/")  # warm: the server's first requests, the browser's cache of the assets
        ready_ms(page, "home")

        first = []
        for _ in range(args.runs):
            page.goto("about:blank")
            page.goto(base + "/")
            first.append(ready_ms(page, "home")["finished"])

        drawn, layout = [], []
        for _ in range(args.runs + 1):
            page.goto("about:blank")
            page.goto(base + f"/#/graph/{district}?depth=3&limit={GRAPH_NODES}")
            ready = ready_ms(page, "graph")
            drawn.append(ready["finished"] - ready["started"])
            layout.append(float(page.locator("#cy").get_attribute("data-layout-ms")))
            assert page.locator("#graph-count").get_attribute("data-nodes") == str(nodes)
        drawn, layout = drawn[1:], layout[1:]  # the first draw compiles the layout code

        page.goto(base + "/#/visits?limit=50")
        ready_ms(page, "visits")
        paging = []
        for _ in range(args.pages):
            nxt = page.locator(".pager a.next")
            if not nxt.count():
                break
            before = page.evaluate("window.explorerReady.finished")
            nxt.click()
            page.wait_for_function(f"window.explorerReady && window.explorerReady.finished > {before} "
                                   "&& document.body.dataset.ready === 'visits'")
            ready = page.evaluate("window.explorerReady")
            paging.append(ready["finished"] - ready["started"])
        browser.close()

    figures("first view interactive (navigation -> ready)", first, 1000)
    figures(f"{nodes}-node neighbourhood drawn and interactive", drawn, 2000)
    figures(f"  of which Cytoscape layout ({'cose' if nodes <= 200 else 'concentric'})", layout, 2000)
    figures("visits table, next page (click -> drawn)", paging, 200)


if __name__ == "__main__":
    main()
