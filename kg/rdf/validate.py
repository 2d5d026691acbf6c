"""SHACL validation of an article's triples before anything is written.

The shapes are compiled once per ontology (kg/rdf/shapes.py) and checked in Python; pyshacl is
the fallback for shapes the compiler does not cover, and the reference it is tested against.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import RDF, Graph
from rdflib.namespace import SH

from kg.errors import ValidationError
from kg.ontology import Ontology
from kg.rdf.shapes import CompiledShapes, UnsupportedShape, compile_shapes


@lru_cache(maxsize=8)
def _compiled(ontology: Ontology) -> CompiledShapes | None:
    try:
        return compile_shapes(ontology.shapes)
    except UnsupportedShape:
        return None


def _with_inferred_types(data, ontology: Ontology) -> Graph:
    """Add superclass types ourselves: cheaper than pyshacl's RDFS inference on every call."""
    out = Graph()
    for triple in data:
        out.add(triple)
    for s, cls in data.subject_objects(RDF.type):
        for sup in ontology.superclasses(cls):
            out.add((s, RDF.type, sup))
    return out


def pyshacl_violations(data, ontology: Ontology) -> list[dict]:
    """The violations as pyshacl reports them (the reference implementation)."""
    # imported here: pyshacl costs ~0.8 s of start-up, and only shapes the compiled checks
    # cannot read (and tests comparing the two) come this way
    from pyshacl import validate

    conforms, report, _ = validate(_with_inferred_types(data, ontology), shacl_graph=ontology.shapes,
                                   inference="none", advanced=False, allow_warnings=True)
    if conforms:
        return []
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        found.append({
            "focus": str(report.value(result, SH.focusNode)),
            "shape": str(report.value(result, SH.sourceShape)),
            "path": str(report.value(result, SH.resultPath) or ""),
            "message": str(report.value(result, SH.resultMessage) or ""),
        })
    return sorted(found, key=lambda v: (v["focus"], v["shape"], v["path"]))


def violations(data: Graph, ontology: Ontology) -> list[dict]:
    """The violations of the shapes in `data`, each with its focus node, shape, path and message."""
    compiled = _compiled(ontology)
    if compiled is None:
        return pyshacl_violations(data, ontology)
    return compiled.violations(data, ontology)


def check(article_id: str, data: Graph, ontology: Ontology) -> None:
    """Raise ValidationError naming the article, the nodes and the shapes if `data` violates."""
    found = violations(data, ontology)
    if found:
        raise ValidationError(article_id, found)
