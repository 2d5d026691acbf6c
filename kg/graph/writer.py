"""Graph rows written to the store, in one transaction per batch of articles.

Loading an article replaces what its earlier version contributed: its evidence, events and
article node are removed first; facts and entities that no other article supports go with
them, and the labels and multi-valued properties of entities it touched are recomputed from
the evidence that remains. Then the new rows are merged. Both stores run the same statements;
the statements are built in kg/graph/cypher.py.

Everything a write needs to know is read first (`tx.run`: the stored articles, what they
touched, the facts that remain without them); every change after that is a `tx.write`, whose
rows are not needed. On the embedded store those go to the server as one atomic unit, so a
batch is wholly written or not at all whatever dies (docs/durability.md).
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from typing import Iterable

from rdflib import URIRef

from kg.graph import cypher
from kg.graph.rows import MULTI_VALUED, RESOURCE, GraphRows, NodeRow, RelRow, prop_name
from kg.graph.stores.base import GraphStore, Tx
from kg.ontology import Ontology
from kg.rdf.identity import is_article_scoped

CHUNK = 2000
_MULTI = frozenset(prop_name(p) for p in MULTI_VALUED)


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def commit(store: GraphStore, rows: GraphRows, ontology: Ontology) -> None:
    """One batch in one store transaction. A batch of new articles only adds, and can be undone
    without a copy of the graph; a store that rolls back by itself needs no undo, nor the read
    that finds out."""
    undo = None
    if not store.rolls_back and not stored_articles(store, rows.article_ids):
        undo = partial(undo_new, rows=rows, ontology=ontology)

    def in_turn(tx: Tx) -> None:
        # two loads of one article at once: the second waits, then replaces what the first
        # committed (without the turn, both would create its article node, and one would fail)
        store.take_turn(tx, *(f"article:{a}" for a in sorted(rows.article_ids)))
        write(tx, rows, ontology)

    store.run_transaction(in_turn, undo=undo)


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
    return [r["id"] for r in store.read(cypher.STORED_ARTICLES, {"ids": article_ids}).rows]


def undo_new(tx: Tx, rows: GraphRows, ontology: Ontology) -> None:
    """Reverse any part of a failed `write` of articles the graph did not hold before.

    Such a write only adds: its article-scoped nodes (articles, events, evidence) are new and
    go by IRI; links and shared nodes that no evidence supports any more go; the labels and
    evidence-backed properties (aliases, star ratings) of the shared nodes it touched are
    recomputed from the evidence that remains, as a retraction does.
    """
    scoped = [n.iri for n in rows.nodes if is_article_scoped(n.iri)]
    shared = [n.iri for n in rows.nodes if not is_article_scoped(n.iri)]
    evidence, _, _ = _split_evidence(rows)
    facts: dict[str, set] = defaultdict(set)
    for ev in evidence:
        facts[ev["subject"]].add((ev["props"].get("predicate"), ev["props"].get("objectType")))
    touched = [{"iri": iri, "facts": sorted(facts.get(iri, ()))} for iri in shared]
    remaining = _remaining(tx, touched, rows.article_ids) if shared else []
    for chunk in _chunks(scoped):
        tx.write(cypher.DELETE_BY_IRI, {"iris": chunk})
    if not shared:
        return
    drop_unsupported(tx, shared)
    recompute(tx, touched, remaining, ontology)


def drop_unsupported(tx: Tx, iris: list[str]) -> None:
    """Links of these nodes that no evidence supports, then the nodes no evidence is about."""
    tx.write(cypher.DROP_UNSUPPORTED_LINKS, {"iris": iris})
    tx.write(cypher.DROP_UNSUPPORTED_NODES, {"iris": iris})


def write_evidence(tx: Tx, evidence: list[dict]) -> None:
    groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for ev in evidence:
        groups[ev["labels"]].append(ev)
    for labels, batch in groups.items():
        statement = cypher.create_evidence([lb for lb in labels if lb != RESOURCE])
        for chunk in _chunks(batch):
            tx.write(statement, {"rows": [{k: v for k, v in ev.items() if k != "labels"}
                                          for ev in chunk]})


def retract(tx: Tx, article_ids: list[str], ontology: Ontology) -> None:
    """Remove what these articles contributed, keeping what other articles still support."""
    if not article_ids:
        return
    # everything an article contributed hangs off its Article node (events and evidence are
    # derivedFrom it), which the articleId index finds; new articles stop here
    present = tx.run(cypher.STORED_ARTICLES, {"ids": article_ids})
    if not present:
        return
    ids = [r["id"] for r in present]
    touched = tx.run(cypher.TOUCHED_BY_ARTICLES, {"ids": ids})
    iris = [t["iri"] for t in touched]
    remaining = _remaining(tx, touched, ids) if iris else []
    tx.write(cypher.DELETE_DERIVED, {"ids": ids})
    tx.write(cypher.DELETE_ARTICLES, {"ids": ids})
    if not iris:
        return
    # facts of touched nodes, and shared nodes (entities, posts, campaigns), no article supports
    drop_unsupported(tx, iris)
    recompute(tx, touched, remaining, ontology)


def _remaining(tx: Tx, touched: list[dict], article_ids: list[str]) -> list[dict]:
    """The facts the touched nodes keep once these articles' evidence is gone, read before it
    goes (a node that will not survive gets writes that match nothing)."""
    return tx.run(cypher.REMAINING_FACTS, {"iris": [t["iri"] for t in touched], "ids": article_ids})


def recompute(tx: Tx, touched: list[dict], remaining: list[dict], ontology: Ontology) -> None:
    """Labels and evidence-backed literal properties of the touched nodes, from what remains."""
    retracted = {t["iri"]: {p for p, kind in t["facts"] if kind != "iri" and p != "type"}
                 for t in touched}
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
            tx.write(cypher.remove_labels(extra), {"iri": node["iri"]})
        if missing:
            tx.write(cypher.add_labels(missing), {"iri": node["iri"]})
        props: dict = {}
        for predicate in retracted[node["iri"]]:
            values = sorted({_typed(f[1], f[2]) for f in facts if f[0] == predicate})
            if predicate in _MULTI:
                props[predicate] = values or None
            else:
                props[predicate] = values[-1] if values else None
        if props:
            props = {k: v for k, v in props.items() if cypher.is_ident(k)}
            tx.write(cypher.SET_PROPS, {"iri": node["iri"], "props": props})


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
        statement = cypher.create_nodes(extra) if scoped else cypher.merge_nodes(extra, lists)
        for chunk in _chunks(batch):
            tx.write(statement, {"rows": chunk})


def write_rels(tx: Tx, rels: list[RelRow]) -> None:
    """Links from article-scoped nodes are new (created); links between shared nodes are merged."""
    groups: dict[tuple[str, bool], list[dict]] = defaultdict(list)
    for r in rels:
        groups[(r.type, is_article_scoped(r.src))].append({"src": r.src, "dst": r.dst, "props": r.props})
    for (rel_type, scoped), batch in groups.items():
        statement = cypher.link(rel_type, create=scoped)
        for chunk in _chunks(batch):
            tx.write(statement, {"rows": chunk})
