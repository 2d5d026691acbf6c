"""Stewardship checks of ontology files before they reach a store (`kg ontology validate`).

Pure: works on an Ontology (already parsed: Turtle syntax errors surface in Ontology.load with
file, line and column) and, optionally, the version loaded in the store. Each rule gives
problems as text; `require_valid` raises OntologyCheckError listing all of them.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, XSD

from kg.errors import OntologyCheckError
from kg.ontology import Ontology, _in_kg

_BUILTIN_PREFIXES = (str(RDF), str(RDFS))  # rdf:subject, rdfs:label... need no declaration


def version_key(version: str) -> tuple:
    """'1.10.0' > '1.9.2': numeric parts compare as numbers, anything else as text."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in version.replace("-", ".").split("."))


def check(ontology: Ontology, loaded_version: str | None = None) -> list[str]:
    """Every problem of the ontology, as one line each (empty when it is fit to load)."""
    problems: list[str] = []
    problems += _annotations(ontology)
    problems += _domains_and_ranges(ontology)
    problems += _cycles(ontology)
    problems += _shapes(ontology)
    problems += _replacements(ontology)
    if loaded_version is not None and version_key(ontology.version) <= version_key(loaded_version):
        problems.append(f"owl:versionInfo {ontology.version!r} is not higher than the loaded "
                        f"version {loaded_version!r}")
    return problems


def require_valid(ontology: Ontology, loaded_version: str | None = None) -> None:
    problems = check(ontology, loaded_version)
    if problems:
        raise OntologyCheckError(problems)


def load_checked(directory: Path, loaded_version: str | None = None) -> Ontology:
    """Parse and check; OntologyError (syntax, with line) or OntologyCheckError (rules)."""
    ontology = Ontology.load(directory)
    require_valid(ontology, loaded_version)
    return ontology


def _annotations(ontology: Ontology) -> list[str]:
    problems = []
    for term in [*ontology.classes(), *ontology.properties()]:
        for lang in ("zh", "en"):
            if not ontology.label(term, lang):
                problems.append(f"{term}: no rdfs:label in {lang}")
        if not any(isinstance(o, Literal) for o in ontology.graph.objects(term, _DEFINITION)):
            problems.append(f"{term}: no skos:definition")
    return problems


_DEFINITION = URIRef("http://www.w3.org/2004/02/skos/core#definition")


def _class_set(ontology: Ontology) -> set[URIRef]:
    return set(ontology._all_classes)


def _domains_and_ranges(ontology: Ontology) -> list[str]:
    classes = _class_set(ontology)
    problems = []
    for p in ontology.properties():
        domain, range_ = ontology.domain(p), ontology.range(p)
        if not domain:
            problems.append(f"{p}: no rdfs:domain")
        if not range_:
            problems.append(f"{p}: no rdfs:range")
        for c in domain:
            if c not in classes:
                problems.append(f"{p}: rdfs:domain {c} is not a class of the ontology")
        object_property = ontology.is_object_property(p)
        for c in range_:
            if object_property and c not in classes:
                problems.append(f"{p}: rdfs:range {c} is not a class of the ontology")
            if not object_property and not (str(c).startswith(str(XSD)) or c == RDFS.Literal):
                problems.append(f"{p}: rdfs:range {c} of a datatype property is not a datatype")
    return problems


def _cycles(ontology: Ontology) -> list[str]:
    parents: dict[URIRef, set[URIRef]] = {}
    for s, o in ontology.graph.subject_objects(RDFS.subClassOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            parents.setdefault(s, set()).add(o)
    problems, done, path = [], set(), []
    on_path: set[URIRef] = set()

    def visit(node: URIRef) -> None:
        if node in done:
            return
        on_path.add(node)
        path.append(node)
        for parent in sorted(parents.get(node, ())):
            if parent in on_path:
                cycle = path[path.index(parent):] + [parent]
                problems.append("rdfs:subClassOf cycle: " + " -> ".join(map(str, cycle)))
            else:
                visit(parent)
        path.pop()
        on_path.discard(node)
        done.add(node)

    for node in sorted(parents):
        visit(node)
    return problems


def _declared(ontology: Ontology, term: URIRef) -> bool:
    return (term, None, None) in ontology.graph or str(term).startswith(_BUILTIN_PREFIXES)


def _shapes(ontology: Ontology) -> list[str]:
    classes = _class_set(ontology)
    shapes = ontology.shapes
    problems = []
    for shape, cls in sorted(shapes.subject_objects(SH.targetClass)):
        if cls not in classes:
            problems.append(f"shape {shape}: sh:targetClass {cls} is not a class of the ontology")
    for shape, cls in sorted(shapes.subject_objects(SH["class"])):
        if isinstance(cls, URIRef) and cls not in classes:
            problems.append(f"shape {shape}: sh:class {cls} is not a class of the ontology")
    for kind in (SH.targetSubjectsOf, SH.targetObjectsOf, SH.path, SH.lessThan):
        for shape, prop in sorted(shapes.subject_objects(kind)):
            if isinstance(prop, URIRef) and not _declared(ontology, prop):
                problems.append(f"shape {shape}: {kind.split('#')[-1]} {prop} is not a term "
                                "of the ontology")
    return problems


def _replacements(ontology: Ontology) -> list[str]:
    classes = _class_set(ontology)
    properties = set(ontology.properties())
    problems = []
    for term, new in sorted(ontology.graph.subject_objects(DCTERMS.isReplacedBy)):
        if not _in_kg(term):
            continue
        known = classes if term in classes else properties
        if new not in known:
            problems.append(f"{term}: dcterms:isReplacedBy {new} is not a term of the same kind")
        elif (new, OWL.deprecated, Literal(True)) in ontology.graph:
            problems.append(f"{term}: dcterms:isReplacedBy {new}, which is deprecated too")
    return problems


def replacements(ontology: Ontology) -> dict[str, str]:
    """Deprecated kg terms -> their dcterms:isReplacedBy (the migrations a reload performs)."""
    out = {}
    for term, new in ontology.graph.subject_objects(DCTERMS.isReplacedBy):
        if _in_kg(term) and isinstance(new, URIRef) and \
                any(o.toPython() is True for o in ontology.graph.objects(term, OWL.deprecated)
                    if isinstance(o, Literal)):
            out[str(term)] = str(new)
    return out
