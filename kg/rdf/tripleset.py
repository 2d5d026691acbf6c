"""A light set of RDF triples: what the loader builds per article instead of an rdflib Graph.

rdflib's Graph keeps three indexes and context bookkeeping for every triple; building an
article's ~400 triples that way was most of the loader's Python time. This set keeps one
subject index and one predicate index and offers the lookups the pipeline and the tests use
(the same names and argument order as rdflib's Graph). `to_graph()` gives a real Graph for
serialising or for pyshacl.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from rdflib import Graph


class TripleSet:
    __slots__ = ("_spo", "_pso", "_len")

    def __init__(self, triples: Iterable[tuple] = ()) -> None:
        self._spo: dict = {}  # s -> p -> {o: None}  (dicts keep insertion order)
        self._pso: dict = {}  # p -> s -> {o: None}
        self._len = 0
        for t in triples:
            self.add(t)

    def add(self, triple: tuple) -> None:
        s, p, o = triple
        self.add_about(s, ((p, o),))

    def add_about(self, s, pairs: Iterable[tuple]) -> None:
        """Triples (s, p, o) for each (p, o): one lookup of the subject instead of one a triple
        (an article's evidence subjects are new, and each has a dozen triples)."""
        po = self._spo.get(s)
        if po is None:
            po = self._spo[s] = {}
        pso = self._pso
        for p, o in pairs:
            objs = po.get(p)
            if objs is None:  # one object dict, shared by both indexes
                objs = po[p] = {}
                pso.setdefault(p, {})[s] = objs
            elif o in objs:
                continue
            objs[o] = None
            self._len += 1

    def __iadd__(self, other: Iterable[tuple]) -> "TripleSet":
        if not isinstance(other, TripleSet):
            for t in other:
                self.add(t)
            return self
        # a batch's union: most subjects (events, evidence) are new here, and their object dicts
        # are copied whole instead of triple by triple
        spo, pso = self._spo, self._pso
        for s, po in other._spo.items():
            if s in spo:
                self.add_about(s, ((p, o) for p, objs in po.items() for o in objs))
                continue
            mine = spo[s] = {}
            for p, objs in po.items():
                mine[p] = copied = objs.copy()
                pso.setdefault(p, {})[s] = copied
                self._len += len(copied)
        return self

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[tuple]:
        for s, po in self._spo.items():
            for p, objs in po.items():
                for o in objs:
                    yield s, p, o

    def __contains__(self, triple: tuple) -> bool:
        s, p, o = triple
        return o in self._spo.get(s, {}).get(p, ())

    def namespaces(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def objects(self, subject=None, predicate=None) -> Iterator:
        if subject is not None and predicate is not None:
            yield from self._spo.get(subject, {}).get(predicate, ())
        elif subject is not None:
            for objs in self._spo.get(subject, {}).values():
                yield from objs
        elif predicate is not None:
            for objs in self._pso.get(predicate, {}).values():
                yield from objs
        else:
            for _, _, o in self:
                yield o

    def subjects(self, predicate=None, object=None) -> Iterator:
        if predicate is None:
            for s, po in self._spo.items():
                if object is None or any(object in objs for objs in po.values()):
                    yield s
            return
        for s, objs in self._pso.get(predicate, {}).items():
            if object is None or object in objs:
                yield s

    @property
    def outgoing(self) -> dict:
        """subject -> predicate -> objects (a dict used as an ordered set): the index itself,
        for readers that walk node by node. Do not modify it."""
        return self._spo

    def subject_objects(self, predicate) -> Iterator[tuple]:
        for s, objs in self._pso.get(predicate, {}).items():
            for o in objs:
                yield s, o

    def predicate_objects(self, subject) -> Iterator[tuple]:
        for p, objs in self._spo.get(subject, {}).items():
            for o in objs:
                yield p, o

    def value(self, subject=None, predicate=None, object=None, default=None):
        if object is None:
            return next(iter(self._spo.get(subject, {}).get(predicate, ())), default)
        return next(self.subjects(predicate, object), default)

    def to_graph(self) -> Graph:
        g = Graph()
        g.addN((s, p, o, g) for s, p, o in self)
        return g


def by_subject(graph) -> dict:
    """subject -> predicate -> objects: a TripleSet's own index, built for any other graph."""
    if isinstance(graph, TripleSet):
        return graph.outgoing
    out: dict = {}
    for s, p, o in graph:
        out.setdefault(s, {}).setdefault(p, []).append(o)
    return out
