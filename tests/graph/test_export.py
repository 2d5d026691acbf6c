"""RDF out for others: typed dates, the four formats, compact JSON-LD with the ontology's
context. The triples are built from invented articles (the store side is tests/graph/test_writer.py
and tests/loaders/test_rdf_import.py)."""

import json

import pytest
from rdflib import RDF, XSD, Dataset, Graph, Literal

from kg.graph import export
from kg.graph.export import EXPORT_GRAPH, FORMATS, serialize, typed_dates
from kg.rdf.triples import article_triples
from kg.vocab import KG
from tests.support.annotated import DATED



@pytest.fixture(scope="module")
def built():
    g = Graph()
    for a in DATED:
        g += article_triples(a)
    return g


def test_dates_are_typed_in_the_facts_and_in_their_evidence(built):
    typed = typed_dates(built)
    assert len(typed) == len(built)
    dates = {o for o in typed.objects(None, KG.date)}
    assert dates == {Literal("2022-06-22", datatype=XSD.date), Literal("2021-12-30", datatype=XSD.date),
                     Literal("--07-01", datatype=XSD.gMonthDay)}
    assert set(typed.objects(None, KG.published)) == {Literal("2022-07-01", datatype=XSD.date),
                                                      Literal("2022-01-05", datatype=XSD.date)}
    evidence = {typed.value(ev, RDF.object) for ev in typed.subjects(RDF.predicate, KG.date)}
    assert evidence == dates
    assert not any(o.datatype in (XSD.date, XSD.gMonthDay) for o in typed.objects(None, KG.articleId))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_reads_back_as_the_same_typed_triples(built, ontology, fmt):
    text = serialize(built, fmt, ontology)
    if fmt == "trig":
        back = Dataset()
        back.parse(data=text, format="trig")
        back = back.graph(EXPORT_GRAPH)
    else:
        back = Graph().parse(data=text, format=FORMATS[fmt])
    assert set(back) == set(typed_dates(built))


def test_jsonld_is_compact_with_the_ontologys_context(built, ontology):
    doc = json.loads(serialize(built, "jsonld", ontology))
    context = doc["@context"]
    assert context["kg"] == str(KG._NS) and context["Observation"] == "kg:Observation"
    assert context["organizer"] == {"@id": "kg:organizer", "@type": "@id"}
    assert context["date"] == {"@id": "kg:date"}
    assert "brick" not in context  # only the vocabularies the ontology uses
    event = next(n for n in doc["@graph"] if n.get("@type") == "Observation" and "date" in n
                 and n["date"]["@value"] == "--07-01")
    assert event["date"] == {"@type": "xsd:gMonthDay", "@value": "--07-01"}
    assert isinstance(event["organizer"], str)  # an IRI, not {"@id": ...}
    assert not any(key.startswith("http") for n in doc["@graph"] for key in n)


def test_an_unknown_format_is_refused(built, ontology):
    with pytest.raises(ValueError, match="rdfxml"):
        serialize(built, "rdfxml", ontology)


@pytest.mark.parametrize("page", [1, 2, 1000])
def test_node_pages_give_every_node_once(sample_store, page):
    """Each store's own paging (Neo4j: IRI order from the index; embedded: id windows)."""
    expected = sample_store.read("MATCH (n:Resource) RETURN n.iri AS key").rows
    rows = [row for rows in sample_store.node_pages("Resource", "RETURN n.iri AS key", page=page)
            for row in rows]
    assert len(rows) == len(expected)
    assert sorted(r["key"] for r in rows) == sorted(r["key"] for r in expected)


def test_equal_values_of_different_types_stay_different_literals():
    # 1 == 1.0 == True in Python: a cache keyed by value alone gave one literal for all three
    from_cache = [export.cached_literal(v) for v in (True, 1, 1.0)]
    assert [lit.datatype for lit in from_cache] == [XSD.boolean, XSD.integer, XSD.decimal]
