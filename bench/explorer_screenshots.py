"""Screenshots of every view of the explorer, on the sample page (not a test, not run by CI).

    .venv/bin/python -m bench.explorer_screenshots                 # -> docs/explorer/*.png
    .venv/bin/python -m bench.explorer_screenshots -o /tmp/shots --only graph,article

Loads data/sample's annotations into an embedded store in a temporary directory, serves the app
on it in this process, and has the system's chromium (tests/support/browser.py) open each view
as a person would (the graph with an edge tapped, the article with a visit selected, a named
query run from its form, a Cypher query drawn as a graph). docs/explorer.md shows the PNGs; they
are committed once, not on every run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.main import create_app  # noqa: E402
from kg.config import Settings  # noqa: E402
from kg.graph.stored_ontology import ensure_ontology  # noqa: E402
from kg.graph.stores.falkor import FalkorStore  # noqa: E402
from kg.ontology import Ontology  # noqa: E402
from kg.read.sources import read_inputs  # noqa: E402
from loaders.pipeline import load_articles  # noqa: E402
from tests.support.browser import NoBrowser, launch_chromium, serve_app  # noqa: E402

SAMPLE = ROOT / "data" / "sample" / "page-000.annotations.jsonl"
KEY = "screenshot-key"
XINGANG = "org-9cbafcd8e2cb676b"    # 新港办事处
SIYUAN_FACT = "4ffae97effbb99ed"     # page-000-a1: the observation visited 柿园吴村


def _ready(page, view: str) -> None:
    page.wait_for_selector(f"body[data-ready='{view}']")
    page.wait_for_timeout(250)  # fonts and the graph's first frame


def _graph(page, base):
    page.goto(base + f"/#/graph/{XINGANG}?depth=2")
    _ready(page, "graph")
    edge = page.evaluate("() => window.explorerGraph.edges('[label = \"partOf\"]')"
                         f".filter(e => e.data('source') === '{XINGANG}')[0].id()")
    box = page.locator("#cy").bounding_box()
    pos = page.evaluate(f"() => window.explorerGraph.$id('{edge}').renderedMidpoint()")
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_selector(".panel ul.evidence a.article")


def _cypher(page, base):
    page.goto(base + "/#/cypher")
    _ready(page, "cypher")
    page.fill("input[name='key']", KEY)
    page.click(".cypher-form button[type='submit']")
    page.wait_for_selector("#cypher-graph")
    page.wait_for_timeout(300)


def _simple(hash_: str, view: str):
    def go(page, base):
        page.goto(base + "/" + hash_)
        _ready(page, view)
    return go


def _docs(page, base):
    page.goto(base + "/docs")
    page.wait_for_selector(".opblock")


VIEWS = {
    "home": _simple("#/", "home"),
    "search": _simple("#/search?q=办事处&type=Office", "search"),
    "entity": _simple(f"#/entity/{XINGANG}", "entity"),
    "visits": _simple("#/visits", "visits"),
    "matrix": _simple("#/matrix", "matrix"),
    "graph": _graph,
    "article": _simple(f"#/article/page-000-a1?fact={SIYUAN_FACT}", "article"),
    "query": _simple("#/query/officials_of?organisation=新港办事处&run=1", "query"),
    "cypher": _cypher,
    "docs": _docs,
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--out", type=Path, default=ROOT / "docs" / "explorer", help="directory for the PNGs")
    ap.add_argument("--only", default="", help="comma-separated view names (default: all of "
                                               + ", ".join(VIEWS) + ")")
    args = ap.parse_args()
    names = [n for n in args.only.split(",") if n] or list(VIEWS)
    unknown = set(names) - set(VIEWS)
    if unknown:
        sys.exit(f"--only: no view called {', '.join(sorted(unknown))} (views: {', '.join(VIEWS)})")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = FalkorStore(Path(tmp), graph="screenshots")
        try:
            store.ensure_schema()
            ontology = Ontology.load(ROOT / "ontology")
            ensure_ontology(store, ontology)
            report = load_articles(store, ontology, read_inputs(SAMPLE))
            if not report.ok:
                sys.exit(f"the sample did not load: {[str(e) for e in report.failed]}")
            with serve_app(create_app(Settings(KG_API_KEYS=[KEY]), store=store)) as base, \
                    sync_playwright() as p:
                try:
                    browser = launch_chromium(p)
                except NoBrowser as exc:
                    sys.exit(str(exc))
                page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
                page.set_default_timeout(30_000)
                for name in names:
                    VIEWS[name](page, base)
                    path = args.out / f"{name}.png"
                    page.screenshot(path=str(path))
                    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
                browser.close()
        finally:
            store.close()


if __name__ == "__main__":
    main()
