"""Terms no store can hold are found before they reach one."""

import pytest
from rdflib import Literal, URIRef

from kg.rdf.storable import term_problem, unstorable
from kg.rdf.tripleset import TripleSet

XSD_DOUBLE = URIRef("http://www.w3.org/2001/XMLSchema#double")


@pytest.mark.parametrize("term, problem", [
    (Literal("a\x00b"), "holds a NUL character at offset 1"),
    (Literal("ab\udc80"), "holds a lone surrogate (U+DC80) at offset 2"),
    (Literal(2**63), "integer 9223372036854775808 does not fit in 64 bits"),
    (Literal(-(2**63) - 1), "does not fit in 64 bits"),
    (Literal(float("inf")), "number inf is not finite"),
    (Literal("nan", datatype=XSD_DOUBLE), "is not finite"),
    (URIRef("https://example.org/x\x00"), "holds a NUL character"),
])
def test_what_a_store_cannot_hold_is_named(term, problem):
    assert problem in term_problem(term)


@pytest.mark.parametrize("term", [Literal("控制\x01字符\t与\u2028"), Literal(2**63 - 1),
                                  Literal(-(2**63)), Literal(1e308), Literal(True),
                                  URIRef("https://example.org/甲")])
def test_what_stores_hold_passes(term):
    assert term_problem(term) is None


def test_the_field_is_the_predicate_of_the_first_bad_triple():
    s = URIRef("https://example.org/s")
    graph = TripleSet([(s, URIRef("https://example.org/ns#title"), Literal("fine")),
                       (s, URIRef("https://example.org/ns#headCount"), Literal(10**30))])
    field, problem = unstorable(graph)
    assert field == "headCount" and "64 bits" in problem
    assert unstorable(TripleSet([(s, URIRef("https://example.org/ns#title"), Literal("ok"))])) is None
