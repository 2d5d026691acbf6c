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


# published in the next month: the year of the date comes from the publication date
PUBLISHED = article(
    "t5", "本报讯 [6月22日|Date],[东河办事处|Office][观摩|Observation]了[南坡村|Village]。",
    [("观摩", "organizer", "东河办事处"), ("观摩", "visitedSite", "南坡村"), ("观摩", "date", "6月22日")],
    published="2022-07-01")


def _event(g):
    return next(g.subjects(RDF.type, KG.Observation))


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


@pytest.mark.parametrize("a", [VISIT, PUBLISHED], ids=["no publication date", "published"])
def test_every_fact_has_evidence(a):
    g = article_triples(a)
    plain = {KG.name, KG.derivedFrom, KG.articleId, KG.text, KG.title, KG.dateInferred}
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


def test_a_date_without_a_year_takes_the_year_of_publication_and_is_flagged():
    g = article_triples(PUBLISHED)
    event = _event(g)
    assert g.value(event, KG.date) == Literal("2022-06-22")
    assert g.value(event, KG.dateInferred) == Literal(True)
    # the evidence states the full date and quotes the text as written (date to event)
    ev = next(g.subjects(RDF.predicate, KG.date))
    assert g.value(ev, RDF.object) == Literal("2022-06-22")
    assert str(g.value(ev, OA.exact)) == "6月22日,东河办事处观摩"
    # the annotation itself is unchanged
    assert PUBLISHED.span("s1").text == "6月22日"


def test_a_day_after_publication_is_read_back_over_new_year():
    a = article("t6", "[12月30日|Date],[东河办事处|Office][观摩|Observation]",
                [("观摩", "organizer", "东河办事处"), ("观摩", "date", "12月30日")],
                published="2022-01-05")
    g = article_triples(a)
    assert g.value(_event(g), KG.date) == Literal("2021-12-30")
    assert g.value(_event(g), KG.dateInferred) == Literal(True)


@pytest.mark.parametrize("when, published, stored", [
    ("6月22日", None, "--06-22"),                  # no publication date: no year to infer
    ("2022年6月22日", "2022-07-01", "2022-06-22"),  # the year is written
    ("2023年8月1日", "2022-07-01", "2023-08-01"),   # written, and after publication: as written
    ("7月5日至6日", None, "--07-05"),               # a range: its first day
])
def test_a_date_as_written_is_not_flagged(when, published, stored):
    a = article("t7", f"[{when}|Date],[东河办事处|Office][观摩|Observation]",
                [("观摩", "organizer", "东河办事处"), ("观摩", "date", when)], published=published)
    g = article_triples(a)
    assert g.value(_event(g), KG.date) == Literal(stored)
    assert g.value(_event(g), KG.dateInferred) is None


@pytest.mark.parametrize("word", ["近日", "日前"])
def test_a_time_word_that_gives_no_day_gives_no_date(word):
    a = article("t8", f"[{word}|Date],[东河办事处|Office][观摩|Observation]",
                [("观摩", "organizer", "东河办事处"), ("观摩", "date", word)], published="2022-07-01")
    g = article_triples(a)
    assert g.value(_event(g), KG.date) is None and g.value(_event(g), KG.dateInferred) is None
    assert not list(g.subjects(RDF.predicate, KG.date))


def test_a_publication_date_that_is_no_date_is_refused_with_the_article():
    bad = article("t9", "[6月2日|Date][观摩|Observation]", [("观摩", "date", "6月2日")],
                  published="2022-02-30")
    with pytest.raises(AnnotationError, match="published"):
        article_triples(bad)
