"""What a half-written load would leave behind, found with Cypher on either store.

A complete article is its Article node, its events and its evidence, each evidence linked to
the article (derivedFrom) and to its subject, each object fact present as a relationship with
the fact's key, each shared node supported by some evidence, and every IRI on one node. The
checks list what breaks that, a few examples each; `kg doctor` prints them, and
`kg doctor --repair` mends them with kg/graph/repair.py (docs/durability.md).
"""

from __future__ import annotations

from kg.graph.rows import RESOURCE
from kg.graph.stores.base import GraphStore
from kg.rdf.identity import ID

EXAMPLES = 20

# each check: (name, what it means, the query counting it, the query giving examples)
CHECKS: tuple[tuple[str, str, str, str], ...] = (
    ("duplicated_iris", "IRIs held by more than one node",
     f"MATCH (n:{RESOURCE}) WITH n.iri AS iri, count(n) AS c WHERE c > 1 RETURN count(iri) AS n",
     f"MATCH (n:{RESOURCE}) WITH n.iri AS iri, count(n) AS c WHERE c > 1 "
     "RETURN iri AS example ORDER BY example LIMIT $cap"),
    ("evidence_without_article", "evidence with no article it is derived from",
     "MATCH (ev:Evidence) OPTIONAL MATCH (ev)-[:derivedFrom]->(a:Article) "
     "WITH ev, count(a) AS a WHERE a = 0 RETURN count(ev) AS n",
     "MATCH (ev:Evidence) OPTIONAL MATCH (ev)-[:derivedFrom]->(a:Article) "
     "WITH ev, count(a) AS a WHERE a = 0 RETURN ev.articleId AS example "
     "ORDER BY example LIMIT $cap"),
    ("evidence_without_subject", "evidence about no node",
     "MATCH (ev:Evidence) OPTIONAL MATCH (ev)-[:subject]->(s) "
     "WITH ev, count(s) AS s WHERE s = 0 RETURN count(ev) AS n",
     "MATCH (ev:Evidence) OPTIONAL MATCH (ev)-[:subject]->(s) "
     "WITH ev, count(s) AS s WHERE s = 0 RETURN ev.articleId AS example "
     "ORDER BY example LIMIT $cap"),
    ("evidence_without_fact", "evidence of a link that is not in the graph",
     "MATCH (ev:Evidence)-[:subject]->(s) WHERE ev.objectType = 'iri' AND ev.predicate <> 'type' "
     "OPTIONAL MATCH (s)-[r]->() WHERE r.fact = ev.fact "
     "WITH ev, count(r) AS links WHERE links = 0 RETURN count(ev) AS n",
     "MATCH (ev:Evidence)-[:subject]->(s) WHERE ev.objectType = 'iri' AND ev.predicate <> 'type' "
     "OPTIONAL MATCH (s)-[r]->() WHERE r.fact = ev.fact "
     "WITH ev, count(r) AS links WHERE links = 0 RETURN ev.articleId AS example "
     "ORDER BY example LIMIT $cap"),
    ("events_without_article", "events derived from no stored article",
     f"MATCH (n:{RESOURCE}) WHERE n.iri STARTS WITH $events "
     "OPTIONAL MATCH (n)-[:derivedFrom]->(a:Article) WITH n, count(a) AS a WHERE a = 0 "
     "RETURN count(n) AS n",
     f"MATCH (n:{RESOURCE}) WHERE n.iri STARTS WITH $events "
     "OPTIONAL MATCH (n)-[:derivedFrom]->(a:Article) WITH n, count(a) AS a WHERE a = 0 "
     "RETURN n.iri AS example ORDER BY example LIMIT $cap"),
    ("unsupported_nodes", "nodes (not articles, events or evidence) no evidence is about",
     f"MATCH (s:{RESOURCE}) WHERE NOT s:Article AND NOT s:Evidence AND NOT s.iri STARTS WITH $events "
     "OPTIONAL MATCH (ev:Evidence)-[:subject]->(s) WITH s, count(ev) AS ev WHERE ev = 0 "
     "RETURN count(s) AS n",
     f"MATCH (s:{RESOURCE}) WHERE NOT s:Article AND NOT s:Evidence AND NOT s.iri STARTS WITH $events "
     "OPTIONAL MATCH (ev:Evidence)-[:subject]->(s) WITH s, count(ev) AS ev WHERE ev = 0 "
     "RETURN s.iri AS example ORDER BY example LIMIT $cap"),
)


def _params(examples: int = EXAMPLES) -> dict:
    return {"events": str(ID["event/"]), "cap": examples}


def count(store: GraphStore, name: str) -> int:
    """What one check finds, counted (a repair looks before it opens a transaction)."""
    [query] = [c for n, _, c, _ in CHECKS if n == name]
    return store.read(query, _params()).rows[0]["n"]


def integrity(store: GraphStore, examples: int = EXAMPLES) -> dict[str, dict]:
    """{check: {"what", "count", "examples"}} for every check; all counts 0 in a sound graph."""
    params = _params(examples)
    found = {}
    for name, what, count, sample in CHECKS:
        n = store.read(count, params).rows[0]["n"]
        rows = store.read(sample, params).rows if n else []
        found[name] = {"what": what, "count": n, "examples": [r["example"] for r in rows]}
    return found


def problems(found: dict[str, dict]) -> int:
    """How many things the checks found, all kinds together."""
    return sum(check["count"] for check in found.values())
