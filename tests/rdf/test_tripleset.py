"""The light triple set: the union a batch is validated and mapped from must be a true set union."""

from rdflib import Graph, Literal, URIRef

from kg.rdf.tripleset import TripleSet, by_subject

S1, S2, S3 = (URIRef(f"urn:s{i}") for i in range(3))
P, Q = URIRef("urn:p"), URIRef("urn:q")


def _set(*triples) -> TripleSet:
    return TripleSet(triples)


def test_union_of_overlapping_sets_is_the_set_union():
    a = _set((S1, P, Literal(1)), (S1, Q, S2), (S2, P, Literal("x")))
    b = _set((S2, P, Literal("x")), (S2, P, Literal("y")), (S3, Q, S1))
    union = TripleSet()
    union += a
    union += b
    expected = set(a) | set(b)
    assert set(union) == expected and len(union) == len(expected) == 5
    assert set(union.objects(S2, P)) == {Literal("x"), Literal("y")}
    assert set(union.subjects(Q, None)) == {S1, S3}
    assert set(union.subject_objects(P)) == {(S1, Literal(1)), (S2, Literal("x")), (S2, Literal("y"))}


def test_adding_to_a_union_leaves_its_sources_alone():
    a = _set((S1, P, Literal(1)))
    union = TripleSet()
    union += a
    union.add((S1, P, Literal(2)))
    union += _set((S1, Q, S2))
    assert set(a) == {(S1, P, Literal(1))} and len(a) == 1
    assert len(union) == 3 and set(union.objects(S1, P)) == {Literal(1), Literal(2)}


def test_both_indexes_agree_after_adds_and_unions():
    union = TripleSet([(S1, P, Literal(1))])
    union += _set((S2, P, Literal(2)), (S1, P, Literal(3)))
    union.add((S2, P, Literal(4)))
    by_subject = {(s, P, o) for s in (S1, S2) for o in union.objects(s, P)}
    by_predicate = {(s, P, o) for s, o in union.subject_objects(P)}
    assert by_subject == by_predicate == set(union)
    assert (S2, P, Literal(4)) in union and (S3, P, Literal(4)) not in union


def test_plain_iterables_still_add_triple_by_triple():
    union = TripleSet()
    union += [(S1, P, Literal(1)), (S1, P, Literal(1))]
    assert len(union) == 1


def test_by_subject_is_the_same_index_for_a_tripleset_and_an_rdflib_graph():
    triples = [(S1, P, Literal(1)), (S1, P, Literal(2)), (S1, Q, S2), (S2, P, Literal("x"))]
    graph = Graph()
    for t in triples:
        graph.add(t)

    def as_sets(index):
        return {s: {p: set(objs) for p, objs in po.items()} for s, po in index.items()}

    expected = {S1: {P: {Literal(1), Literal(2)}, Q: {S2}}, S2: {P: {Literal("x")}}}
    assert as_sets(by_subject(_set(*triples))) == as_sets(by_subject(graph)) == expected


def test_triples_added_about_one_subject_are_the_same_set_as_added_one_by_one():
    pairs = [(P, Literal(1)), (Q, S2), (P, Literal(1)), (P, Literal(2))]
    about, one_by_one = _set((S1, Q, S3)), _set((S1, Q, S3))
    about.add_about(S1, pairs)
    about.add_about(S2, pairs[:1])
    for p, o in pairs:
        one_by_one.add((S1, p, o))
    one_by_one.add((S2, P, Literal(1)))
    assert set(about) == set(one_by_one) and len(about) == len(one_by_one) == 5
    assert set(about.subjects(P, Literal(1))) == {S1, S2}
