"""The compiled shapes give the same verdicts as pyshacl, on good and on broken data."""

from decimal import Decimal

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from kg.rdf import validate
from kg.rdf.shapes import UnsupportedShape, compile_shapes
from kg.rdf.triples import article_triples
from kg.vocab import KG, OA
from kg.read.sources import read_inputs
from tests.support.annotated import article
from tests.support.paths import SAMPLE_ANNOTATIONS


def _verdicts(found):
    return {(v["focus"], v["shape"], v["path"]) for v in found}


@pytest.fixture(scope="module")
def sample_graph():
    g = Graph()
    for a in read_inputs(SAMPLE_ANNOTATIONS):
        g += article_triples(a)
    return g


def _first(g, cls):
    return sorted(g.subjects(RDF.type, cls))[0]


def _break(g: Graph, how: str) -> Graph:
    g = Graph() + g
    event = _first(g, KG.Observation)
    ev = _first(g, KG.Evidence)
    person = _first(g, KG.Person)
    branch_or_org = _first(g, KG.Office)
    if how == "event without article":
        g.remove((event, KG.derivedFrom, None))
    elif how == "two dates":
        g.add((event, KG.date, Literal("--01-01")))
        g.add((event, KG.date, Literal("--01-02")))
    elif how == "bad date":
        g.set((event, KG.date, Literal("June 1")))
    elif how == "person organises":
        g.add((event, KG.organizer, person))
    elif how == "confidence above 1":
        g.set((ev, KG.confidence, Literal(Decimal("2.0"))))
    elif how == "confidence as double":
        g.set((ev, KG.confidence, Literal(0.5)))
    elif how == "span backwards":
        g.set((ev, OA.start, Literal(50)))
        g.set((ev, OA.end, Literal(10)))
    elif how == "nameless office":
        g.remove((branch_or_org, KG.name, None))
    elif how == "star rating 9":
        g.add((branch_or_org, RDF.type, KG.Branch))
        g.add((branch_or_org, KG.starRating, Literal(9)))
    elif how == "event part of a village":
        g.add((event, KG.partOf, _first(g, KG.Village)))
    elif how == "negative head count":
        g.add((event, KG.participantCount, Literal(-3)))
    elif how == "literal site":
        g.add((event, KG.visitedSite, Literal("somewhere")))
    elif how == "inferred date without its year":
        g.add((event, KG.dateInferred, Literal(True)))  # the sample's dates are --MM-DD
    elif how == "inferred flag without a date":
        g.remove((event, KG.date, None))
        g.add((event, KG.dateInferred, Literal(True)))
    elif how == "inferred flag false":
        g.set((event, KG.date, Literal("2022-06-22")))
        g.add((event, KG.dateInferred, Literal(False)))
    elif how == "inferred flag as a string":
        g.set((event, KG.date, Literal("2022-06-22")))
        g.add((event, KG.dateInferred, Literal("true")))
    return g


BREAKS = ["event without article", "two dates", "bad date", "person organises", "confidence above 1",
          "confidence as double", "span backwards", "nameless office", "star rating 9",
          "event part of a village", "negative head count", "literal site",
          "inferred date without its year", "inferred flag without a date", "inferred flag false",
          "inferred flag as a string"]


def test_the_project_shapes_compile(ontology):
    compile_shapes(ontology.shapes)


def test_good_data_conforms_under_both(sample_graph, ontology):
    assert validate.violations(sample_graph, ontology) == []
    assert validate.pyshacl_violations(sample_graph, ontology) == []


def test_an_inferred_date_conforms_under_both(ontology):
    a = article("p1", "[6月22日|Date],[东河办事处|Office][观摩|Observation]了[南坡村|Village]",
                [("观摩", "organizer", "东河办事处"), ("观摩", "visitedSite", "南坡村"),
                 ("观摩", "date", "6月22日")], published="2022-07-01")
    g = Graph() + article_triples(a)
    assert (None, KG.dateInferred, Literal(True)) in g
    assert validate.violations(g, ontology) == []
    assert validate.pyshacl_violations(g, ontology) == []


@pytest.mark.parametrize("how", BREAKS)
def test_broken_data_gives_the_same_violations_as_pyshacl(sample_graph, ontology, how):
    broken = _break(sample_graph, how)
    ours = _verdicts(validate.violations(broken, ontology))
    reference = _verdicts(validate.pyshacl_violations(broken, ontology))
    assert reference, f"the break {how!r} should violate a shape"
    assert ours == reference


def test_unknown_constraints_are_refused_so_pyshacl_takes_over():
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:qualifiedMinCount 1 ; sh:qualifiedValueShape [ sh:class ex:D ] ] .
    """, format="turtle")
    with pytest.raises(UnsupportedShape):
        compile_shapes(shapes)


def test_shapes_targeting_objects_are_checked_shape_by_shape_as_pyshacl_does(ontology):
    """sh:targetObjectsOf needs the triples pointing at a node, so node-by-node checking is
    refused for it; the shape-by-shape path must still give pyshacl's verdicts."""
    from pyshacl import validate as pyshacl_validate

    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:Visited a sh:NodeShape ; sh:targetObjectsOf ex:visits ;
            sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:datatype xsd:string ] ;
            sh:property [ sh:path ex:start ; sh:lessThan ex:end ] .
    """, format="turtle")
    data = Graph().parse(data="""
        @prefix ex: <http://example.org/> .
        ex:a ex:visits ex:good, ex:nameless, ex:backwards .
        ex:good ex:name "Good" ; ex:start 1 ; ex:end 2 .
        ex:backwards ex:name "Back" ; ex:start 5 ; ex:end 2 .
        ex:a ex:name 7 .
    """, format="turtle")
    compiled = compile_shapes(shapes)
    ours = {(v["focus"], v["path"]) for v in compiled.violations(data, ontology)}
    _, report, _ = pyshacl_validate(data, shacl_graph=shapes, inference="none")
    sh = "http://www.w3.org/ns/shacl#"
    reference = {(str(report.value(r, URIRef(sh + "focusNode"))), str(report.value(r, URIRef(sh + "resultPath"))))
                 for r in report.subjects(RDF.type, URIRef(sh + "ValidationResult"))}
    assert ours == reference == {("http://example.org/nameless", "http://example.org/name"),
                                 ("http://example.org/backwards", "http://example.org/start")}
