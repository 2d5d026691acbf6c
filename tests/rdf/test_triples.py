from rdflib import RDF, Literal

from kg.rdf import identity
from kg.errors import AnnotationError
from kg.rdf.triples import article_triples
from kg.vocab import KG, OA
from tests.support.annotated import article

import pytest

VISIT = article(
    "t1",
    "[6月2日|Date],[甲县|District][东河街道|Office][观摩|Observation]了[南坡村|Village]和[北岭村|Village],"
    "[20余人|HeadCount]参加。[东河办事处|Office]主任[王五|Person]带队。记者 [赵六|Reporter]",
    [("观摩", "organizer", "东河街道"), ("观摩", "visitedSite", "北岭村"), ("观摩", "visitedSite", "南坡村"),
     ("观摩", "date", "6月2日"), ("观摩", "participants", "20余人"), ("观摩", "leader", "王五"),
     ("东河街道", "partOf", "甲县")],
)


def test_same_office_under_two_name_forms_is_one_iri():
    assert identity.entity_iri("东河街道", "Office") == identity.entity_iri("东河办事处", "Office")
    assert identity.entity_iri("“东河 街道”", "Office") == identity.entity_iri("东河办事处", "Office")
    assert identity.entity_iri("东河街道", "Office") != identity.entity_iri("东河街道", "Person")


def test_visit_sites_are_ordered_by_the_text_and_evidence_points_at_the_span():
    g = article_triples(VISIT)
    office = identity.entity_iri("东河办事处", "Office")
    event = next(g.subjects(RDF.type, KG.Observation))
    assert (event, KG.organizer, office) in g
    positions = {}
    for ev in g.subjects(RDF.predicate, KG.visitedSite):
        site = g.value(ev, RDF.object)
        positions[str(g.value(site, KG.name))] = int(g.value(ev, KG.position))
    assert positions == {"南坡村": 1, "北岭村": 2}
    assert (event, KG.date, Literal("--06-02")) in g
    assert (event, KG.participantCount, Literal(20)) in g
    # the office's type evidence covers exactly the words of its mention
    ev = next(e for e in g.subjects(RDF.subject, office) if g.value(e, RDF.predicate) == RDF.type)
    start, end = int(g.value(ev, OA.start)), int(g.value(ev, OA.end))
    assert VISIT.text[start:end] in ("东河街道", "东河办事处")
    assert g.value(ev, KG.derivedFrom) == identity.article_iri("t1")


def test_office_name_is_canonical_and_other_forms_are_aliases():
    g = article_triples(VISIT)
    office = identity.entity_iri("东河办事处", "Office")
    assert g.value(office, KG.name) == Literal("东河办事处")
    assert Literal("东河街道") in set(g.objects(office, KG.alias))


def test_reporter_role_gives_a_person_and_the_article_link():
    g = article_triples(VISIT)
    person = identity.entity_iri("赵六", "Reporter")
    assert (person, RDF.type, KG.Person) in g
    assert (identity.article_iri("t1"), KG.reporter, person) in g


def test_every_fact_has_evidence():
    g = article_triples(VISIT)
    plain = {KG.name, KG.derivedFrom, KG.articleId, KG.text, KG.title}
    facts = {(s, p, o) for s, p, o in g
             if p not in plain and (s, RDF.type, KG.Evidence) not in g and (s, RDF.type, KG.Article) not in g
             or p in (KG.reporter, KG.correspondent)}
    supported = {(g.value(e, RDF.subject), g.value(e, RDF.predicate), g.value(e, RDF.object))
                 for e in g.subjects(RDF.type, KG.Evidence)}
    assert facts and facts <= supported


def test_relation_between_wrong_labels_is_refused():
    bad = article("t2", "[王五|Person]去了[南坡村|Village]", [("王五", "organizer", "南坡村")])
    with pytest.raises(AnnotationError, match="organizer"):
        article_triples(bad)


def test_unreadable_date_is_refused_with_the_article():
    bad = article("t3", "[某日|Date][观摩|Observation]", [("观摩", "date", "某日")])
    with pytest.raises(AnnotationError, match="t3"):
        article_triples(bad)


def test_post_links_person_post_and_organisation():
    a = article("t4", "[东河办事处|Office][党工委书记|Post][王五|Person]",
                [("王五", "holdsPost", "党工委书记"), ("党工委书记", "postIn", "东河办事处")])
    g = article_triples(a)
    person = identity.entity_iri("王五", "Person")
    post = g.value(person, KG.holdsPost)
    assert g.value(post, KG.title) == Literal("党工委书记")
    assert g.value(post, KG.postIn) == identity.entity_iri("东河办事处", "Office")
