"""Reading the graph for people and programs: find entities, an entity's neighbourhood with the
articles behind each link, an article with its facts and spans, visits, a subgraph.

No HTTP here: the API (api/) and the CLI both call these. Every value reaches Cypher as a
parameter; the only text chosen by the caller is picked from constants in this module.
Questions that have a named query (queries/*.cypher) are answered by that query.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from kg.errors import BadParameter, NotFound, QueryError
from kg.rdf.identity import _alias_rules, canonical_name, iri_from_short_id, normalise, short_id
from kg.ask.queries import QueryLibrary
from kg.graph.stores.base import GraphStore

# Labels that are bookkeeping, not things a reader looks for.
_HIDDEN = ("Evidence", "OntologyClass", "OntologyProperty", "Ontology")
_SHORT_ID = re.compile(r"^[a-z]+-[0-9a-f]{8,32}$")
MAX_LINKS = 500
# The far end of a link, when a reader may see it: a Resource that is not bookkeeping, as one
# test on labels(m). Not as labels in the pattern, `NOT m:Evidence`, or two tests joined by AND:
# on the embedded store each of those costs a scan per row (an office's 270 links: 3 s against
# 0.02 s at 1,000 articles); Neo4j plans them all alike.
_SHOWN_M = ("[l IN labels(m) WHERE l = 'Resource' OR l IN ["
            + ", ".join(f"'{label}'" for label in _HIDDEN) + "]] = ['Resource'] ")


@dataclass(slots=True)
class Page:
    items: list[dict]
    next_after: tuple | None = None


def ref(iri: str | None, name: str | None = None, **extra) -> dict | None:
    """How a node is referred to: short id, IRI, name (plus whatever the caller adds)."""
    if iri is None:
        return None
    return {"id": short_id(iri), "iri": iri, "name": name, **extra}


def name_forms(value: str) -> list[str]:
    """The names a typed name may be stored under, most literal first: as typed, normalised
    (kg.rdf.identity.normalise), and with known alias forms folded (kg.rdf.identity.canonical_name)."""
    forms = [value, normalise(value)]
    for label in sorted({label for _, _, labels in _alias_rules() for label in labels}):
        forms.append(canonical_name(value, label))
    return list(dict.fromkeys(f for f in forms if f))


def node_name(props: dict) -> str | None:
    return props.get("name") or props.get("headline") or props.get("title")


PARENTS_TTL_S = 30.0


@dataclass
class Lookup:
    """The graph-reading jobs, on one store with one query library."""

    store: GraphStore
    library: QueryLibrary
    timeout: float | None = None
    row_cap: int | None = None
    _parents: dict[str, set[str]] | None = field(default=None, repr=False)
    _parents_read_at: float = field(default=0.0, repr=False)

    # ---------------------------------------------------------------- basics
    def read(self, cypher: str, params: dict | None = None, limit: int | None = None):
        return self.store.read(cypher, params or {}, timeout=self.timeout,
                               limit=limit if limit is not None else self.row_cap)

    def run(self, name: str, params: dict[str, Any]) -> list[dict]:
        return self.library.get(name).run(self.store, params, timeout=self.timeout,
                                          limit=self.row_cap).rows

    def class_parents(self) -> dict[str, set[str]]:
        """Each ontology class name -> the names of all its superclasses (from the stored ontology).

        Kept for PARENTS_TTL_S: an ontology reload through any API worker process (or the CLI)
        shows in every process within that time."""
        if self._parents is None or time.monotonic() - self._parents_read_at > PARENTS_TTL_S:
            rows = self.read("MATCH (c:OntologyClass)-[:subClassOf]->(p:OntologyClass) "
                             "RETURN c.name AS c, p.name AS p").rows
            direct: dict[str, set[str]] = {}
            for r in rows:
                direct.setdefault(r["c"], set()).add(r["p"])
            closed: dict[str, set[str]] = {}

            def up(name: str, seen: frozenset = frozenset()) -> set[str]:
                if name not in closed:
                    out: set[str] = set()
                    for p in direct.get(name, ()):
                        if p not in seen:
                            out |= {p} | up(p, seen | {name})
                    closed[name] = out
                return closed[name]

            for name in list(direct):
                up(name)
            if closed:  # an empty graph has no ontology yet: ask again next time
                self._parents, self._parents_read_at = closed, time.monotonic()
            return closed
        return self._parents

    def class_names(self) -> set[str]:
        rows = self.read("MATCH (c:OntologyClass) RETURN c.name AS name").rows
        return {r["name"] for r in rows if r["name"]}

    def primary_label(self, labels: list[str]) -> str | None:
        """The most specific label of a node (Observation rather than Visit, Activity, Event)."""
        parents = self.class_parents()
        own = [label for label in labels if label != "Resource"]
        # a class whose name is also a superclass's (kg:Person under foaf:Person) is not its own ancestor
        ancestors = set().union(*(parents.get(label, set()) - {label} for label in own)) if own else set()
        specific = sorted(label for label in own if label not in ancestors)
        return specific[0] if specific else (sorted(own)[0] if own else None)

    def resolve(self, ident: str) -> dict:
        """A node by short id (or full IRI): iri, labels, properties; NotFound otherwise."""
        iri = self.iri_of(ident)
        rows = self.read("MATCH (n:Resource {iri: $iri}) RETURN n", {"iri": iri}, limit=1).rows
        if not rows or any(label in _HIDDEN for label in rows[0]["n"].get("labels", [])):
            raise NotFound("entity", ident)
        return rows[0]["n"]

    @staticmethod
    def iri_of(ident: str) -> str:
        if ident.startswith(("http://", "https://")):
            return ident
        if not _SHORT_ID.match(ident):
            raise NotFound("entity", ident)
        return str(iri_from_short_id(ident))

    def filter_value(self, value: str | None) -> str | None:
        """A filter given as short id, IRI, name or alias, as the named queries take it (IRI, name or alias).

        A name is looked up in the forms identity stores names in (kg.rdf.identity: normalised, alias
        forms folded); the first form that is some node's `name` (an index seek) is passed on, so
        that the query seeks it too. Otherwise the value goes as given and the query looks for it
        among the aliases. Nothing is cached: the graph may change between two requests.
        """
        if value is None:
            return None
        value = value.strip()
        if _SHORT_ID.match(value):
            return str(iri_from_short_id(value))
        if value.startswith(("http://", "https://")):
            return value
        forms = name_forms(value)
        if forms == [value]:
            return value  # the query's own name seek is the lookup
        rows = self.read("MATCH (n:Resource) WHERE n.name IN $forms RETURN DISTINCT n.name AS name",
                         {"forms": forms}).rows
        found = {r["name"] for r in rows}
        return next((f for f in forms if f in found), value)

    # ---------------------------------------------------------------- entities
    def search_entities(self, type_: str | None = None, q: str | None = None, limit: int = 50,
                        after: tuple[str, str] | None = None) -> Page:
        """Entities of a class whose name or an alias contains q, by name then IRI, keyset paged."""
        if type_ is not None and type_ not in self.class_names():
            raise BadParameter("type", f"{type_!r} is not a class of the ontology")
        rows = self.read(
            "MATCH (n:Resource) WHERE n.name IS NOT NULL "
            "AND ($type IS NULL OR $type IN labels(n)) "
            "AND ($q IS NULL OR n.name CONTAINS $q OR any(a IN coalesce(n.alias, []) WHERE a CONTAINS $q)) "
            "AND ($after_name IS NULL OR n.name > $after_name "
            "     OR (n.name = $after_name AND n.iri > $after_iri)) "
            "RETURN n.iri AS iri, n.name AS name, labels(n) AS labels, coalesce(n.alias, []) AS aliases "
            "ORDER BY name, iri LIMIT $limit",
            {"type": type_, "q": q or None, "limit": limit + 1,
             "after_name": after[0] if after else None, "after_iri": after[1] if after else None},
            limit=limit + 1).rows
        items = [{**ref(r["iri"], r["name"]), "type": self.primary_label(r["labels"]),
                  "labels": sorted(r["labels"]), "aliases": sorted(r["aliases"])} for r in rows[:limit]]
        nxt = (rows[limit - 1]["name"], rows[limit - 1]["iri"]) if len(rows) > limit else None
        return Page(items, nxt)

    def entity(self, ident: str) -> dict:
        """One entity: labels, properties, aliases, and its links both ways with their articles."""
        node = self.resolve(ident)
        props = dict(node.get("properties", {}))
        iri = props.pop("iri")
        aliases = sorted(props.pop("alias", None) or [])
        name = node_name(props)
        links_q = ("MATCH (n:Resource {iri: $iri})-[r]->(m) WHERE " + _SHOWN_M +
                   "RETURN type(r) AS type, r.fact AS fact, r.position AS position, m.iri AS iri, "
                   "coalesce(m.name, m.headline, m.title) AS name, labels(m) AS labels, m.articleId AS articleId "
                   "ORDER BY type, coalesce(position, 0), name, iri LIMIT $limit")
        out = self.read(links_q, {"iri": iri, "limit": MAX_LINKS + 1}).rows
        in_q = links_q.replace("-[r]->(m)", "<-[r]-(m)")
        inc = self.read(in_q, {"iri": iri, "limit": MAX_LINKS + 1}).rows
        facts = sorted({r["fact"] for r in out + inc if r["fact"]})
        support: dict[str, list[dict]] = {}
        if facts:
            for r in self.read("UNWIND $facts AS f MATCH (ev:Evidence {fact: f})-[:derivedFrom]->(a:Article) "
                               "RETURN DISTINCT f AS fact, a.articleId AS article, a.headline AS headline "
                               "ORDER BY fact, article", {"facts": facts}).rows:
                support.setdefault(r["fact"], []).append({"id": r["article"], "headline": r["headline"]})
        derived = []  # an activity's own article is a link without a fact

        def link(r: dict, direction: str) -> dict:
            target = ref(r["iri"], r["name"], type=self.primary_label(r["labels"]))
            if r["articleId"] is not None:
                target["id"] = r["articleId"]
            articles = support.get(r["fact"], []) if r["fact"] else []
            if r["type"] == "derivedFrom" and r["articleId"] is not None:
                articles = [{"id": r["articleId"], "headline": r["name"]}]
                derived.append(r["articleId"])
            return {"type": r["type"], "direction": direction, "fact": r["fact"],
                    "position": r["position"], "target": target, "articles": articles}

        links = [link(r, "out") for r in out[:MAX_LINKS]] + [link(r, "in") for r in inc[:MAX_LINKS]]
        return {**ref(iri, name), "type": self.primary_label(node.get("labels", [])),
                "labels": sorted(node.get("labels", [])), "aliases": aliases,
                "properties": {k: v for k, v in sorted(props.items()) if k not in ("name",)},
                "links": links, "links_truncated": len(out) > MAX_LINKS or len(inc) > MAX_LINKS}

    # ---------------------------------------------------------------- articles
    def article(self, article_id: str) -> dict:
        """An article, its byline and every fact derived from it with the evidence spans."""
        rows = self.read("MATCH (a:Article {articleId: $id}) RETURN a", {"id": article_id}, limit=1).rows
        if not rows:
            raise NotFound("article", article_id)
        props = dict(rows[0]["a"]["properties"])
        people = self.read("MATCH (a:Article {articleId: $id})-[r:reporter|correspondent]->(p:Resource) "
                           "RETURN type(r) AS role, p.iri AS iri, p.name AS name ORDER BY role, name, iri",
                           {"id": article_id}).rows
        evidence = self.read(
            "MATCH (a:Article {articleId: $id})<-[:derivedFrom]-(ev:Evidence) "
            "OPTIONAL MATCH (ev)-[:subject]->(s:Resource) "
            "OPTIONAL MATCH (o:Resource {iri: ev.object}) "
            "RETURN ev.fact AS fact, ev.predicate AS predicate, ev.object AS object, ev.objectType AS objectType, "
            "s.iri AS s_iri, coalesce(s.name, s.headline, s.title) AS s_name, "
            "o.iri AS o_iri, coalesce(o.name, o.headline, o.title) AS o_name, "
            "ev.start AS start, ev.end AS end, ev.exact AS text, ev.annotatedBy AS annotated_by, "
            "ev.confidence AS confidence, ev.position AS position "
            "ORDER BY coalesce(start, 0), coalesce(end, 0), fact, coalesce(annotated_by, '')",
            {"id": article_id}).rows
        facts: dict[str, dict] = {}
        for r in evidence:
            fact = facts.get(r["fact"])
            if fact is None:
                if r["objectType"] == "iri":
                    obj = {"iri": r["object"], "id": short_id(r["object"]) if r["o_iri"] else None,
                           "name": r["o_name"], "value": None}
                else:
                    obj = {"iri": None, "id": None, "name": None, "value": r["object"]}
                fact = facts[r["fact"]] = {"fact": r["fact"], "subject": ref(r["s_iri"], r["s_name"]),
                                           "predicate": r["predicate"], "object": obj, "evidence": []}
            fact["evidence"].append({"start": r["start"], "end": r["end"], "text": r["text"],
                                     "annotated_by": r["annotated_by"], "confidence": r["confidence"],
                                     "position": r["position"]})
        iri = props.pop("iri", None)
        return {"id": props.get("articleId", article_id), "iri": iri, "headline": props.get("headline"),
                "byline": props.get("byline"), "published": props.get("published"),
                "source": props.get("source"), "text": props.get("text"),
                "reporters": [ref(p["iri"], p["name"]) for p in people if p["role"] == "reporter"],
                "correspondents": [ref(p["iri"], p["name"]) for p in people if p["role"] == "correspondent"],
                "facts": list(facts.values())}

    # ---------------------------------------------------------------- visits
    def visits(self, organizer: str | None = None, site: str | None = None, date_from: str | None = None,
               date_to: str | None = None, kind: str | None = None, limit: int = 50,
               after: tuple[str, str] | None = None) -> Page:
        """Visits with organizers, ordered sites, leaders, participants and article (named queries `visits`,
        `visits_by_organizer`, `visits_at_site`)."""
        organizer, site = self.filter_value(organizer), self.filter_value(site)
        # the same question, started from the node that narrows it most: an organizer, a site, or the
        # :Visit(date) index
        query = ("visits_by_organizer" if organizer is not None else "visits_at_site" if site is not None
                 else "visits")
        anchors = {"organizer": organizer, "site": site} if organizer is not None else \
            {"site": site} if site is not None else {}
        rows = self.run(query, {
            **anchors,
            "date_from": date_from, "date_to": date_to, "kind": kind, "limit": limit + 1,
            "after_date": after[0] if after else None, "after_visit": after[1] if after else None})
        items = []
        for r in rows[:limit]:
            items.append({
                **ref(r["visit"]), "kind": r["kind"], "date": r["date"],
                "organizers": [ref(o["iri"], o["name"]) for o in r["organizers"]],
                "sites": [{**ref(s["iri"], s["name"]), "position": s["position"]} for s in r["sites"]],
                "leaders": [ref(p["iri"], p["name"]) for p in r["leaders"]],
                "participants": r["participants"], "participant_count": r["participant_count"],
                "articles": [{"id": r["article"], "headline": r["headline"]}] if r["article"] else []})
        nxt = None
        if len(rows) > limit:
            last = rows[limit - 1]
            nxt = (last["date"] or "~", last["visit"])  # '~' sorts after every date: undated visits come last
        return Page(items, nxt)

    # ---------------------------------------------------------------- offices
    def offices(self, office: str | None = None, limit: int = 20, after: tuple[str, str] | None = None,
                visits: int = 50) -> Page:
        """Offices with their visits (date, kind, sites in trip order, article), in name order, keyset
        paged (named query `offices_with_visited_sites`): the headline question for every office at
        once. At most `visits` visits per office, the first by date; `visits_truncated` says when
        there are more."""
        rows = self.run("offices_with_visited_sites", {
            "office": self.filter_value(office), "limit": limit + 1, "visits": visits,
            "after_name": after[0] if after else None, "after_office": after[1] if after else None})
        items = [self._office_visits(r) for r in rows[:limit]]
        nxt = (rows[limit - 1]["office"], rows[limit - 1]["office_iri"]) if len(rows) > limit else None
        return Page(items, nxt)

    def _office_visits(self, row: dict) -> dict:
        """One office's row: its stops grouped into visits, in the order the query gives them."""
        visits: dict[str, dict] = {}
        for stop in row["stops"]:
            visit = visits.get(stop["visit"])
            if visit is None:
                article = {"id": stop["article"], "headline": stop["headline"]} if stop["article"] else None
                visit = visits[stop["visit"]] = {"visit": ref(stop["visit"]), "date": stop["date"],
                                                 "kind": stop["kind"], "article": article, "sites": []}
            site = {**ref(stop["site"], stop["site_name"]), "type": self.primary_label(stop["site_labels"]),
                    "position": stop["position"]}
            if site not in visit["sites"]:  # a visit reported by two articles lists its stops twice
                visit["sites"].append(site)
        return {"office": ref(row["office_iri"], row["office"]), "type": self.primary_label(row["office_labels"]),
                "visits": list(visits.values()), "visit_count": row["visit_count"],
                "visits_truncated": row["visit_count"] > row["listed"]}

    def _named_for_node(self, ident: str, query: str, param: str, name_column: str) -> tuple[str, str | None, list]:
        """Run a named query on a node given by id; the node is looked up only when nothing comes back
        (to tell an unknown id, 404, from a node with no rows)."""
        iri = self.iri_of(ident)
        rows = self.run(query, {param: iri})
        if rows:
            return iri, rows[0][name_column], rows
        node = self.resolve(ident)
        return iri, node_name(node["properties"]), rows

    def visited_sites(self, office_id: str) -> dict:
        """Sites an office visited, in trip order (named query `sites_visited_by_office`)."""
        iri, name, rows = self._named_for_node(office_id, "sites_visited_by_office", "office", "office")
        return {"office": ref(iri, name),
                "sites": [{"site": ref(r["site_iri"], r["site"]), "position": r["position"], "date": r["date"],
                           "kind": r["kind"], "visit": ref(r["visit"]), "article": r["article"]} for r in rows]}

    def visitors(self, site_id: str) -> dict:
        """Who visited a site (named query `offices_that_visited`)."""
        iri, name, rows = self._named_for_node(site_id, "offices_that_visited", "site", "site")
        return {"site": ref(iri, name),
                "visitors": [{"office": ref(r["office_iri"], r["office"]), "date": r["date"],
                              "position": r["position"], "visit": ref(r["visit"]), "article": r["article"]}
                             for r in rows]}

    # ---------------------------------------------------------------- neighbourhood graph
    def neighbourhood(self, ident: str, depth: int = 1, limit: int = 100) -> dict:
        """Nodes and edges within `depth` links of a node (breadth first, at most `limit` nodes)."""
        start = self.resolve(ident)
        start_iri = start["properties"]["iri"]
        nodes: dict[str, dict] = {start_iri: self._graph_node(start_iri, start["labels"], start["properties"])}
        edges: dict[str, dict] = {}
        frontier = [start_iri]
        truncated = False
        for _ in range(depth):
            if not frontier or truncated:
                break
            rows = self.read(
                "UNWIND $iris AS i MATCH (n:Resource {iri: i})-[r]-(m) WHERE " + _SHOWN_M +
                "RETURN startNode(r).iri AS source, endNode(r).iri AS target, type(r) AS type, "
                "r.fact AS fact, r.position AS position, m.iri AS iri, labels(m) AS labels, "
                "coalesce(m.name, m.headline, m.title) AS name, m.articleId AS articleId, m.date AS date "
                "ORDER BY source, type, target LIMIT $cap",
                {"iris": frontier, "cap": limit * 20}, limit=limit * 20).rows
            nxt = []
            for r in rows:
                if None in (r["iri"], r["source"], r["target"]):
                    continue  # deleted by a load while the read ran: Neo4j reads what is committed as it goes
                if r["iri"] not in nodes:
                    if len(nodes) >= limit:
                        truncated = True
                        continue
                    props = {"name": r["name"], "articleId": r["articleId"], "date": r["date"]}
                    nodes[r["iri"]] = self._graph_node(r["iri"], r["labels"], props)
                    nxt.append(r["iri"])
                key = r["fact"] or f"{r['source']}|{r['type']}|{r['target']}"
                edge_id = "e-" + (r["fact"] or short_id(r["source"]) + "-" + r["type"] + "-" + short_id(r["target"]))
                if key not in edges:
                    edges[key] = {"data": {"id": edge_id, "source": short_id(r["source"]),
                                           "target": short_id(r["target"]), "label": r["type"],
                                           "fact": r["fact"], "position": r["position"]}}
            frontier = nxt
        return {"elements": {"nodes": list(nodes.values()), "edges": list(edges.values())},
                "truncated": truncated}

    def _graph_node(self, iri: str, labels: list[str], props: dict) -> dict:
        return {"data": {"id": short_id(iri), "label": node_name(props) or props.get("date") or short_id(iri),
                         "iri": iri, "type": self.primary_label(labels), "labels": sorted(labels),
                         "article_id": props.get("articleId")}}
