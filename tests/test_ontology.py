"""The ontology defines every term the code uses, documents it, and its shapes catch bad data."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
import rdflib.namespace as ns  # XSD itself at module level makes pytest warn
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from kg.config import PROJECT_ROOT
from kg.errors import OntologyError
from kg.ontology import Ontology, local_name
from kg.vocab import KG

PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

KG_TERMS = [KG[name] for name in KG.__annotations__]


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return Ontology.load(PROJECT_ROOT / "ontology")


def test_version(onto: Ontology) -> None:
    assert onto.version == "1.1.0"
    assert (URIRef(str(KG._NS).rstrip("#")), RDF.type, OWL.Ontology) in onto.graph


@pytest.mark.parametrize("term", KG_TERMS, ids=local_name)
def test_every_vocab_term_is_defined(onto: Ontology, term: URIRef) -> None:
    assert term in onto.classes() or term in onto.properties()


def test_ontology_defines_nothing_vocab_lacks(onto: Ontology) -> None:
    assert set(onto.classes()) | set(onto.properties()) == set(KG_TERMS)


@pytest.mark.parametrize("term", KG_TERMS, ids=local_name)
def test_every_term_has_labels_and_definition(onto: Ontology, term: URIRef) -> None:
    assert onto.label(term, "zh"), "no Chinese label"
    assert onto.label(term, "en"), "no English label"
    assert onto.definition(term, "en"), "no English skos:definition"


def test_every_property_has_domain_and_range_of_known_terms(onto: Ontology) -> None:
    known = {row["iri"] for row in onto.ontology_rows()["classes"]}
    for p in onto.properties():
        domain, range_ = onto.domain(p), onto.range(p)
        assert domain, f"{p} has no rdfs:domain"
        assert range_, f"{p} has no rdfs:range"
        assert all(str(c) in known for c in domain), p
        if onto.is_object_property(p):
            assert all(str(c) in known for c in range_), p
        else:
            assert all(str(r).startswith(str(ns.XSD)) for r in range_), p


def test_property_kinds(onto: Ontology) -> None:
    assert onto.is_object_property(KG.partOf)
    assert onto.is_object_property(KG.derivedFrom)
    assert not onto.is_object_property(KG.date)
    assert not onto.is_object_property(KG.starRating)
    with pytest.raises(OntologyError):
        onto.is_object_property(URIRef("https://example.org/unknown"))


@pytest.mark.parametrize("child, parents", [
    (KG.Organization, [ORG.Organization, URIRef(FOAF + "Organization"), URIRef(PROV + "Agent")]),
    (KG.Place, [SCHEMA.Place]),
    (KG.AdministrativeUnit, [KG.Organization, KG.Place]),
    (KG.Office, [KG.AdministrativeUnit]),
    (KG.Branch, [KG.PartyOrganization]),
    (KG.Department, [KG.Organization, ORG.OrganizationalUnit]),
    (KG.Enterprise, [KG.Organization, SCHEMA.Corporation]),
    (KG.ServiceCenter, [KG.Site]),
    (KG.Person, [URIRef(FOAF + "Person"), URIRef(PROV + "Person")]),
    (KG.Post, [ORG.Post]),
    (KG.Activity, [URIRef(PROV + "Activity"), SCHEMA.Event]),
    (KG.Observation, [KG.Visit]),
    (KG.Campaign, [URIRef(PROV + "Plan")]),
    (KG.Article, [SCHEMA.NewsArticle, URIRef(PROV + "Entity")]),
    (KG.Evidence, [URIRef(PROV + "Entity"), RDF.Statement]),
])
def test_hierarchy(onto: Ontology, child: URIRef, parents: list[URIRef]) -> None:
    for parent in parents:
        assert (child, RDFS.subClassOf, parent) in onto.graph
        assert parent in onto.superclasses(child)


def test_superproperties(onto: Ontology) -> None:
    assert SCHEMA.organizer in onto.superproperties(KG.organizer)
    assert ORG.holds in onto.superproperties(KG.holdsPost)
    assert RDFS.label in onto.superproperties(KG.name)


def test_superclasses_transitive_and_deterministic(onto: Ontology) -> None:
    supers = onto.superclasses(KG.Office)
    assert supers[0] == KG.AdministrativeUnit  # nearest first
    assert KG.Organization in supers and ORG.Organization in supers and SCHEMA.Place in supers
    assert KG.Office not in supers and OWL.Thing not in supers
    assert supers == onto.superclasses(KG.Office)


def test_labels_for(onto: Ontology) -> None:
    office = onto.labels_for(KG.Office)
    assert {"Office", "AdministrativeUnit", "Organization", "Place", "Agent"} <= set(office)
    assert office == sorted(set(office))
    assert "Organization" in onto.labels_for(KG.Branch)
    assert "Thing" not in office and "Resource" not in office
    assert set(office) <= set(onto.all_labels())
    with pytest.raises(OntologyError):
        onto.labels_for(URIRef("https://example.org/Nothing"))


def test_term_for_name(onto: Ontology) -> None:
    assert onto.term_for_name("Office") == KG.Office
    assert onto.term_for_name("Organization") == KG.Organization  # kg wins over org/foaf/schema
    assert onto.term_for_name("visitedSite") == KG.visitedSite
    assert onto.term_for_name("name") == KG.name
    for label in onto.all_labels():
        assert local_name(onto.term_for_name(label)) == label
    with pytest.raises(OntologyError):
        onto.term_for_name("NoSuchThing")


def test_ontology_rows(onto: Ontology) -> None:
    rows = onto.ontology_rows()
    assert rows["version"] == "1.1.0"
    classes = {c["iri"]: c for c in rows["classes"]}
    assert classes[str(KG.Office)]["label_zh"] and classes[str(KG.Office)]["deprecated"] is False
    assert str(ORG.Organization) in classes  # imported superclasses are stored too
    assert {"child": str(KG.Office), "parent": str(KG.AdministrativeUnit)} in rows["subclass"]
    props = {p["iri"]: p for p in rows["properties"]}
    assert props[str(KG.organizer)]["kind"] == "object"
    assert props[str(KG.organizer)]["range"] == str(KG.Organization)
    assert props[str(KG.starRating)]["kind"] == "datatype"
    assert props[str(KG.partOf)]["domain"] is None
    assert set(props[str(KG.partOf)]["domain_any"]) == {str(KG.Organization), str(KG.Place)}
    assert {"child": str(KG.reporter), "parent": str(SCHEMA.author)} in rows["subproperty"]
    # every edge end is a stored node
    for edge in rows["subclass"]:
        assert edge["child"] in classes and edge["parent"] in classes


def test_every_shape_is_named_and_has_a_message(onto: Ontology) -> None:
    shapes = set(onto.shapes.subjects(RDF.type, SH.NodeShape)) | set(
        onto.shapes.subjects(RDF.type, SH.PropertyShape))
    assert len(shapes) > 10
    for shape in shapes:
        named = onto.shapes.value(shape, SH.name) or onto.shapes.value(shape, RDFS.label)
        assert named, shape
        if (shape, RDF.type, SH.PropertyShape) in onto.shapes:
            assert onto.shapes.value(shape, SH.message), shape


# --------------------------------------------------------------------------- SHACL

PREFIXES = """
@prefix kg: <https://w3id.org/newskg/def#> .
@prefix id: <https://w3id.org/newskg/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
"""

GOOD = PREFIXES + """
id:a1 a kg:Article ; kg:articleId "d03" ; kg:published "2022-07-05" ;
    kg:reporter id:p2 .
id:o1 a kg:Office ; kg:name "会亭镇" ; kg:alias "会亭" ; kg:partOf id:d1 .
id:d1 a kg:District ; kg:name "夏邑县" .
id:s1 a kg:ServiceCenter ; kg:name "冉庄社区便民服务大厅" ; kg:partOf id:d1 .
id:e1 a kg:Enterprise ; kg:name "印染公司" .
id:p1 a kg:Person ; kg:name "刘清华" ; kg:holdsPost id:post1 .
id:p2 a kg:Person ; kg:name "李凤虎" .
id:post1 a kg:Post ; kg:title "党委副书记、镇长" ; kg:postIn id:o1 .
id:b1 a kg:Branch ; kg:name "刘齐炉村党支部" ; kg:starRating 5 .
id:c1 a kg:Campaign ; kg:name "“五星”支部创建" .
id:v1 a kg:Observation ; kg:derivedFrom id:a1 ; kg:organizer id:o1 ;
    kg:visitedSite id:s1 , id:e1 ; kg:leader id:p1 ; kg:date "--09-13" ;
    kg:participants "20余人" ; kg:participantCount 20 ; kg:aboutCampaign id:c1 .
id:m1 a kg:Meeting ; kg:derivedFrom id:a1 ; kg:date "2022-06-22" .
id:ev1 a kg:Evidence ; kg:derivedFrom id:a1 ; rdf:subject id:v1 ;
    rdf:predicate kg:visitedSite ; rdf:object id:s1 ; oa:start 3 ; oa:end 10 ;
    oa:exact "冉庄社区便民" ; kg:confidence "0.9"^^xsd:decimal ; kg:annotatedBy "human" ;
    kg:fact "3f2a" ; kg:position 1 .
id:ev2 a kg:Evidence ; kg:derivedFrom id:a1 ; rdf:subject id:v1 ;
    rdf:predicate kg:date ; rdf:object "--09-13" .
"""

BAD = PREFIXES + """
id:v1 a kg:Observation ; kg:date "9月13日" ; kg:organizer id:p1 .
id:p1 a kg:Person ; kg:name "刘清华" .
id:b1 a kg:Branch ; kg:name "某村党支部" ; kg:starRating 9 .
id:o1 a kg:Office .
id:post1 a kg:Post .
id:ev1 a kg:Evidence ; rdf:predicate kg:date ; rdf:object "x" ;
    oa:start 10 ; oa:end 3 ; kg:confidence "1.5"^^xsd:decimal .
"""


def _validate(onto: Ontology, data: str) -> tuple[bool, set[tuple[str, str]]]:
    conforms, report, _ = pyshacl.validate(
        Graph().parse(data=data, format="turtle"), shacl_graph=onto.shapes,
        ont_graph=onto.graph, inference="rdfs")
    found = {
        (local_name(report.value(r, SH.focusNode)), local_name(report.value(r, SH.sourceShape)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }
    return conforms, found


def test_shapes_accept_good_data(onto: Ontology) -> None:
    conforms, found = _validate(onto, GOOD)
    assert conforms, found


def test_shapes_flag_bad_data(onto: Ontology) -> None:
    conforms, found = _validate(onto, BAD)
    assert not conforms
    assert {
        ("v1", "Activity-derivedFrom"),     # an observation without its article
        ("v1", "Activity-date"),            # date not ISO
        ("p1", "PersonShape"),              # a person as organizer
        ("b1", "Branch-starRating"),        # 9 stars
        ("o1", "NamedThing-name"),          # office without a name (reached via Organization)
        ("post1", "Post-title"),
        ("ev1", "Evidence-derivedFrom"),
        ("ev1", "Evidence-subject"),
        ("ev1", "Evidence-start"),          # start after end
        ("ev1", "Evidence-confidence"),
    } <= found, found


def test_article_needs_id(onto: Ontology) -> None:
    conforms, found = _validate(onto, PREFIXES + 'id:a1 a kg:Article ; kg:published "7月5日" .')
    assert not conforms
    assert {("a1", "Article-articleId"), ("a1", "Article-published")} <= found


# ------------------------------------------------------------------------ loading


def _copy_with(tmp_path: Path, name: str, text: str) -> Path:
    for source in (PROJECT_ROOT / "ontology").glob("*.ttl"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_broken_turtle_names_file_and_line(tmp_path: Path) -> None:
    broken = '@prefix kg: <https://w3id.org/newskg/def#> .\n\nkg:A a kg:B .\nkg:C kg:d "unclosed .\n'
    _copy_with(tmp_path, "shapes.ttl", broken)
    with pytest.raises(OntologyError) as info:
        Ontology.load(tmp_path)
    message = str(info.value)
    assert "shapes.ttl" in message
    assert ":4:" in message


def test_missing_file_raises(tmp_path: Path) -> None:
    (tmp_path / "kg.ttl").write_text((PROJECT_ROOT / "ontology" / "kg.ttl").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    with pytest.raises(OntologyError, match="shapes.ttl"):
        Ontology.load(tmp_path)


def test_missing_version_raises() -> None:
    with pytest.raises(OntologyError, match="versionInfo"):
        Ontology(Graph(), Graph())


def test_constructor_reads_nothing() -> None:
    graph = Graph()
    graph.add((URIRef("https://w3id.org/newskg/def"), RDF.type, OWL.Ontology))
    graph.add((URIRef("https://w3id.org/newskg/def"), OWL.versionInfo, Literal("9.9")))
    graph.add((KG.Office, RDF.type, OWL.Class))
    graph.add((KG.Office, RDFS.subClassOf, KG.Organization))
    graph.add((KG.Office, SKOS.definition, Literal("x", lang="en")))
    onto = Ontology(graph, Graph())
    assert onto.version == "9.9"
    assert onto.labels_for(KG.Office) == ["Office", "Organization"]
