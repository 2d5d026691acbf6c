"""The Cypher the writer runs, built here and nowhere else (kg/graph/writer.py runs it).

Both stores run the same statements. Labels, relationship types and property keys come from
the ontology and are spliced in after `ident` checks them; every value is a parameter.
"""

from __future__ import annotations

import re

from kg.graph.rows import RESOURCE
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def ident(name: str) -> str:
    """Labels, types and keys are spliced into Cypher, so they must be plain identifiers."""
    if not _IDENT.match(name):
        raise ValueError(f"not a safe Cypher identifier: {name!r}")
    return name


def is_ident(name: str) -> bool:
    return bool(_IDENT.match(name))


def labels(names) -> str:
    """`A:B:C` for a label list, each checked."""
    return ":".join(map(ident, names))


# --- articles ---------------------------------------------------------------------------------

STORED_ARTICLES = ("UNWIND $ids AS id MATCH (a:Article {articleId: id}) "
                   "RETURN a.articleId AS id")
# what an article contributed: the shared nodes its evidence is about, with the facts
TOUCHED_BY_ARTICLES = (
    "UNWIND $ids AS id MATCH (:Article {articleId: id})<-[:derivedFrom]-(ev:Evidence)-[:subject]->(s) "
    "RETURN s.iri AS iri, collect(DISTINCT [ev.predicate, ev.objectType]) AS facts")
DELETE_DERIVED = ("UNWIND $ids AS id MATCH (a:Article {articleId: id})<-[:derivedFrom]-(x) "
                  "DETACH DELETE x")
DELETE_ARTICLES = "UNWIND $ids AS id MATCH (a:Article {articleId: id}) DETACH DELETE a"
DELETE_BY_IRI = f"UNWIND $iris AS iri MATCH (n:{RESOURCE} {{iri: iri}}) DETACH DELETE n"

# --- support: links and nodes no evidence stands behind any more --------------------------------

DROP_UNSUPPORTED_LINKS = (
    f"UNWIND $iris AS iri MATCH (s:{RESOURCE} {{iri: iri}})-[r]->() WHERE r.fact IS NOT NULL "
    "OPTIONAL MATCH (ev:Evidence {fact: r.fact}) "
    "WITH r, count(ev) AS support WHERE support = 0 DELETE r")
DROP_UNSUPPORTED_NODES = (
    f"UNWIND $iris AS iri MATCH (s:{RESOURCE} {{iri: iri}}) WHERE NOT s:Article "
    "OPTIONAL MATCH (ev:Evidence)-[:subject]->(s) "
    "WITH s, count(ev) AS support WHERE support = 0 DETACH DELETE s")
# the labels and evidence-backed literal facts that remain on each node without the evidence of
# the articles $ids (read before that evidence is deleted)
REMAINING_FACTS = (
    f"UNWIND $iris AS iri MATCH (s:{RESOURCE} {{iri: iri}}) "
    "OPTIONAL MATCH (ev:Evidence)-[:subject]->(s) "
    "WHERE (ev.objectType <> 'iri' OR ev.predicate = 'type') AND NOT ev.articleId IN $ids "
    "RETURN s.iri AS iri, labels(s) AS labels, "
    "collect([ev.predicate, ev.object, ev.objectType]) AS facts")
SET_PROPS = f"MATCH (s:{RESOURCE} {{iri: $iri}}) SET s += $props"


def remove_labels(names) -> str:
    return f"MATCH (s:{RESOURCE} {{iri: $iri}}) REMOVE s:{labels(names)}"


def add_labels(names) -> str:
    return f"MATCH (s:{RESOURCE} {{iri: $iri}}) SET s:{labels(names)}"


# --- writing rows -----------------------------------------------------------------------------


def create_evidence(node_labels) -> str:
    """Evidence nodes created with their two links in one statement (they are most of a write)."""
    return (f"UNWIND $rows AS row MATCH (s:{RESOURCE} {{iri: row.subject}}) "
            f"MATCH (a:{RESOURCE} {{iri: row.derivedFrom}}) "
            f"CREATE (ev:{labels([RESOURCE, *node_labels])} {{iri: row.iri}}) SET ev += row.props "
            "CREATE (ev)-[:subject]->(s) CREATE (ev)-[:derivedFrom]->(a)")


def create_nodes(node_labels) -> str:
    """Article-scoped nodes, retracted just before: created outright, which spares the lookup."""
    return (f"UNWIND $rows AS row CREATE (n:{labels([RESOURCE, *node_labels])} {{iri: row.iri}}) "
            "SET n += row.props")


def merge_nodes(node_labels, lists) -> str:
    """Shared nodes merged by IRI; their list properties unioned with what is stored."""
    set_labels = f" SET n:{labels(node_labels)}" if node_labels else ""
    set_lists = "".join(
        f" SET n.{ident(k)} = CASE WHEN n.{k} IS NULL THEN row.{k} "
        f"ELSE n.{k} + [x IN row.{k} WHERE NOT x IN n.{k}] END" for k in lists)
    return (f"UNWIND $rows AS row MERGE (n:{RESOURCE} {{iri: row.iri}})"
            f"{set_labels} SET n += row.props{set_lists}")


def link(rel_type: str, *, create: bool) -> str:
    """Links from article-scoped nodes are new (created); links between shared nodes merged."""
    verb = "CREATE" if create else "MERGE"
    return (f"UNWIND $rows AS row MATCH (a:{RESOURCE} {{iri: row.src}}) "
            f"MATCH (b:{RESOURCE} {{iri: row.dst}}) "
            f"{verb} (a)-[r:{ident(rel_type)}]->(b) SET r += row.props")
