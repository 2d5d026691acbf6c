"""Facts read back from the store: the rows of the facts_* named queries -> FACTS.md dicts.

    facts = article_facts(store, library, "page-000-a2")
    every = all_facts(store, library)          # {article id: facts}

Nothing here looks at annotations: what a reader asks the graph is what is scored. Names are the
names entities are stored under (kg/rdf/identity.py canonical_name), a single string each.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kg.ask.queries import QueryLibrary
from kg.config import Settings
from kg.graph.stores.base import GraphStore
from kg.graph.stores.falkor import FalkorStore
from kg.model import ReadItem
from kg.names import TITLE_BODIES, titled
from kg.ontology import Ontology
from kg.rdf.identity import normalise
from kg.scheme import ENTITY_LABELS
from loaders.pipeline import LoadPipeline, LoadReport

_TYPES = {str(iri): label for label, iri in ENTITY_LABELS.items()}


def _rows(store: GraphStore, library: QueryLibrary, name: str, article: str | None = None,
          ) -> list[dict[str, Any]]:
    params = {} if article is None else {"article": article}
    return library.get(name).run(store, params).rows


def _date(value: Any) -> str | None:
    """The graph's xsd:date / gMonthDay ('2022-06-22', '--06-22') -> FACTS.md ('2022-06-22', '06-22')."""
    if not value:
        return None
    return str(value).removeprefix("--")


def article_names(rows: list[dict]) -> dict[str, str]:
    """iri -> the name this article gives the entity: the longest of its mentions that is a
    form of the entity (its stored name or an alias), else the stored name (a mention such as
    该办事处 or a bare 党工委 is no name). The stored name folds forms (…街道 -> …办事处); the
    article's own form is what a reader of the article expects."""
    out: dict[str, str] = {}
    for r in rows:
        stored = r["name"]
        forms = {stored, *(r.get("aliases") or [])}
        used = [m for m in (normalise(x) for x in r.get("mentions") or []) if m in forms]
        best = max(used, key=lambda m: (len(m), m), default=stored)
        if len(best) > len(out.get(r["iri"], "")):
            out[r["iri"]] = best
    return out


def visits(rows: list[dict], names: dict[str, str] | None = None) -> list[dict]:
    """facts_visits rows (one per activity and link) -> visits, activities in row order."""
    names = names or {}
    out: dict[str, dict] = {}
    for r in rows:
        v = out.get(r["activity"])
        if v is None:
            v = out[r["activity"]] = {"organizer": None, "date": _date(r["date"]), "sites": [],
                                      "leaders": [], "participants": r["participants"],
                                      "kind": r["kind"]}
        if r["name"] is None:
            continue
        name = names.get(r["iri"], r["name"])
        if r["role"] == "organizer" and v["organizer"] is None:
            v["organizer"] = name
        elif r["role"] == "visitedSite" and name not in v["sites"]:
            v["sites"].append(name)
        elif r["role"] == "leader" and name not in v["leaders"]:
            v["leaders"].append(name)
    return list(out.values())


def posts(rows: list[dict], names: dict[str, str] | None = None) -> list[dict]:
    names = names or {}
    return [{"person": names.get(r["person_iri"], r["person"]), "title": r["title"],
             "organization": (names.get(r["organization_iri"], r["organization"])
                              if r["organization_iri"] else None)}
            for r in rows]


def memberships(rows: list[dict], names: dict[str, str] | None = None) -> list[dict]:
    names = names or {}
    out = []
    for r in rows:
        m = {"child": names.get(r["child_iri"], r["child"]),
             "parent": names.get(r["parent_iri"], r["parent"])}
        if m not in out:
            out.append(m)
    return out


def bylines(rows: list[dict], names: dict[str, str] | None = None) -> dict[str, list[str]]:
    names = names or {}
    out: dict[str, list[str]] = {"reporters": [], "correspondents": []}
    for r in rows:
        people = out["reporters" if r["role"] == "reporter" else "correspondents"]
        name = names.get(r["iri"], r["name"])
        if name not in people:
            people.append(name)
    return out


def entities(rows: list[dict], names: dict[str, str] | None = None,
             titles: list[tuple[int, int]] | None = None) -> list[dict]:
    """One entity per node: its scheme type (rows give every type asserted), article's name;
    not a body the article writes only inside post titles (FACTS.md)."""
    names = names or {}
    spans = [(s, e) for r in rows if _TYPES.get(r["type"]) in TITLE_BODIES
             for s, e in r.get("spans") or ()]
    inside = titled(spans, titles or [])
    out: dict[str, dict] = {}
    for r in rows:
        label = _TYPES.get(r["type"])
        if label is None or (label in TITLE_BODIES and r.get("spans") and
                             all(tuple(x) in inside for x in r["spans"])):
            continue
        if r["iri"] not in out:
            out[r["iri"]] = {"name": names.get(r["iri"], r["name"]), "type": label}
    return list(out.values())


def article_facts(store: GraphStore, library: QueryLibrary, article: str) -> dict:
    """The facts of one article, in the shape of FACTS.md."""
    ents = _rows(store, library, "facts_entities", article)
    names = article_names(ents)
    return {
        "visits": visits(_rows(store, library, "facts_visits", article), names),
        "posts": posts(_rows(store, library, "facts_posts", article), names),
        "memberships": memberships(_rows(store, library, "facts_memberships", article), names),
        "bylines": bylines(_rows(store, library, "facts_bylines", article), names),
        "entities": entities(ents, names, [(r["start"], r["end"]) for r in
                                           _rows(store, library, "facts_titles", article)]),
    }


def article_ids(store: GraphStore, library: QueryLibrary) -> list[str]:
    return [r["article"] for r in _rows(store, library, "facts_articles")]


def all_facts(store: GraphStore, library: QueryLibrary,
              articles: list[str] | None = None) -> dict[str, dict]:
    """{article id: facts} for the given articles (default: every article in the store)."""
    ids = article_ids(store, library) if articles is None else articles
    return {aid: article_facts(store, library, aid) for aid in ids}


def facts_via_store(items: Iterable[ReadItem], settings: Settings,
                    on_article: Callable[[str], None] | None = None
                    ) -> tuple[dict[str, dict], LoadReport]:
    """Load articles (raw ones are extracted) into a fresh temporary embedded store and read
    their facts back: ({article id: facts} in load order, the LoadReport). `on_article` is
    told each article extracted (for a progress bar)."""
    ontology = Ontology.load(settings.ontology_dir)
    library = QueryLibrary.load(settings.queries_dir)
    with tempfile.TemporaryDirectory(prefix="kg-extract-") as tmp:
        store = FalkorStore(Path(tmp), graph="extract")
        try:
            report = LoadPipeline(store, ontology, batch_size=settings.batch_articles).run(
                items, on_article)
            ids = list(dict.fromkeys(report.loaded))
            return all_facts(store, library, ids), report
        finally:
            store.close()
