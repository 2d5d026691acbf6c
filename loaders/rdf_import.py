"""RDF back into the store: `kg import` of what `kg export` wrote, in any of its formats.

    report = import_rdf(store, ontology, read_rdf(path), batch_size=200)

The triples are split by article, the way a load writes them: a batch holds its articles' own
nodes (the article, its events and evidence: IRIs scoped to one article) and every shared
node (entity, post, campaign) they lead to, with all of that node's triples; so each batch is
whole, is checked against the shapes, and is written in one transaction as a load's batch is.
A shared node several batches lead to is merged by each, to the same content. Every batch is
checked before the first is written: a file that does not conform writes nothing. Dates that
the export typed (xsd:date, xsd:gMonthDay) are the plain strings of the store again, so an
export imported into an empty store gives back the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.exceptions import Error as RDFLibError
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.errors import InputError, ValidationError
from kg.graph.export import FORMATS, SUFFIXES
from kg.graph.rows import graph_rows
from kg.graph.stored_ontology import check_ontology, ensure_ontology
from kg.graph.stores.base import GraphStore
from kg.graph.writer import commit
from kg.ontology import Ontology, syntax_position
from kg.rdf import validate
from kg.rdf.identity import is_article_scoped
from kg.rdf.literals import plain_date
from kg.rdf.tripleset import TripleSet
from kg.vocab import KG


@dataclass(slots=True)
class ImportReport:
    articles: list[str] = field(default_factory=list)
    triples: int = 0


def rdf_format(path: Path, fmt: str | None = None) -> str:
    """The format named, else the one the file's suffix says; InputError if neither."""
    fmt = fmt or SUFFIXES.get(path.suffix.lower())
    if fmt not in FORMATS:
        raise InputError(f"cannot tell the RDF format from the suffix {path.suffix or '(none)'}; "
                         f"name it with --format ({', '.join(FORMATS)})", file=str(path))
    return fmt


def read_rdf(path: Path, fmt: str | None = None) -> Graph:
    """The triples of an RDF file (a TriG file's graphs together), or an InputError naming it."""
    fmt = rdf_format(path, fmt)
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    try:
        if fmt == "trig":
            dataset = Dataset(default_union=True)
            dataset.parse(path, format="trig")
            graph = Graph()
            for triple in dataset.triples((None, None, None)):
                graph.add(triple)
            return graph
        return Graph().parse(path, format=FORMATS[fmt])
    except BadSyntax as exc:
        line, column = syntax_position(exc)
        raise InputError(f"not {fmt}: {exc._why} (column {column})", file=str(path),
                         line=line) from None
    except (RDFLibError, ValueError, SyntaxError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise InputError(f"not {fmt}: {exc}", file=str(path)) from None


def _owner(graph: Graph, node: URIRef) -> URIRef | None:
    """The article an article-scoped node belongs to: itself, or what it is derivedFrom."""
    if (node, KG.articleId, None) in graph:
        return node
    return graph.value(node, KG.derivedFrom)


def article_batches(graph: Graph, batch_size: int) -> Iterator[tuple[list[str], TripleSet]]:
    """(article ids, triples) per batch of articles, each batch whole (see the module doc)."""
    outgoing: dict = defaultdict(list)
    pointing: dict = defaultdict(set)  # article-scoped node <- shared nodes that link to it
    for s, p, o in graph:
        if isinstance(o, Literal):
            o = plain_date(o)
        outgoing[s].append((p, o))
        if isinstance(o, URIRef) and is_article_scoped(str(o)) and not is_article_scoped(str(s)):
            pointing[o].add(s)
    articles = sorted(((str(aid), node) for node, aid in graph.subject_objects(KG.articleId)
                       if isinstance(node, URIRef)), key=lambda pair: pair[0])
    owned: dict = defaultdict(list)
    for s in outgoing:
        if isinstance(s, URIRef) and is_article_scoped(str(s)):
            owner = _owner(graph, s)
            if owner is None:
                raise InputError(f"{s} belongs to an article but is derived from none")
            owned[owner].append(s)
    for start in range(0, len(articles), batch_size):
        batch = articles[start:start + batch_size]
        scoped = {s for _, node in batch for s in owned[node]}
        triples = TripleSet()
        shared = set()
        for s in scoped:
            triples.add_about(s, outgoing[s])
            shared.update(o for _, o in outgoing[s]
                          if isinstance(o, URIRef) and not is_article_scoped(str(o)))
            shared.update(pointing.get(s, ()))
        todo = list(shared)
        while todo:  # shared nodes they lead to, and what those lead to
            node = todo.pop()
            for _, o in outgoing.get(node, ()):
                if isinstance(o, URIRef) and o not in shared and not is_article_scoped(str(o)):
                    shared.add(o)
                    todo.append(o)
        for s in shared:
            if s in outgoing:  # a link to an article-scoped node goes with that node's batch
                triples.add_about(s, [(p, o) for p, o in outgoing[s]
                                      if not (isinstance(o, URIRef) and is_article_scoped(str(o)))
                                      or o in scoped])
        yield [aid for aid, _ in batch], triples


def import_rdf(store: GraphStore, ontology: Ontology, graph: Graph, *, batch_size: int = 200,
               origin: str = "", on_batch: Callable[[int], None] | None = None) -> ImportReport:
    """Write the articles of `graph` into the store, replacing stored versions of them."""
    batches = list(article_batches(graph, batch_size))
    if not batches:
        raise InputError("no articles (nothing has a kg:articleId)", file=origin or None)
    for ids, triples in batches:  # all checked before anything is written
        found = validate.violations(triples, ontology)
        if found:
            raise ValidationError(ids[0] if len(ids) == 1 else f"{ids[0]}..{ids[-1]}", found)
    check_ontology(store, ontology)  # another ontology than the store's: refused, nothing written
    store.ensure_schema()
    ensure_ontology(store, ontology)
    report = ImportReport(triples=len(graph))
    for ids, triples in batches:
        commit(store, graph_rows(triples, ontology), ontology)
        report.articles.extend(ids)
        if on_batch:
            on_batch(len(ids))
    return report
