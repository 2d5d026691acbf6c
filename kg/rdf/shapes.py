"""SHACL shapes compiled to Python checks: the same verdicts as pyshacl, per article in
microseconds rather than tenths of a second.

Covers the SHACL-Core subset ontology/shapes.ttl uses (targets by class or subjects-of;
node and property shapes with a simple path; class, datatype, nodeKind, min/max count,
min/max inclusive/exclusive, min/max length, pattern, in, hasValue, lessThan, or, not).
`compile_shapes` raises UnsupportedShape for anything else, and kg/rdf/validate.py then falls
back to pyshacl, which also stays the reference in tests/test_shapes.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from kg.errors import OntologyError
from kg.ontology import Ontology
from kg.rdf.tripleset import by_subject
from kg.vocab import pinned


class UnsupportedShape(OntologyError):
    """The shapes use a construct the compiled validator does not implement."""


Check = Callable[[object, "_Data"], bool]  # (value node, data) -> conforms

_TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode}
_IGNORED = {RDF.type, SH.message, SH.name, SH.description, SH.order, SH.group, SH.severity,
            SH.deactivated, URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            URIRef("http://www.w3.org/2000/01/rdf-schema#comment")} | _TARGETS | {SH.property, SH.path}


class _Data:
    """The data graph with each node's types closed under the ontology's subclass links."""

    def __init__(self, graph: Graph, ontology: Ontology) -> None:
        self.graph = graph
        self.types: dict = {}
        closed: dict = {}  # class -> it and its superclasses, once per class
        for s, cls in graph.subject_objects(RDF.type):
            sup = closed.get(cls)
            if sup is None:
                try:
                    sup = closed[cls] = frozenset((cls, *ontology.superclasses(cls)))
                except OntologyError:  # a class outside the ontology has no known superclasses
                    sup = closed[cls] = frozenset((cls,))
            have = self.types.get(s)
            self.types[s] = sup if have is None else have | sup

    def has_type(self, node, cls) -> bool:
        return cls in self.types.get(node, ())


def _number(lit) -> int | Decimal | None:
    """A numeric literal's value, exact: ints as they are (they compare exactly with Decimal),
    floats through their shortest repr."""
    if not isinstance(lit, Literal):
        return None
    value = lit.value
    if value.__class__ is int or value.__class__ is Decimal:
        return value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value))
    return None


def _well_typed(lit: Literal, datatype: URIRef) -> bool:
    if datatype == XSD.string:
        return lit.datatype in (None, XSD.string) and lit.language is None
    if lit.datatype != datatype or lit.ill_typed:
        return False
    if datatype == XSD.decimal:
        return isinstance(lit.value, Decimal)
    return True


@dataclass(slots=True)
class _Shape:
    iri: object
    message: str
    path: URIRef | None = None
    checks: list[Check] = field(default_factory=list)
    min_count: int | None = None
    max_count: int | None = None
    less_than: URIRef | None = None
    properties: list["_Shape"] = field(default_factory=list)
    targets: list[tuple[URIRef, URIRef]] = field(default_factory=list)


class CompiledShapes:
    def __init__(self, shapes: list[_Shape]) -> None:
        self._shapes = shapes
        self._checker: ShapeChecker | None = None  # built on first use

    def violations(self, graph: Graph, ontology: Ontology) -> list[dict]:
        data = _Data(graph, ontology)
        found: list[dict] = []
        checker = self._shape_checker()
        outgoing = by_subject(graph)
        try:
            if isinstance(checker, NodeChecker):  # node by node, with per-type plans
                no_types: frozenset = frozenset()
                for focus in checker.target_nodes - outgoing.keys():  # named but not in the data
                    checker.violations(focus, data.types.get(focus, no_types), {}, data, found)
                for focus, out in outgoing.items():
                    checker.violations(focus, data.types.get(focus, no_types), out, data, found)
            else:  # shapes that look at triples pointing at a node: shape by shape
                for shape in self._shapes:
                    for focus in _focus_nodes(shape, data):
                        checker.validate(shape, focus, outgoing.get(focus, {}), data, found)
        finally:  # its verdicts hold this graph's literals: memory would grow with the load
            checker.forget_verdicts()
        return sorted(found, key=lambda v: (v["focus"], v["shape"], v["path"]))

    def _shape_checker(self) -> ShapeChecker:
        if self._checker is None:
            try:
                self._checker = NodeChecker(self)
            except UnsupportedShape:
                self._checker = ShapeChecker()
        return self._checker


def _focus_nodes(shape: _Shape, data: _Data) -> set:
    nodes: set = set()
    for kind, term in shape.targets:
        if kind == SH.targetClass:
            nodes.update(s for s, types in data.types.items() if term in types)
        elif kind == SH.targetSubjectsOf:
            nodes.update(data.graph.subjects(term, None))
        elif kind == SH.targetObjectsOf:
            nodes.update(data.graph.objects(None, term))
        elif kind == SH.targetNode:
            nodes.add(term)
    return nodes


def _report(found: list, shape: _Shape, focus, path) -> None:
    found.append({"focus": str(focus), "shape": str(shape.iri), "path": str(path or ""),
                  "message": shape.message})


def _message(g: Graph, node) -> str:
    return str(g.value(node, SH.message) or g.value(node, SH.name) or "")


def _value_checks(g: Graph, node) -> list[Check]:
    """The value-level constraints of a shape (those that judge one value node at a time)."""
    checks: list[Check] = []
    for p, o in g.predicate_objects(node):
        if p in _IGNORED or p in (SH.minCount, SH.maxCount, SH.lessThan):
            continue
        checks.append(_constraint(g, node, p, o))
    return checks


def _constraint(g: Graph, node, p, o) -> Check:
    if p == SH["class"]:
        return lambda v, d, c=pinned(o): d.has_type(v, c)
    if p == SH.datatype:
        return lambda v, d, t=pinned(o): isinstance(v, Literal) and _well_typed(v, t)
    if p == SH.nodeKind:
        kinds = {SH.IRI: (URIRef,), SH.Literal: (Literal,), SH.BlankNode: (BNode,),
                 SH.BlankNodeOrIRI: (BNode, URIRef), SH.IRIOrLiteral: (URIRef, Literal),
                 SH.BlankNodeOrLiteral: (BNode, Literal)}
        if o not in kinds:
            raise UnsupportedShape(f"sh:nodeKind {o}")
        return lambda v, d, k=kinds[o]: isinstance(v, k)
    if p in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
        bound = _number(o)
        cmp = {SH.minInclusive: lambda x: x >= bound, SH.maxInclusive: lambda x: x <= bound,
               SH.minExclusive: lambda x: x > bound, SH.maxExclusive: lambda x: x < bound}[p]
        return lambda v, d: (n := _number(v)) is not None and cmp(n)
    if p in (SH.minLength, SH.maxLength):
        n = int(o)
        if p == SH.minLength:
            return lambda v, d: not isinstance(v, BNode) and len(str(v)) >= n
        return lambda v, d: not isinstance(v, BNode) and len(str(v)) <= n
    if p == SH.pattern:
        flags = re.IGNORECASE if "i" in str(g.value(node, SH.flags) or "") else 0
        rx = re.compile(str(o), flags)
        return lambda v, d: not isinstance(v, BNode) and rx.search(str(v)) is not None
    if p == SH["in"]:
        allowed = set(Collection(g, o))
        return lambda v, d: v in allowed
    if p == SH.hasValue:
        return lambda v, d: v == o  # per value; sh:hasValue on a property is rare here
    if p == SH["or"]:
        members = [_value_checks(g, m) for m in Collection(g, o)]
        return lambda v, d: any(all(c(v, d) for c in m) for m in members)
    if p == SH["not"]:
        inner = _value_checks(g, o)
        return lambda v, d: not all(c(v, d) for c in inner)
    if p == SH["and"]:
        members = [_value_checks(g, m) for m in Collection(g, o)]
        return lambda v, d: all(all(c(v, d) for c in m) for m in members)
    raise UnsupportedShape(f"SHACL constraint {p} is not compiled")


def _property_shape(g: Graph, node) -> _Shape:
    path = pinned(g.value(node, SH.path))
    if not isinstance(path, URIRef):
        raise UnsupportedShape(f"property shape {node}: only simple IRI paths are compiled")
    if g.value(node, SH.property) is not None:
        raise UnsupportedShape(f"property shape {node}: nested property shapes are not compiled")
    less = g.value(node, SH.lessThan)
    return _Shape(node, _message(g, node), path, _value_checks(g, node),
                  int(g.value(node, SH.minCount)) if g.value(node, SH.minCount) is not None else None,
                  int(g.value(node, SH.maxCount)) if g.value(node, SH.maxCount) is not None else None,
                  pinned(less) if isinstance(less, URIRef) else None)


def compile_shapes(shapes: Graph) -> CompiledShapes:
    compiled = []
    for node in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if shapes.value(node, SH.deactivated) == Literal(True):
            continue
        # terms as the data's own objects (kg.vocab.pinned): lookups then match by identity
        targets = [(p, pinned(o)) for p in _TARGETS for o in shapes.objects(node, p)]
        checks = _value_checks(shapes, node)
        props = [_property_shape(shapes, p) for p in sorted(shapes.objects(node, SH.property), key=str)]
        compiled.append(_Shape(node, _message(shapes, node), None, checks, properties=props,
                               targets=targets))
    return CompiledShapes(compiled)


class ShapeChecker:
    """One shape checked on one focus node, from the node's outgoing values (`out`: path ->
    values) and data.has_type for the nodes they point to. A literal's verdict under a property
    shape depends on the literal alone (no literal has a type), so it is computed once per
    literal object and cached until `forget_verdicts`."""

    _CACHE_CAP = 500_000

    def __init__(self) -> None:
        self._verdicts: dict[tuple[int, int], tuple[object, bool]] = {}

    def forget_verdicts(self) -> None:
        self._verdicts.clear()

    def _ok(self, prop: _Shape, v, data) -> bool:
        if isinstance(v, Literal):
            key = (id(prop), id(v))
            entry = self._verdicts.get(key)
            if entry is not None and entry[0] is v:
                return entry[1]
            verdict = all(check(v, data) for check in prop.checks)
            if len(self._verdicts) >= self._CACHE_CAP:
                self._verdicts.clear()
            self._verdicts[key] = (v, verdict)  # holds v: its id stays its own
            return verdict
        return all(check(v, data) for check in prop.checks)

    def validate(self, shape: _Shape, focus, out: dict, data, found: list) -> None:
        """Append the violations of `shape` at `focus` to `found`."""
        if shape.checks and not all(check(focus, data) for check in shape.checks):
            _report(found, shape, focus, None)
        for prop in shape.properties:
            values = out.get(prop.path, ())
            n = len(values)
            bad = (prop.min_count is not None and n < prop.min_count) or \
                  (prop.max_count is not None and n > prop.max_count)
            if not bad and prop.checks:
                verdicts = self._verdicts
                pid = id(prop)
                for v in values:
                    if v.__class__ is Literal:  # the cache, inline: this is the hot loop
                        entry = verdicts.get((pid, id(v)))
                        if entry is not None and entry[0] is v:
                            ok = entry[1]
                        else:
                            ok = self._ok(prop, v, data)
                    else:
                        ok = self._ok(prop, v, data)
                    if not ok:
                        bad = True
                        break
            if not bad and prop.less_than is not None:
                others = [_number(o) for o in out.get(prop.less_than, ())]
                bad = any(n is None or o is None or not n < o
                          for n in map(_number, values) for o in others)
            if bad:
                _report(found, prop, focus, prop.path)


class NodeChecker(ShapeChecker):
    """The compiled shapes applied one focus node at a time: which shapes target a node is
    decided from the node alone (its closed types and outgoing values), once per set of types.

    Gives CompiledShapes.violations restricted to that node whenever the data holds, for the
    node, all its outgoing triples and the types of their objects: every shape here reads only
    those (targets by class, subjects-of or node; simple paths). sh:targetObjectsOf would need
    the triples pointing at the node, so it is refused (UnsupportedShape)."""

    def __init__(self, compiled: CompiledShapes) -> None:
        super().__init__()
        self._shapes = compiled._shapes
        self._targets = []
        for shape in self._shapes:
            kinds = {k for k, _ in shape.targets}
            if kinds - {SH.targetClass, SH.targetSubjectsOf, SH.targetNode}:
                raise UnsupportedShape("sh:targetObjectsOf is not checked node by node")
            self._targets.append((
                shape,
                frozenset(t for k, t in shape.targets if k == SH.targetClass),
                tuple(t for k, t in shape.targets if k == SH.targetSubjectsOf),
                frozenset(t for k, t in shape.targets if k == SH.targetNode)))
        self.target_nodes = frozenset(t for *_, nodes in self._targets for t in nodes)
        self._by_types: dict[frozenset, frozenset[int]] = {}
        self._plans: dict[frozenset, tuple] = {}
        # the shapes' own path terms: a data graph keyed by these very objects has its lookups
        # settled by identity instead of URIRef.__eq__ (see canonical)
        self._terms: dict = {}
        for shape in self._shapes:
            for prop in shape.properties:
                for term in (prop.path, prop.less_than):
                    if term is not None:
                        self._terms.setdefault(term, term)
            for kind, term in shape.targets:
                if kind == SH.targetSubjectsOf:
                    self._terms.setdefault(term, term)

    def canonical(self, term):
        """The equal term object the shapes use (or `term`): use it as the key of `out`."""
        return self._terms.get(term, term)

    def _class_targets(self, types: frozenset) -> frozenset[int]:
        got = self._by_types.get(types)
        if got is None:
            got = self._by_types[types] = frozenset(
                i for i, t in enumerate(self._targets) if t[1] & types)
        return got

    def violations(self, focus, types: frozenset, out: dict, data, found: list) -> None:
        """Append the violations of `focus` to `found`; data.has_type(node, cls) for values."""
        plan = self._plans.get(types)
        if plan is None:  # per set of types: the shapes that target it, the ones that may
            by_class = self._class_targets(types)
            plan = self._plans[types] = tuple(
                (shape, i in by_class, subjects, nodes)
                for i, (shape, _classes, subjects, nodes) in enumerate(self._targets)
                if i in by_class or subjects or nodes)
        for shape, always, subjects, nodes in plan:
            if always or any(p in out for p in subjects) or focus in nodes:
                self.validate(shape, focus, out, data, found)
