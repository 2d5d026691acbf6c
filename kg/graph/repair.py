"""`kg doctor --repair`: mend what kg/graph/integrity.py finds, one transaction per kind.

A crash cannot leave a half-written batch (docs/durability.md), but a graph written by an older
version, by hand or restored from a partial copy can hold one. Each kind of damage has its
repair, run only when its check finds something (a sound graph is never written to):

  duplicated_iris           the nodes of one IRI merged into one (labels and properties
                            unioned, relationships moved without doubling any); not merged, and
                            said so, when they disagree on a single-valued property
  events_without_article    linked back to their article when their evidence names exactly one
                            stored article, else deleted with their evidence
  evidence_without_article  linked back to the stored article its articleId names, else deleted
  evidence_without_subject  deleted
  evidence_without_fact     the link recreated from the evidence (predicate, object, fact key)
                            when the ontology knows the predicate and the object is stored,
                            else the evidence deleted
  unsupported_nodes         deleted with their relationships

Deleting evidence is a retraction as the writer does it (kg/graph/writer.py): links and nodes no
evidence supports any more go, labels and literal properties are recomputed from what remains.
Each transaction reads all it needs before its first write, so the embedded store sends its
writes as one MULTI/EXEC. Deleting can leave new damage (a link to a node just deleted), so the
kinds run again, a few rounds at most, until nothing is found; while an IRI is left on two nodes
the others do not run (they find nodes by IRI). The articles whose contribution lost something
are listed: loading them again (`kg load`) restores it. What was merged, linked back or
recreated is whole again and names no article.

The statements are the constants below; the functions after them only run them.
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from typing import Callable

from rdflib import URIRef

from kg.errors import OntologyError
from kg.graph import cypher
from kg.graph.integrity import count, integrity, problems
from kg.graph.rows import MULTI_VALUED, RESOURCE, prop_name
from kg.graph.stores.base import GraphStore, Tx
from kg.graph.writer import drop_unsupported, recompute
from kg.ontology import Ontology
from kg.rdf.identity import ID, is_article_scoped

ROUNDS = 3
_MULTI = frozenset(prop_name(p) for p in MULTI_VALUED)
_EVENTS = str(ID["event/"])

# --- statements -------------------------------------------------------------------------------
# Nodes of a duplicated IRI share the key the rest of the tree finds nodes by, so here they are
# told apart by the store's node id (id(), read and used inside one transaction).

DUPLICATE_NODES = (
    f"MATCH (n:{RESOURCE}) WITH n.iri AS iri, count(n) AS c WHERE c > 1 "
    f"MATCH (m:{RESOURCE} {{iri: iri}}) "
    "RETURN iri, id(m) AS id, labels(m) AS labels, properties(m) AS props ORDER BY iri, id")
LINKS_OUT = ("UNWIND $ids AS i MATCH (n)-[r]->(m) WHERE id(n) = i "
             "RETURN id(r) AS rel, id(n) AS src, id(m) AS dst, type(r) AS type, properties(r) AS props")
LINKS_IN = ("UNWIND $ids AS i MATCH (m)-[r]->(n) WHERE id(n) = i "
            "RETURN id(r) AS rel, id(m) AS src, id(n) AS dst, type(r) AS type, properties(r) AS props")
SET_PROPS_BY_ID = "MATCH (n) WHERE id(n) = $id SET n += $props"
DELETE_BY_ID = "UNWIND $ids AS i MATCH (n) WHERE id(n) = i DETACH DELETE n"

ORPHAN_EVENTS = (
    f"MATCH (n:{RESOURCE}) WHERE n.iri STARTS WITH $events "
    "OPTIONAL MATCH (n)-[:derivedFrom]->(a:Article) WITH n, count(a) AS a WHERE a = 0 "
    "OPTIONAL MATCH (ev:Evidence)-[:subject]->(n) "
    "OPTIONAL MATCH (art:Article {articleId: ev.articleId}) "
    "RETURN id(n) AS id, n.iri AS iri, collect(DISTINCT id(ev)) AS evidence, "
    "collect(DISTINCT ev.articleId) AS articles, collect(DISTINCT art.iri) AS stored")
EVIDENCE_WITHOUT_ARTICLE = (
    "MATCH (ev:Evidence) OPTIONAL MATCH (ev)-[:derivedFrom]->(a:Article) "
    "WITH ev, count(a) AS a WHERE a = 0 "
    "OPTIONAL MATCH (art:Article {articleId: ev.articleId}) "
    "RETURN id(ev) AS id, ev.iri AS iri, ev.articleId AS article, collect(art.iri) AS stored")
EVIDENCE_WITHOUT_SUBJECT = (
    "MATCH (ev:Evidence) OPTIONAL MATCH (ev)-[:subject]->(s) WITH ev, count(s) AS s WHERE s = 0 "
    "RETURN id(ev) AS id, ev.articleId AS article")
MISSING_LINKS = (
    "MATCH (ev:Evidence)-[:subject]->(s) WHERE ev.objectType = 'iri' AND ev.predicate <> 'type' "
    "OPTIONAL MATCH (s)-[r]->() WHERE r.fact = ev.fact "
    "WITH ev, s, count(r) AS links WHERE links = 0 "
    f"OPTIONAL MATCH (o:{RESOURCE} {{iri: ev.object}}) "
    "RETURN id(ev) AS id, s.iri AS src, ev.predicate AS predicate, ev.object AS dst, "
    "ev.fact AS fact, ev.position AS position, ev.articleId AS article, count(o) AS objects")
UNSUPPORTED_NODES = (
    f"MATCH (s:{RESOURCE}) WHERE NOT s:Article AND NOT s:Evidence AND NOT s.iri STARTS WITH $events "
    "OPTIONAL MATCH (ev:Evidence)-[:subject]->(s) WITH s, count(ev) AS ev WHERE ev = 0 "
    "RETURN id(s) AS id")
# the articles whose evidence stands behind the links of these nodes
ARTICLES_OF_LINKS = ("UNWIND $ids AS i MATCH (s)-[r]-() WHERE id(s) = i AND r.fact IS NOT NULL "
                     "MATCH (ev:Evidence {fact: r.fact}) RETURN DISTINCT ev.articleId AS id")

# a retraction of evidence nodes (by id): the subjects they are about, with the facts, and what
# those subjects keep without them (the writer's REMAINING_FACTS, by evidence rather than article)
TOUCHED_BY_EVIDENCE = ("UNWIND $ids AS i MATCH (ev:Evidence)-[:subject]->(s) WHERE id(ev) = i "
                       "RETURN s.iri AS iri, collect(DISTINCT [ev.predicate, ev.objectType]) AS facts")
REMAINING_WITHOUT = (
    f"UNWIND $iris AS iri MATCH (s:{RESOURCE} {{iri: iri}}) "
    "OPTIONAL MATCH (ev:Evidence)-[:subject]->(s) "
    "WHERE (ev.objectType <> 'iri' OR ev.predicate = 'type') AND NOT id(ev) IN $ids "
    "RETURN s.iri AS iri, labels(s) AS labels, "
    "collect([ev.predicate, ev.object, ev.objectType]) AS facts")


def set_labels_by_id(names) -> str:
    return f"MATCH (n) WHERE id(n) = $id SET n:{cypher.labels(names)}"


def create_links_by_id(rel_type: str) -> str:
    return ("UNWIND $rows AS row MATCH (a) WHERE id(a) = row.src MATCH (b) WHERE id(b) = row.dst "
            f"CREATE (a)-[r:{cypher.ident(rel_type)}]->(b) SET r += row.props")


# --- running them -----------------------------------------------------------------------------

def _outcome(**counts) -> dict:
    return {**counts, "articles": set(), "left": []}


def _articles(rows: list[dict]) -> set[str]:
    return {r["id"] for r in rows if r.get("id")}


class _Retraction:
    """Evidence to delete, read now (subjects, facts, what remains), written later."""

    def __init__(self, tx: Tx, ids: list[int]) -> None:
        self.ids = ids
        self.touched = tx.run(TOUCHED_BY_EVIDENCE, {"ids": ids}) if ids else []
        iris = [t["iri"] for t in self.touched if t["iri"] is not None]
        self.remaining = tx.run(REMAINING_WITHOUT, {"iris": iris, "ids": ids}) if iris else []

    def write(self, tx: Tx, ontology: Ontology, also: list[int] = ()) -> None:
        if self.ids or also:
            tx.write(DELETE_BY_ID, {"ids": [*self.ids, *also]})
        touched = [t for t in self.touched if t["iri"] is not None]
        if touched:
            drop_unsupported(tx, [t["iri"] for t in touched])
            recompute(tx, touched, self.remaining, ontology)


def merge_duplicates(tx: Tx, ontology: Ontology) -> dict:
    """The nodes of each duplicated IRI into the one with the lowest id."""
    out = _outcome(merged_iris=0, nodes_removed=0, links_moved=0)
    nodes = tx.run(DUPLICATE_NODES)
    by_iri: dict[str, list[dict]] = defaultdict(list)
    for node in nodes:
        by_iri[node["iri"]].append(node)
    keep_of: dict[int, int] = {}
    merged: dict[int, tuple[dict, list[str]]] = {}  # kept id -> (properties to set, labels to add)
    for iri, group in by_iri.items():
        conflicts = _conflicts(group)
        if conflicts:
            out["left"].append(f"{iri}: its {len(group)} nodes disagree on {', '.join(conflicts)}; "
                               "not merged (delete the wrong one, or reload its articles)")
            continue
        keep = group[0]
        for node in group[1:]:
            keep_of[node["id"]] = keep["id"]
        props = _union_props(group)
        labels = sorted({lb for n in group for lb in n["labels"]} - set(keep["labels"]))
        merged[keep["id"]] = ({k: v for k, v in props.items() if keep["props"].get(k) != v}, labels)
    if not keep_of:
        return out
    ids = [n["id"] for n in nodes]
    links = {r["rel"]: r for r in [*tx.run(LINKS_OUT, {"ids": ids}), *tx.run(LINKS_IN, {"ids": ids})]}
    # from here on writes only
    for keep, (props, labels) in merged.items():
        if props:
            tx.write(SET_PROPS_BY_ID, {"id": keep, "props": props})
        if labels:
            tx.write(set_labels_by_id(labels), {"id": keep})
    moving = _moved_links(links.values(), keep_of)
    by_type: dict[str, list[dict]] = defaultdict(list)
    for link in moving:
        by_type[link["type"]].append({"src": link["src"], "dst": link["dst"], "props": link["props"]})
    for rel_type, rows in sorted(by_type.items()):
        tx.write(create_links_by_id(rel_type), {"rows": rows})
    tx.write(DELETE_BY_ID, {"ids": sorted(keep_of)})
    out.update(merged_iris=len(merged), nodes_removed=len(keep_of), links_moved=len(moving))
    return out


def _moved_links(links, keep_of: dict[int, int]) -> list[dict]:
    """The links of the nodes that go, onto the nodes kept: each once (a link the kept node
    already has, or that two copies both had, is not made again), none between two copies."""
    have, moving = set(), []
    for link in sorted(links, key=lambda r: (r["src"] in keep_of or r["dst"] in keep_of, r["rel"])):
        src, dst = keep_of.get(link["src"], link["src"]), keep_of.get(link["dst"], link["dst"])
        key = (link["type"], src, dst, link["props"].get("fact"))
        moved = (src, dst) != (link["src"], link["dst"])
        if key in have or (moved and src == dst and link["src"] != link["dst"]):
            continue
        have.add(key)
        if moved:
            moving.append({**link, "src": src, "dst": dst})
    return moving


def _conflicts(group: list[dict]) -> list[str]:
    """Single-valued properties the nodes of one IRI hold different values of."""
    values: dict[str, set] = defaultdict(set)
    for node in group:
        for key, value in node["props"].items():
            if not isinstance(value, list):
                values[key].add(value)
    return sorted(k for k, v in values.items() if len(v) > 1)


def _union_props(group: list[dict]) -> dict:
    props: dict = {}
    for node in group:
        for key, value in node["props"].items():
            if isinstance(value, list):
                have = props.get(key) or []
                props[key] = sorted(set(have) | set(value)) if key in _MULTI else have or value
            else:
                props.setdefault(key, value)
    return props


def relink_or_delete_events(tx: Tx, ontology: Ontology) -> dict:
    """Events without their article: linked back when their evidence names one stored article."""
    out = _outcome(relinked=0, deleted=0, evidence_deleted=0)
    events = tx.run(ORPHAN_EVENTS, {"events": _EVENTS})
    relink, doomed = [], []
    for event in events:
        stored = [a for a in event["stored"] if a]
        if len(stored) == 1:
            relink.append({"src": event["iri"], "dst": stored[0], "props": {}})
        else:
            doomed.append(event)
            out["articles"] |= {a for a in event["articles"] if a}
    evidence = sorted({i for e in doomed for i in e["evidence"] if i is not None})
    retraction = _Retraction(tx, evidence)
    if relink:
        tx.write(cypher.link("derivedFrom", create=True), {"rows": relink})
    retraction.write(tx, ontology, also=[e["id"] for e in doomed])
    out.update(relinked=len(relink), deleted=len(doomed), evidence_deleted=len(evidence))
    return out


def relink_or_delete_evidence(tx: Tx, ontology: Ontology) -> dict:
    """Evidence without its article: linked back to the stored article its articleId names."""
    out = _outcome(relinked=0, deleted=0)
    rows = tx.run(EVIDENCE_WITHOUT_ARTICLE)
    relink = [{"src": r["iri"], "dst": r["stored"][0], "props": {}}
              for r in rows if len(r["stored"]) == 1 and r["iri"]]
    linked = {row["src"] for row in relink}
    doomed = [r["id"] for r in rows if r["iri"] not in linked]
    out["articles"] |= {r["article"] for r in rows if r["article"] and r["iri"] not in linked}
    retraction = _Retraction(tx, doomed)
    if relink:
        tx.write(cypher.link("derivedFrom", create=True), {"rows": relink})
    retraction.write(tx, ontology)
    out.update(relinked=len(relink), deleted=len(doomed))
    return out


def delete_evidence_without_subject(tx: Tx, ontology: Ontology) -> dict:
    rows = tx.run(EVIDENCE_WITHOUT_SUBJECT)
    out = _outcome(deleted=len(rows))
    out["articles"] |= {r["article"] for r in rows if r["article"]}
    _Retraction(tx, [r["id"] for r in rows]).write(tx, ontology)
    return out


def recreate_links(tx: Tx, ontology: Ontology) -> dict:
    """A link its evidence names, recreated as the writer writes it; else the evidence goes."""
    out = _outcome(recreated=0, deleted=0)
    rows = tx.run(MISSING_LINKS)
    links: dict[str, dict] = {}
    doomed = []
    for r in rows:
        if r["fact"] and r["src"] and r["objects"] == 1 and _object_property(ontology, r["predicate"]):
            props = {"fact": r["fact"]}
            if r["position"] is not None:
                props["position"] = r["position"]
            links.setdefault(r["fact"], {"type": r["predicate"], "src": r["src"], "dst": r["dst"],
                                         "props": props})
        else:
            doomed.append(r["id"])
            if r["article"]:
                out["articles"].add(r["article"])
    retraction = _Retraction(tx, doomed)
    groups: dict[tuple[str, bool], list[dict]] = defaultdict(list)
    for link in links.values():
        groups[(link["type"], is_article_scoped(link["src"]))].append(
            {k: link[k] for k in ("src", "dst", "props")})
    for (rel_type, scoped), batch in sorted(groups.items()):
        tx.write(cypher.link(rel_type, create=scoped), {"rows": batch})
    retraction.write(tx, ontology)
    out.update(recreated=len(links), deleted=len(doomed))
    return out


def _object_property(ontology: Ontology, name: str | None) -> bool:
    """The name of a relationship the ontology has (an object property), safe to splice in."""
    if not name or not cypher.is_ident(name):
        return False
    try:
        return ontology.is_object_property(URIRef(ontology.term_for_name(name)))
    except OntologyError:
        return False


def delete_unsupported_nodes(tx: Tx, ontology: Ontology) -> dict:
    ids = [r["id"] for r in tx.run(UNSUPPORTED_NODES, {"events": _EVENTS})]
    out = _outcome(deleted=len(ids))
    out["articles"] |= _articles(tx.run(ARTICLES_OF_LINKS, {"ids": ids}))
    tx.write(DELETE_BY_ID, {"ids": ids})
    return out


# check -> its repair, in the order they run: merging first (the other checks look nodes up by
# IRI), deleting nodes last (deleting evidence leaves nodes unsupported)
REPAIRS: tuple[tuple[str, Callable[[Tx, Ontology], dict]], ...] = (
    ("duplicated_iris", merge_duplicates),
    ("events_without_article", relink_or_delete_events),
    ("evidence_without_article", relink_or_delete_evidence),
    ("evidence_without_subject", delete_evidence_without_subject),
    ("evidence_without_fact", recreate_links),
    ("unsupported_nodes", delete_unsupported_nodes),
)


def repair(store: GraphStore, ontology: Ontology, rounds: int = ROUNDS) -> dict:
    """Repair what the checks find; the checks before and after, what each repair did, the
    articles that lost part of their contribution (to load again) and what it could not repair.

    Each kind is counted just before it would run (a repair can leave what a later one mends),
    and a round that finds nothing ends the work; its counts are the ones after."""
    before = integrity(store)
    done: dict[str, dict] = {}
    articles: set[str] = set()
    left: list[str] = []
    found = {name: check["count"] for name, check in before.items()}
    written = False
    for _ in range(rounds):
        ran = False
        for name, fix in REPAIRS:
            if written:
                found[name] = count(store, name)
            if not found[name]:
                continue
            result = store.run_transaction(partial(fix, ontology=ontology))
            ran = written = True
            articles |= result.pop("articles")
            left.extend(m for m in result.pop("left") if m not in left)
            totals = done.setdefault(name, {})
            for key, n in result.items():
                totals[key] = totals.get(key, 0) + n
            if name == "duplicated_iris" and count(store, name):
                left.append("the other repairs look nodes up by IRI: they wait until each IRI "
                            "is on one node")
                break
        if not ran or left:
            break
    if not written:
        after = before
    elif not any(found.values()) and not left:  # the last round counted nothing
        after = {name: {**check, "count": 0, "examples": []} for name, check in before.items()}
    else:
        after = integrity(store)
    return {"before": before, "after": after, "repaired": done,
            "articles": sorted(articles), "left": left, "sound": not problems(after)}
