"""RDF text written as the triples come: what rdflib reads back is what was written, whatever
the literals hold and however the subjects come (invented IRIs)."""

import io

import pytest
from rdflib import RDF, XSD, Dataset, Graph, Literal, Namespace, URIRef

from kg.rdf.stream import write_ntriples, write_turtle

EX = Namespace("https://example.org/id/")
DEF = Namespace("https://example.org/def#")
PREFIXES = {"ex": str(EX), "def": str(DEF), "xsd": str(XSD)}

TRIPLES = [
    (EX["office/青山办事处"], RDF.type, DEF.Office),
    (EX["office/青山办事处"], DEF.name, Literal('青山"办事处"\\一')),
    (EX["event-1"], RDF.type, DEF.Observation),
    (EX["event-1"], DEF.date, Literal("2031-05-04", datatype=XSD.date)),
    (EX["event-1"], DEF.sentence, Literal("第一行\n第二行\r\n")),
    (EX["event-1"], DEF.participants, Literal(12, datatype=XSD.integer)),
    (EX["event-1"], DEF.confirmed, Literal(True)),
    (EX.柳河村, RDF.type, DEF.Village),
    (EX["event-1"], DEF.organizer, EX["office/青山办事处"]),  # the subject comes back later
    (EX["a.b."], DEF.name, Literal("en", lang="en")),
]


def test_ntriples_are_one_line_each_and_read_back():
    out = io.StringIO()
    assert write_ntriples(iter(TRIPLES), out) == len(TRIPLES)
    text = out.getvalue()
    assert text.count("\n") == len(TRIPLES)
    assert set(Graph().parse(data=text, format="nt")) == set(TRIPLES)


def test_turtle_groups_runs_of_a_subject_and_reads_back():
    out = io.StringIO()
    assert write_turtle(iter(TRIPLES), out, PREFIXES) == len(TRIPLES)
    text = out.getvalue()
    assert set(Graph().parse(data=text, format="turtle")) == set(TRIPLES)
    assert "ex:柳河村 a def:Village ." in text  # a plain local name is prefixed, rdf:type is `a`
    assert f"<{EX['office/青山办事处']}>" in text  # one with a slash is written in full
    assert f"<{EX['a.b.']}>" in text  # a local name may not end with a dot
    assert text.count("<https://example.org/id/event-1>") + text.count("ex:event-1 ") == 2


def test_trig_puts_the_blocks_in_the_named_graph():
    out = io.StringIO()
    write_turtle(iter(TRIPLES), out, PREFIXES, graph=EX.graph)
    back = Dataset()
    back.parse(data=out.getvalue(), format="trig")
    assert set(back.graph(EX.graph)) == set(TRIPLES)


@pytest.mark.parametrize("write", [write_ntriples, lambda t, out: write_turtle(t, out, PREFIXES)])
def test_nothing_to_write_is_still_a_document(write):
    out = io.StringIO()
    assert write(iter(()), out) == 0
    assert len(Graph().parse(data=out.getvalue(), format="turtle")) == 0
