"""SHACL validation of the whole stored graph (`kg validate`), article by article.

The shapes only look along outgoing simple paths of a focus node (sh:targetClass,
sh:targetSubjectsOf, sh:path), so a set of nodes is checked exactly from their types (from
their labels), literal properties, outgoing relationships and the types of the nodes those point
to. Articles are taken a batch at a time: the article nodes, their Evidence and the subjects of
that evidence (entities, events, posts) not checked before; then any Resource no article reaches.
Each page of nodes is checked node by node with the compiled shapes (kg/rdf/shapes.py), or, for
shapes the node checker cannot take, turned into the triples kg/graph/export.py would give (a
TripleSet) and validated page-wide by kg/rdf/validate.py (compiled shapes, else pyshacl). Only the IRIs already
checked are kept between pages. Violations name the node, the shape, the path, the message and
the articles whose evidence supports the node.
"""

from __future__ import annotations

import queue
import threading
from functools import lru_cache
from typing import Callable, Iterator

from rdflib import RDF, Literal, URIRef

from kg.rdf import validate
from kg.errors import OntologyError
from kg.gc_pause import collect_young, cyclic_gc_paused
from kg.graph.export import (_DATATYPES, _EVIDENCE_OWN, _EVIDENCE_TERMS, _literal, _specific_classes,
                             cached_literal, node_triples)
from kg.ontology import Ontology
from kg.graph.rows import RESOURCE
from kg.rdf.shapes import NodeChecker, UnsupportedShape
from kg.rdf.tripleset import TripleSet
from kg.graph.stores.base import GraphStore

PAGE = 2000
_TYPE = RDF.type
ARTICLES_PER_BATCH = 200


def _types(ontology: Ontology, labels: tuple[str, ...]) -> list[URIRef]:
    return _cached_types(ontology, labels)


@lru_cache(maxsize=4096)
def _cached_types(ontology: Ontology, labels: tuple[str, ...]) -> list[URIRef]:
    return _specific_classes(list(labels), ontology)


def _term(ontology: Ontology, name: str) -> URIRef | None:
    term = _EVIDENCE_TERMS.get(name)
    if term is not None:
        return term
    try:
        return ontology.term_for_name(name)
    except OntologyError:
        return None


def _lit(value) -> Literal:
    return cached_literal(value) if not isinstance(value, (list, dict)) else _literal(value)


def page_rows(nodes: list[dict], rels: list[dict], ontology: Ontology) -> tuple[TripleSet, list[dict]]:
    """The page as the triples kg/graph/export.py would give (in a TripleSet: an rdflib Graph costs
    more to build than the checks), and the property keys the ontology does not know."""
    g = TripleSet()
    unknown: list[dict] = []
    interned: dict[str, URIRef] = {}  # one object per IRI: dict lookups then skip URIRef.__eq__

    def ref(iri: str) -> URIRef:
        term = interned.get(iri)
        if term is None:
            term = interned[iri] = URIRef(iri)
        return term

    def known(name: str, what: str, iri: str) -> URIRef | None:
        found = _term(ontology, name)
        if found is None:
            unknown.append(_unknown(iri, name, what))
        return found

    for row in nodes:
        iri = row["iri"]
        g += node_triples(iri, _types(ontology, tuple(sorted(row["labels"]))), "Evidence" in row["labels"],
                          row["props"], lambda name, what: known(name, what, iri), ref, _lit)
    typed: set[str] = set()
    for rel in rels:
        term = _term(ontology, rel["p"])
        if term is None:
            unknown.append(_unknown(rel["s"], rel["p"], "relationship type"))
            continue
        o = ref(rel["o"])
        g.add((ref(rel["s"]), term, o))
        if rel["o"] not in typed:
            typed.add(rel["o"])
            for cls in _types(ontology, tuple(sorted(rel["labels"]))):
                g.add((o, _TYPE, cls))
    return g, unknown


@lru_cache(maxsize=4096)
def _closed_types(ontology: Ontology, labels: tuple[str, ...]) -> frozenset:
    """The classes of a node with these labels, closed under superclasses (as kg/rdf/shapes.py's
    _Data does)."""
    types: set = set()
    for cls in _types(ontology, labels):
        types.add(cls)
        try:
            types.update(ontology.superclasses(cls))
        except OntologyError:
            pass
    return frozenset(types)


@lru_cache(maxsize=8)
def _node_checker(ontology: Ontology) -> NodeChecker | None:
    compiled = validate._compiled(ontology)
    if compiled is None:
        return None
    try:
        return NodeChecker(compiled)
    except UnsupportedShape:
        return None


class _Types:
    """data.has_type for the compiled checks: closed types by node."""

    __slots__ = ("types",)

    def __init__(self, types: dict) -> None:
        self.types = types

    def has_type(self, node, cls) -> bool:
        return cls in self.types.get(node, ())


_MISSING = object()


def _node_violations(checker: NodeChecker, nodes: list[dict], rels: list[dict],
                     ontology: Ontology) -> tuple[list[dict], list[dict]]:
    """The page's violations node by node, no whole-page shape scans. page_rows' triples, built
    straight into what NodeChecker reads (subject -> predicate -> objects), keyed by the shapes'
    own term objects and one object per IRI, so the lookups are settled by identity."""
    interned: dict[str, URIRef] = {}
    names: dict = {}  # property / relationship name -> the shapes' term (None: not a term)
    unknown: list[dict] = []
    out: dict = {}
    type_term = checker.canonical(_TYPE)
    predicate_term = checker.canonical(RDF.predicate)
    object_term = checker.canonical(RDF.object)
    lit = _lit

    def ref(iri: str) -> URIRef:
        term = interned.get(iri)
        if term is None:
            term = interned[iri] = URIRef(iri)
        return term

    def term_of(name: str):
        term = names.get(name, _MISSING)
        if term is _MISSING:
            found = _term(ontology, name)
            term = names[name] = None if found is None else checker.canonical(found)
        return term

    def values(props: dict, term) -> list:
        got = props.get(term)
        if got is None:
            got = props[term] = []
        return got

    for row in nodes:
        iri = row["iri"]
        s = ref(iri)
        props_out = out.get(s)
        if props_out is None:
            props_out = out[s] = {}
        classes = _types(ontology, tuple(sorted(row["labels"])))
        if classes:
            values(props_out, type_term).extend(classes)
        props = row["props"]
        evidence = "Evidence" in row["labels"]
        for name, value in props.items():
            if name == "iri" or (evidence and name in _EVIDENCE_OWN):
                continue
            term = term_of(name)
            if term is None:
                unknown.append(_unknown(iri, name, "property key"))
                continue
            if isinstance(value, list):
                if value:
                    values(props_out, term).extend([lit(v) for v in value])
            else:
                values(props_out, term).append(lit(value))
        if evidence and props.get("predicate"):
            predicate = _TYPE if props["predicate"] == "type" else _term(ontology, props["predicate"])
            if predicate is None:
                unknown.append(_unknown(iri, props["predicate"], "Evidence.predicate"))
            else:
                values(props_out, predicate_term).append(predicate)
            kind, obj = props.get("objectType", "string"), props.get("object")
            if obj is not None:
                values(props_out, object_term).append(
                    ref(obj) if kind == "iri" else Literal(obj, datatype=_DATATYPES.get(kind)))
    types: dict = {}
    by_labels: dict = {}
    for rel in rels:
        term = term_of(rel["p"])
        o = ref(rel["o"])
        labels = tuple(rel["labels"])
        closed = by_labels.get(labels)
        if closed is None:
            closed = by_labels[labels] = _closed_types(ontology, tuple(sorted(labels)))
        types[o] = closed
        if term is None:
            unknown.append(_unknown(rel["s"], rel["p"], "relationship type"))
            continue
        s = ref(rel["s"])
        props_out = out.get(s)
        if props_out is None:
            props_out = out[s] = {}
        values(props_out, term).append(o)
    own = []
    for row in nodes:
        s = interned[row["iri"]]
        t = types[s] = _closed_types(ontology, tuple(sorted(row["labels"])))
        own.append((s, t))
    has = _Types(types)
    found: list[dict] = []
    empty: dict = {}
    for s, t in own:
        checker.violations(s, t, out.get(s, empty), has, found)
    return found, unknown


def _unknown(iri: str, name: str, what: str) -> dict:
    return {"focus": iri, "shape": "ontology", "path": name,
            "message": f"{what} {name!r} is not a term of the ontology"}


def resource_count(store: GraphStore) -> int:
    """The nodes validate_graph checks (its on_page counts up to this)."""
    return store.read(f"MATCH (n:{RESOURCE}) RETURN count(n) AS n").rows[0]["n"]


def validate_graph(store: GraphStore, ontology: Ontology, *, page: int = PAGE,
                   articles_per_batch: int = ARTICLES_PER_BATCH,
                   on_page: Callable[[int], None] | None = None) -> dict:
    """Every violation of the shapes in the stored graph, with the articles behind each node.

    The cyclic garbage collector is paused meanwhile and only the young generations collected,
    once a page: the literal and verdict caches and the IRIs seen grow with the graph, and
    Python's full collections, which rescan all of them, took over half the time at 10,000
    articles (157 of them). Cycles made within a page go with it; the collector is as it was
    after.
    """
    with cyclic_gc_paused():
        return _validate_graph(store, ontology, page=page, articles_per_batch=articles_per_batch,
                               on_page=on_page)


def _validate_graph(store: GraphStore, ontology: Ontology, *, page: int,
                    articles_per_batch: int, on_page: Callable[[int], None] | None) -> dict:
    """validate_graph's work.

    Article by article (a batch at a time): its node, its Evidence, and the subjects of that
    evidence (entities, events, posts) not checked before; then any Resource no article reaches.
    Only iris are kept between batches, never the graph.
    """
    found: list[dict] = []
    seen: set[str] = set()
    ids = [r["id"] for r in store.read("MATCH (a:Article) RETURN a.articleId AS id ORDER BY id").rows]

    def pages():
        """Pages of nodes not checked yet, article batch by article batch, fetched."""
        for i in range(0, len(ids), articles_per_batch):
            chunk = ids[i:i + articles_per_batch]
            rows = store.read(
                "UNWIND $ids AS id MATCH (a:Article {articleId: id}) RETURN a.iri AS iri "
                "UNION UNWIND $ids AS id MATCH (ev:Evidence {articleId: id}) RETURN ev.iri AS iri "
                "UNION UNWIND $ids AS id MATCH (ev:Evidence {articleId: id})-[:subject]->(s) "
                "RETURN s.iri AS iri", {"ids": chunk}).rows
            todo = sorted({r["iri"] for r in rows if r["iri"]} - seen)
            seen.update(todo)
            for j in range(0, len(todo), page):
                yield todo[j:j + page], _fetch(store, todo[j:j + page])

    for iris, fetched in _prefetched(pages()):
        _check_nodes(store, ontology, iris, found, fetched)
        collect_young()  # the page's young objects; what survives is never rescanned
        if on_page:
            on_page(len(seen))
    if resource_count(store) > len(seen):  # nodes no article reaches (none are written so, but check them)
        rest: list[str] = []
        after = ""
        while True:
            iris = [r["iri"] for r in store.read(
                f"MATCH (n:{RESOURCE}) WHERE n.iri > $after WITH n.iri AS iri ORDER BY iri "
                "LIMIT $page RETURN iri", {"after": after, "page": page * 5}).rows]
            rest.extend(x for x in iris if x not in seen)
            if len(rest) >= page or (rest and len(iris) < page * 5):
                _check_nodes(store, ontology, rest, found)
                collect_young()
                seen.update(rest)
                rest = []
            if len(iris) < page * 5:
                break
            after = iris[-1]
    _attach_articles(store, found)
    found.sort(key=lambda v: (v["focus"], v["shape"], v["path"]))
    return {"articles": len(ids), "nodes": len(seen), "violations": found}


def _prefetched(items: Iterator) -> Iterator:
    """`items`, each produced in a worker thread while the one before is being checked: the
    store's time (its own process) overlaps the Python checks. One page ahead, no more."""
    box: queue.Queue = queue.Queue(maxsize=1)
    done = object()
    stop = threading.Event()

    def work() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        box.put((None, item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            box.put((None, done))
        except BaseException as exc:  # handed to the consumer, raised there
            box.put((exc, None))

    worker = threading.Thread(target=work, name="kg-validate-fetch", daemon=True)
    worker.start()
    try:
        while True:
            exc, item = box.get()
            if exc is not None:
                raise exc
            if item is done:
                return
            yield item
    finally:
        stop.set()
        while worker.is_alive():
            try:
                box.get_nowait()
            except queue.Empty:
                pass
            worker.join(timeout=0.1)


def _fetch(store: GraphStore, iris: list[str]) -> tuple[list[dict], list[dict]]:
    """A page of nodes, their outgoing relationships, and the labels of what those point to."""
    nodes = store.read(f"UNWIND $iris AS iri MATCH (n:{RESOURCE} {{iri: iri}}) "
                       "RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props",
                       {"iris": iris}).rows
    rels = store.read(f"UNWIND $iris AS iri MATCH (n:{RESOURCE} {{iri: iri}})-[r]->(m:{RESOURCE}) "
                      "RETURN n.iri AS s, type(r) AS p, m.iri AS o", {"iris": iris}).rows
    labels = {n["iri"]: n["labels"] for n in nodes}
    targets = sorted({r["o"] for r in rels} - labels.keys())
    if targets:
        labels.update((r["iri"], r["labels"]) for r in store.read(
            f"UNWIND $iris AS iri MATCH (n:{RESOURCE} {{iri: iri}}) RETURN n.iri AS iri, labels(n) AS labels",
            {"iris": targets}).rows)
    for r in rels:
        r["labels"] = labels.get(r["o"], [])
    return nodes, rels


def _check_nodes(store: GraphStore, ontology: Ontology, iris: list[str], found: list[dict],
                 fetched: tuple[list[dict], list[dict]] | None = None) -> None:
    nodes, rels = fetched if fetched is not None else _fetch(store, iris)
    checker = _node_checker(ontology)
    if checker is not None:
        violations, unknown = _node_violations(checker, nodes, rels, ontology)
    else:  # page-wide: compiled shapes, or pyshacl where they do not compile
        data, unknown = page_rows(nodes, rels, ontology)
        violations = validate.violations(data, ontology)
    on_page = set(iris)
    found.extend(unknown)
    found.extend(v for v in violations if v["focus"] in on_page)


def _attach_articles(store: GraphStore, found: list[dict]) -> None:
    """Which articles each violating node comes from (its evidence, its article, itself)."""
    iris = sorted({v["focus"] for v in found})
    articles: dict[str, set[str]] = {}
    for i in range(0, len(iris), PAGE):
        rows = store.read(
            f"UNWIND $iris AS iri MATCH (n:{RESOURCE} {{iri: iri}}) "
            "OPTIONAL MATCH (ev:Evidence)-[:subject]->(n) "
            "OPTIONAL MATCH (n)-[:derivedFrom]->(a:Article) "
            "RETURN n.iri AS iri, n.articleId AS own, collect(DISTINCT ev.articleId) AS evidence, "
            "collect(DISTINCT a.articleId) AS derived", {"iris": iris[i:i + PAGE]}).rows
        for row in rows:
            articles[row["iri"]] = {x for x in [row["own"], *row["evidence"], *row["derived"]] if x}
    for v in found:
        v["articles"] = sorted(articles.get(v["focus"], ()))
