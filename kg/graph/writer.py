"""Graph rows -> Cypher, run in one store transaction per batch of articles.

Loading an article replaces what its earlier version contributed: its evidence, events and
article node are removed first; facts and entities that no other article supports go with
them, and the labels and multi-valued properties of entities it touched are recomputed from
the evidence that remains. Then the new rows are merged. Both stores run the same statements;
labels and property names in them come from the ontology, every value is a parameter.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

from rdflib import URIRef

from kg.rdf.identity import is_article_scoped
from kg.ontology import Ontology
from kg.graph.rows import MULTI_VALUED, RESOURCE, GraphRows, NodeRow, RelRow, prop_name
from kg.graph.stores.base import GraphStore, Tx

CHUNK = 2000
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MULTI = frozenset(prop_name(p) for p in MULTI_VALUED)


def _ident(name: str) -> str:
    """Labels, types and keys are spliced into Cypher, so they must be plain identifiers."""
    if not _IDENT.match(name):
        raise ValueError(f"not a safe Cypher identifier: {name!r}")
    return name


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def write(tx: Tx, rows: GraphRows, ontology: Ontology) -> None:
    """Replace the articles in `rows` with their new content, inside the caller's transaction."""
    retract(tx, rows.article_ids, ontology)
    evidence, nodes, rels = _split_evidence(rows)
    write_nodes(tx, nodes)
    write_evidence(tx, evidence)
    write_rels(tx, rels)


_EVIDENCE_LINKS = ("subject", "derivedFrom")


def _split_evidence(rows: GraphRows) -> tuple[list[dict], list[NodeRow], list[RelRow]]:
    """Evidence nodes with their two links, apart: they are most of what an article writes, and
    one statement can create each with both links."""
    evidence_iris = {n.iri for n in rows.nodes if "Evidence" in n.labels and is_article_scoped(n.iri)}
    ends: dict[str, dict[str, str]] = defaultdict(dict)
    rels = []
    for r in rows.rels:
        if r.type in _EVIDENCE_LINKS and r.src in evidence_iris:
            ends[r.src][r.type] = r.dst
        else:
            rels.append(r)
    evidence, nodes = [], []
    for n in rows.nodes:
        links = ends.get(n.iri)
        if links is not None and len(links) == 2:
            evidence.append({"iri": n.iri, "labels": n.labels, "props": {**n.props, **n.lists},
                             **links})
        else:
            nodes.append(n)
            rels.extend(RelRow(t, n.iri, dst) for t, dst in (links or {}).items())
    return evidence, nodes, rels


def stored_articles(store: GraphStore, article_ids: list[str]) -> list[str]:
    """Which of these articles the graph already holds (their new version replaces them)."""
    return [r["id"] for r in store.read(
        "UNWIND $ids AS id MATCH (a:Article {articleId: id}) RETURN a.articleId AS id", {"ids": article_ids}).rows]


def undo_new(tx: Tx, rows: GraphRows, ontology: Ontology) -> None:
    """Reverse any part of a failed `write` of articles the graph did not hold before.

    Such a write only adds: its article-scoped nodes (articles, events, evidence) are new and
    go by IRI; links and shared nodes that no evidence supports any more go; the labels and
    evidence-backed properties (aliases, star ratings) of the shared nodes it touched are
    recomputed from the evidence that remains, as a retraction does.
    """
    scoped = [n.iri for n in rows.nodes if is_article_scoped(n.iri)]
    shared = [n.iri for n in rows.nodes if not is_article_scoped(n.iri)]
    for chunk in _chunks(scoped):
        tx.run("UNWIND $iris AS iri MATCH (n:Resource {iri: iri}) DETACH DELETE n", {"iris": chunk})
    if not shared:
        return
    _drop_unsupported(tx, shared)
    evidence, _, _ = _split_evidence(rows)
    facts: dict[str, set] = defaultdict(set)
    for ev in evidence:
        facts[ev["subject"]].add((ev["props"].get("predicate"), ev["props"].get("objectType")))
    _recompute(tx, [{"iri": iri, "facts": sorted(facts.get(iri, ()))} for iri in shared], ontology)


def _drop_unsupported(tx: Tx, iris: list[str]) -> None:
    """Links of these nodes that no evidence supports, then the nodes no evidence is about."""
    tx.run(
        "UNWIND $iris AS iri MATCH (s:Resource {iri: iri})-[r]->() WHERE r.fact IS NOT NULL "
        "OPTIONAL MATCH (ev:Evidence {fact: r.fact}) "
        "WITH r, count(ev) AS support WHERE support = 0 DELETE r", {"iris": iris})
    tx.run(
        "UNWIND $iris AS iri MATCH (s:Resource {iri: iri}) WHERE NOT s:Article "
        "OPTIONAL MATCH (ev:Evidence)-[:subject]->(s) "
        "WITH s, count(ev) AS support WHERE support = 0 DETACH DELETE s", {"iris": iris})


def write_evidence(tx: Tx, evidence: list[dict]) -> None:
    groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for ev in evidence:
        groups[ev["labels"]].append(ev)
    for labels, batch in groups.items():
        all_labels = ":".join(map(_ident, [RESOURCE, *(lb for lb in labels if lb != RESOURCE)]))
        cypher = (f"UNWIND $rows AS row MATCH (s:{RESOURCE} {{iri: row.subject}}) "
                  f"MATCH (a:{RESOURCE} {{iri: row.derivedFrom}}) "
                  f"CREATE (ev:{all_labels} {{iri: row.iri}}) SET ev += row.props "
                  "CREATE (ev)-[:subject]->(s) CREATE (ev)-[:derivedFrom]->(a)")
        for chunk in _chunks(batch):
            tx.run(cypher, {"rows": [{k: v for k, v in ev.items() if k != "labels"} for ev in chunk]})


def retract(tx: Tx, article_ids: list[str], ontology: Ontology) -> None:
    """Remove what these articles contributed, keeping what other articles still support."""
    if not article_ids:
        return
    # everything an article contributed hangs off its Article node (events and evidence are
    # derivedFrom it), which the articleId index finds; new articles stop here
    present = tx.run("UNWIND $ids AS id MATCH (a:Article {articleId: id}) RETURN a.articleId AS id",
                     {"ids": article_ids})
    if not present:
        return
    ids = [r["id"] for r in present]
    touched = tx.run(
        "UNWIND $ids AS id MATCH (:Article {articleId: id})<-[:derivedFrom]-(ev:Evidence)-[:subject]->(s) "
        "RETURN s.iri AS iri, collect(DISTINCT [ev.predicate, ev.objectType]) AS facts", {"ids": ids})
    iris = [t["iri"] for t in touched]
    tx.run("UNWIND $ids AS id MATCH (a:Article {articleId: id})<-[:derivedFrom]-(x) DETACH DELETE x",
           {"ids": ids})
    tx.run("UNWIND $ids AS id MATCH (a:Article {articleId: id}) DETACH DELETE a", {"ids": ids})
    if not iris:
        return
    # facts of touched nodes, and shared nodes (entities, posts, campaigns), no article supports
    _drop_unsupported(tx, iris)
    _recompute(tx, touched, ontology)


def _recompute(tx: Tx, touched: list[dict], ontology: Ontology) -> None:
    """Labels and evidence-backed literal properties of the touched nodes, from what remains."""
    retracted = {t["iri"]: {p for p, kind in t["facts"] if kind != "iri" and p != "type"}
                 for t in touched}
    remaining = tx.run(
        "UNWIND $iris AS iri MATCH (s:Resource {iri: iri}) "
        "OPTIONAL MATCH (ev:Evidence)-[:subject]->(s) WHERE ev.objectType <> 'iri' OR ev.predicate = 'type' "
        "RETURN s.iri AS iri, labels(s) AS labels, "
        "collect([ev.predicate, ev.object, ev.objectType]) AS facts",
        {"iris": list(retracted)})
    known_labels = set(ontology.all_labels())
    for node in remaining:
        facts = [f for f in node["facts"] if f and f[0] is not None]
        types = {f[1] for f in facts if f[0] == "type"}
        wanted = {RESOURCE}
        for cls in types:
            wanted.update(ontology.labels_for(URIRef(cls)))
        have = set(node["labels"])
        extra = sorted((have - wanted) & known_labels)
        missing = sorted(wanted - have)
        if extra:
            tx.run(f"MATCH (s:Resource {{iri: $iri}}) REMOVE s:{':'.join(map(_ident, extra))}",
                   {"iri": node["iri"]})
        if missing:
            tx.run(f"MATCH (s:Resource {{iri: $iri}}) SET s:{':'.join(map(_ident, missing))}",
                   {"iri": node["iri"]})
        props: dict = {}
        for predicate in retracted[node["iri"]]:
            values = sorted({_typed(f[1], f[2]) for f in facts if f[0] == predicate})
            if predicate in _MULTI:
                props[predicate] = values or None
            else:
                props[predicate] = values[-1] if values else None
        if props:
            props = {k: v for k, v in props.items() if _IDENT.match(k)}
            tx.run("MATCH (s:Resource {iri: $iri}) SET s += $props", {"iri": node["iri"], "props": props})


def _typed(value: str, kind: str):
    if kind in ("integer", "int", "long"):
        return int(value)
    if kind in ("decimal", "double", "float"):
        return float(value)
    return value


def write_nodes(tx: Tx, nodes: list[NodeRow]) -> None:
    """Shared nodes are merged (lists unioned); article-scoped ones, retracted just before,
    are created outright, which spares the lookup."""
    groups: dict[tuple[bool, tuple[str, ...], tuple[str, ...]], list[dict]] = defaultdict(list)
    for n in nodes:
        if is_article_scoped(n.iri):
            groups[(True, n.labels, ())].append({"iri": n.iri, "props": {**n.props, **n.lists}})
        else:
            groups[(False, n.labels, tuple(sorted(n.lists)))].append(
                {"iri": n.iri, "props": n.props, **n.lists})
    for (scoped, labels, lists), batch in groups.items():
        extra = [label for label in labels if label != RESOURCE]
        if scoped:
            all_labels = ":".join(map(_ident, [RESOURCE, *extra]))
            cypher = f"UNWIND $rows AS row CREATE (n:{all_labels} {{iri: row.iri}}) SET n += row.props"
        else:
            set_labels = f" SET n:{':'.join(map(_ident, extra))}" if extra else ""
            set_lists = "".join(
                f" SET n.{_ident(k)} = CASE WHEN n.{k} IS NULL THEN row.{k} "
                f"ELSE n.{k} + [x IN row.{k} WHERE NOT x IN n.{k}] END" for k in lists)
            cypher = (f"UNWIND $rows AS row MERGE (n:{RESOURCE} {{iri: row.iri}})"
                      f"{set_labels} SET n += row.props{set_lists}")
        for chunk in _chunks(batch):
            tx.run(cypher, {"rows": chunk})


def write_rels(tx: Tx, rels: list[RelRow]) -> None:
    """Links from article-scoped nodes are new (created); links between shared nodes are merged."""
    groups: dict[tuple[str, bool], list[dict]] = defaultdict(list)
    for r in rels:
        groups[(r.type, is_article_scoped(r.src))].append({"src": r.src, "dst": r.dst, "props": r.props})
    for (rel_type, scoped), batch in groups.items():
        verb = "CREATE" if scoped else "MERGE"
        cypher = (f"UNWIND $rows AS row MATCH (a:{RESOURCE} {{iri: row.src}}) "
                  f"MATCH (b:{RESOURCE} {{iri: row.dst}}) "
                  f"{verb} (a)-[r:{_ident(rel_type)}]->(b) SET r += row.props")
        for chunk in _chunks(batch):
            tx.run(cypher, {"rows": chunk})
