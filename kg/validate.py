"""SHACL validation of an article's triples before anything is written (pyshacl)."""

from __future__ import annotations

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from kg.errors import ValidationError
from kg.ontology import Ontology


def _with_inferred_types(data: Graph, ontology: Ontology) -> Graph:
    """Add superclass types ourselves: cheaper than pyshacl's RDFS inference on every call."""
    out = Graph()
    for triple in data:
        out.add(triple)
    for s, cls in data.subject_objects(RDF.type):
        for sup in ontology.superclasses(cls):
            out.add((s, RDF.type, sup))
    return out


def violations(data: Graph, ontology: Ontology) -> list[dict]:
    """The violations of the shapes in `data`, each with its focus node, shape and message."""
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


def check(article_id: str, data: Graph, ontology: Ontology) -> None:
    """Raise ValidationError naming the article, the nodes and the shapes if `data` violates."""
    found = violations(data, ontology)
    if found:
        raise ValidationError(article_id, found)


def focus_nodes(found: list[dict]) -> set[URIRef]:
    return {URIRef(v["focus"]) for v in found}
