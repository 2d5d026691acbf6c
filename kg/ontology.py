"""The ontology (ontology/kg.ttl) and its SHACL shapes, and what the stores need from them.

A property graph has no class hierarchy, so each node gets the local names of its class and of
every superclass as labels (an Office is also matched by `:Organization` and `:Place`). The
hierarchy is computed once per Ontology and cached: loaders ask for it per node.
Reading files happens only in `Ontology.load`; everything else works on the graphs given.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.errors import OntologyError
from kg.vocab import KG

ONTOLOGY_FILE = "kg.ttl"
SHAPES_FILE = "shapes.ttl"

# Classes every resource belongs to: they say nothing, so they make no property-graph label.
_UNIVERSAL = frozenset({OWL.Thing, RDFS.Resource})
_CLASS_TYPES = (OWL.Class, RDFS.Class)
_PROPERTY_KINDS = {
    OWL.ObjectProperty: "object",
    OWL.DatatypeProperty: "datatype",
    OWL.AnnotationProperty: "annotation",
}


def local_name(term: URIRef | str) -> str:
    """The part after '#' or the last '/': the name a term has as a property-graph label."""
    text = str(term)
    if "#" in text:
        return text.rsplit("#", 1)[1]
    return text.rstrip("/").rsplit("/", 1)[-1]


def _in_kg(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(KG._NS))


def syntax_position(exc: BadSyntax) -> tuple[int, int]:
    """Where a Turtle / TriG syntax error is: (line, column), both 1-based."""
    text = exc._str.decode("utf-8", errors="replace")
    pos = min(exc._i, len(text))  # _i counts characters of the decoded text
    return text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _parse(path: Path) -> Graph:
    """Parse one Turtle file, turning a syntax error into an OntologyError that says where."""
    if not path.is_file():
        raise OntologyError(f"{path}: ontology file not found")
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except BadSyntax as exc:
        line, column = syntax_position(exc)
        raise OntologyError(
            f"{path}:{line}:{column}: Turtle syntax error: {exc._why}"
        ) from exc
    except (ValueError, SyntaxError) as exc:  # other parser failures (bad IRI, bad escape...)
        raise OntologyError(f"{path}: cannot parse Turtle: {exc}") from exc
    return graph


class Ontology:
    """The ontology graph and the shapes graph, with cached views of the hierarchy."""

    def __init__(self, graph: Graph, shapes: Graph) -> None:
        self.graph = graph
        self.shapes = shapes
        self.version = self._version()

    @classmethod
    def load(cls, directory: Path) -> Ontology:
        """Read kg.ttl and shapes.ttl from `directory` (callers pass config's ontology dir)."""
        directory = Path(directory)
        return cls(_parse(directory / ONTOLOGY_FILE), _parse(directory / SHAPES_FILE))

    def _version(self) -> str:
        versions = sorted(
            str(v)
            for o in self.graph.subjects(RDF.type, OWL.Ontology)
            for v in self.graph.objects(o, OWL.versionInfo)
        )
        if len(versions) != 1:
            raise OntologyError(
                f"the ontology must declare exactly one owl:versionInfo, found {versions or 'none'}"
            )
        return versions[0]

    # ----------------------------------------------------------------------------- terms

    @cached_property
    def _all_classes(self) -> frozenset[URIRef]:
        """Every named class the ontology declares or mentions in a subclass axiom."""
        found: set[URIRef] = set()
        for kind in _CLASS_TYPES:
            found.update(s for s in self.graph.subjects(RDF.type, kind) if isinstance(s, URIRef))
        for s, o in self.graph.subject_objects(RDFS.subClassOf):
            found.update(t for t in (s, o) if isinstance(t, URIRef))
        return frozenset(found - _UNIVERSAL)

    @cached_property
    def _property_kind(self) -> dict[URIRef, str]:
        kinds: dict[URIRef, str] = {}
        for rdf_type, kind in _PROPERTY_KINDS.items():
            for s in self.graph.subjects(RDF.type, rdf_type):
                if isinstance(s, URIRef):
                    kinds[s] = kind
        return kinds

    def classes(self) -> list[URIRef]:
        """The classes of the kg namespace, sorted."""
        return sorted(c for c in self._all_classes if _in_kg(c))

    def properties(self) -> list[URIRef]:
        """The object and datatype properties of the kg namespace, sorted."""
        return sorted(p for p, k in self._property_kind.items()
                      if _in_kg(p) and k in ("object", "datatype"))

    def is_object_property(self, p: URIRef) -> bool:
        """True for an owl:ObjectProperty, False for a datatype (or annotation) property.

        Raises OntologyError for a property the ontology does not type, rather than guess:
        rdf:object, for one, may hold either an IRI or a literal.
        """
        kind = self._property_kind.get(p)
        if kind is None:
            raise OntologyError(f"{p} is not an object or datatype property of the ontology")
        return kind == "object"

    # ------------------------------------------------------------------------- hierarchy

    def _parents(self, term: URIRef, relation: URIRef) -> list[URIRef]:
        return sorted(o for o in self.graph.objects(term, relation)
                      if isinstance(o, URIRef) and o not in _UNIVERSAL and o != term)

    def _ancestors(self, term: URIRef, relation: URIRef) -> tuple[URIRef, ...]:
        """Breadth first, so nearer ancestors come first; IRI order within a level."""
        seen: dict[URIRef, None] = {}
        level = self._parents(term, relation)
        while level:
            nxt: set[URIRef] = set()
            for parent in level:
                if parent in seen or parent == term:
                    continue
                seen[parent] = None
                nxt.update(self._parents(parent, relation))
            level = sorted(nxt - seen.keys() - {term})
        return tuple(seen)

    @cached_property
    def _superclass_cache(self) -> dict[URIRef, tuple[URIRef, ...]]:
        return {c: self._ancestors(c, RDFS.subClassOf) for c in self._all_classes}

    @cached_property
    def _labels_cache(self) -> dict[URIRef, tuple[str, ...]]:
        return {
            c: tuple(sorted({local_name(t) for t in (c, *supers)}))
            for c, supers in self._superclass_cache.items()
        }

    def _known_class(self, cls: URIRef) -> None:
        if cls not in self._superclass_cache:
            raise OntologyError(f"{cls} is not a class of the ontology")

    def superclasses(self, cls: URIRef) -> list[URIRef]:
        """Every named superclass of `cls`, nearest first (owl:Thing and rdfs:Resource left out)."""
        self._known_class(cls)
        return list(self._superclass_cache[cls])

    def superproperties(self, p: URIRef) -> list[URIRef]:
        """Every named superproperty of `p`, nearest first."""
        return list(self._ancestors(p, RDFS.subPropertyOf))

    def labels_for(self, cls: URIRef) -> list[str]:
        """Property-graph labels of an instance of `cls`: its local name and its superclasses'."""
        self._known_class(cls)
        return list(self._labels_cache[cls])

    @cached_property
    def _all_labels(self) -> tuple[str, ...]:
        return tuple(sorted({name for names in self._labels_cache.values() for name in names}))

    def all_labels(self) -> list[str]:
        """Every label `labels_for` can produce, sorted (to create indexes up front)."""
        return list(self._all_labels)

    # ------------------------------------------------------------------------ annotations

    def label(self, term: URIRef, lang: str) -> str | None:
        """The rdfs:label of `term` in `lang` ('zh', 'en'), or None when it has none."""
        return self._literal(term, RDFS.label, lang)

    def definition(self, term: URIRef, lang: str = "en") -> str | None:
        """The skos:definition of `term` in `lang`, or None."""
        return self._literal(term, SKOS.definition, lang)

    def _literal(self, term: URIRef, prop: URIRef, lang: str) -> str | None:
        values = sorted(str(o) for o in self.graph.objects(term, prop)
                        if isinstance(o, Literal) and o.language == lang)
        return values[0] if values else None

    def _named_or_union(self, term: URIRef, prop: URIRef) -> tuple[URIRef | None, list[URIRef]]:
        """A domain or range as (named class or None, member classes): unions have no IRI."""
        for value in self.graph.objects(term, prop):
            if isinstance(value, URIRef):
                return value, [value]
            if isinstance(value, BNode):
                members = self.graph.value(value, OWL.unionOf)
                if members is not None:
                    return None, sorted(m for m in Collection(self.graph, members)
                                        if isinstance(m, URIRef))
        return None, []

    def domain(self, p: URIRef) -> list[URIRef]:
        """The classes a subject of `p` may belong to (more than one for a union)."""
        return self._named_or_union(p, RDFS.domain)[1]

    def range(self, p: URIRef) -> list[URIRef]:
        """The classes or datatypes a value of `p` may have (more than one for a union)."""
        return self._named_or_union(p, RDFS.range)[1]

    # --------------------------------------------------------------- property-graph rows

    def ontology_rows(self) -> dict:
        """The ontology as plain rows, to store it as nodes and edges in a property graph.

        Imported superclasses and superproperties are included, so the stored hierarchy is
        complete. A union domain or range has no IRI: `domain`/`range` are then None and
        `domain_any`/`range_any` list the member classes.
        """
        classes = [
            {
                "iri": str(c),
                "name": local_name(c),
                "label_zh": self.label(c, "zh"),
                "label_en": self.label(c, "en"),
                "definition": self.definition(c, "en"),
                "deprecated": self._deprecated(c),
            }
            for c in sorted(self._all_classes)
        ]
        properties = []
        for p in sorted(self._property_kind):
            domain, domain_any = self._named_or_union(p, RDFS.domain)
            range_, range_any = self._named_or_union(p, RDFS.range)
            properties.append({
                "iri": str(p),
                "name": local_name(p),
                "kind": self._property_kind[p],
                "domain": str(domain) if domain is not None else None,
                "range": str(range_) if range_ is not None else None,
                "domain_any": [str(d) for d in domain_any],
                "range_any": [str(r) for r in range_any],
                "label_zh": self.label(p, "zh"),
                "label_en": self.label(p, "en"),
                "definition": self.definition(p, "en"),
                "deprecated": self._deprecated(p),
            })
        return {
            "classes": classes,
            "properties": properties,
            "subclass": self._edges(RDFS.subClassOf),
            "subproperty": self._edges(RDFS.subPropertyOf),
            "version": self.version,
        }

    def _deprecated(self, term: URIRef) -> bool:
        return any(o.toPython() is True for o in self.graph.objects(term, OWL.deprecated)
                   if isinstance(o, Literal))

    def _edges(self, relation: URIRef) -> list[dict[str, str]]:
        return [
            {"child": str(s), "parent": str(o)}
            for s, o in sorted(self.graph.subject_objects(relation))
            if isinstance(s, URIRef) and isinstance(o, URIRef) and o not in _UNIVERSAL
        ]

    # --------------------------------------------------------------------------- JSON-LD

    def jsonld_context(self, extra: dict[str, str] | None = None) -> dict:
        """A JSON-LD @context for data in this ontology's terms: the prefixes of the
        vocabularies it uses, and a short term for each kg class and property (object
        properties take IRIs, "@type": "@id"). `extra` adds prefixes (the data's own)."""
        used = {str(t) for triple in self.graph for t in triple if isinstance(t, URIRef)}
        context: dict = {prefix: str(ns) for prefix, ns in sorted(self.graph.namespaces())
                         if prefix and any(iri.startswith(str(ns)) for iri in used)}
        context.update(extra or {})
        for cls in self.classes():
            context[local_name(cls)] = f"kg:{local_name(cls)}"
        for p in self.properties():
            name = local_name(p)
            context[name] = ({"@id": f"kg:{name}", "@type": "@id"} if self.is_object_property(p)
                             else {"@id": f"kg:{name}"})
        return context

    # ------------------------------------------------------------------------ name lookup

    @cached_property
    def _by_name(self) -> dict[str, URIRef]:
        """Local name -> term; kg terms win, then imported terms in IRI order (prov before foaf)."""
        table: dict[str, URIRef] = {}
        terms: Iterable[URIRef] = sorted(self._all_classes | self._property_kind.keys())
        for term in sorted(terms, key=lambda t: (not _in_kg(t), str(t))):
            table.setdefault(local_name(term), term)
        return table

    def term_for_name(self, name: str) -> URIRef:
        """The term behind a property-graph label, relationship type or property key.

        Several vocabularies share local names (Organization is kg, org, foaf and schema); the
        kg term wins, which is the one the graph means. Raises OntologyError for an unknown name.
        """
        term = self._by_name.get(name)
        if term is None:
            raise OntologyError(f"no ontology term is named {name!r}")
        return term
