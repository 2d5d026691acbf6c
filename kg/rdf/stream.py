"""RDF text written as the triples come: N-Triples, Turtle and TriG without a graph in memory.

rdflib's serializers need the whole graph first (and sort it), which at 10,000 articles is
most of an export's time and memory. These writers take triples one subject after another
(a subject may come back later, which all three syntaxes allow) and write each at once, so an
export holds one page of the store at a time. IRIs are written as prefixed names only when
the local part is a plain name (letters, digits, CJK, `_`, `-`, `.` inside), else in full.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Iterable, TextIO

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager

STREAMED = ("ntriples", "turtle", "trig")
_LOCAL = re.compile(r"[A-Za-z0-9_\u3001-\ud7ff\uf900-\ufdcf]([A-Za-z0-9_\-.\u3001-\ud7ff\uf900-\ufdcf]*"
                    r"[A-Za-z0-9_\-\u3001-\ud7ff\uf900-\ufdcf])?")


_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt(term) -> str:
    """A term in N-Triples: one line whatever the literal holds (Literal.n3 may use
    Turtle's triple quotes)."""
    if isinstance(term, URIRef):
        return _iri_nt(str(term))
    if not isinstance(term, Literal):
        return term.n3()
    text = f'"{str(term).translate(_NT_ESCAPES)}"'
    if term.language:
        return f"{text}@{term.language}"
    return f"{text}^^<{term.datatype}>" if term.datatype else text


@lru_cache(maxsize=1 << 16)
def _iri_nt(iri: str) -> str:
    """An IRI in N-Triples (checked by rdflib), cached by its text: subjects and predicates
    repeat, and a plain-str key spares rdflib's URIRef.__eq__ on every lookup."""
    return URIRef(iri).n3()


def write_ntriples(triples: Iterable[tuple], out: TextIO) -> int:
    """One line per triple; returns how many."""
    n = 0
    write = out.write
    for s, p, o in triples:
        write(f"{_nt(s)} {_nt(p)} {_nt(o)} .\n")
        n += 1
    return n


class _Terms:
    """Terms as Turtle text, with the given prefixes; recent IRIs cached (classes, predicates
    and a run's subject repeat)."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self._prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))  # longest first
        self._nsm = NamespaceManager(_graph_for(prefixes))
        # keyed by the IRI's text (a plain-str key spares URIRef.__eq__); bounded: flat memory
        self._text = lru_cache(maxsize=1 << 16)(self._iri)

    def iri(self, term: URIRef) -> str:
        return self._text(str(term))

    def _iri(self, iri: str) -> str:
        for prefix, ns in self._prefixes:
            if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns):]):
                return f"{prefix}:{iri[len(ns):]}"
        return URIRef(iri).n3()

    def term(self, term) -> str:
        if isinstance(term, Literal):
            return term.n3(self._nsm)
        return self.iri(term)


def _graph_for(prefixes: dict[str, str]) -> Graph:
    """An empty Graph holding just these bindings (what rdflib's NamespaceManager needs)."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in prefixes.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def write_turtle(triples: Iterable[tuple], out: TextIO, prefixes: dict[str, str], *,
                 graph: URIRef | None = None) -> int:
    """Turtle, a block per run of one subject (`s p o ; p o .`, `a` for rdf:type); with
    `graph`, TriG: the blocks inside that named graph. Returns the triples written."""
    terms = _Terms(prefixes)
    write = out.write
    for prefix, ns in prefixes.items():
        write(f"@prefix {prefix}: <{ns}> .\n")
    write("\n")
    indent = ""
    if graph is not None:
        write(f"{terms.iri(graph)} {{\n")
        indent = "    "
    n = 0
    rdf_type = terms.iri(RDF.type)
    for s, group in groupby(triples, key=itemgetter(0)):
        lines = []
        for _, p, o in group:
            predicate = terms.iri(p)
            lines.append(f"{'a' if predicate == rdf_type else predicate} {terms.term(o)}")
        n += len(lines)
        write(f"{indent}{terms.iri(s)} " + f" ;\n{indent}    ".join(lines) + " .\n")
    if graph is not None:
        write("}\n")
    return n
