"""Stewardship rules for ontology files, the diff of two ontologies and the mapping format (no store)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kg.errors import OntologyCheckError, OntologyError
from kg.ontology import Ontology
from kg.steward.check import check, load_checked, version_key
from kg.steward.diff import diff, terms_from_ontology
from kg.steward.reload import parse_mapping
from tests.support.paths import ROOT

KG = "https://w3id.org/newskg/def#"


def copy(tmp_path: Path, edit=lambda t: t, shapes_edit=lambda t: t) -> Path:
    target = tmp_path / f"onto{len(list(tmp_path.iterdir()))}"
    shutil.copytree(ROOT / "ontology", target)
    for name, fn in (("kg.ttl", edit), ("shapes.ttl", shapes_edit)):
        path = target / name
        path.write_text(fn(path.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def test_the_project_ontology_passes(ontology):
    assert check(ontology) == []
    assert check(ontology, "0.9.0") == []


def test_version_must_rise(ontology):
    assert any("not higher" in p for p in check(ontology, ontology.version))
    assert version_key("1.10.0") > version_key("1.9.2") > version_key("1.9")


def test_missing_label_definition_domain(tmp_path):
    extra = """
kg:Township a owl:Class ; rdfs:subClassOf kg:Office ; rdfs:label "Township"@en .
kg:orphanProp a owl:ObjectProperty ; rdfs:label "p"@en , "属性"@zh ; skos:definition "p"@en ;
    rdfs:range kg:Nowhere .
"""
    problems = check(Ontology.load(copy(tmp_path, lambda t: t + extra)))
    text = "\n".join(problems)
    assert f"{KG}Township: no rdfs:label in zh" in text
    assert f"{KG}Township: no skos:definition" in text
    assert f"{KG}orphanProp: no rdfs:domain" in text
    assert f"{KG}orphanProp: rdfs:range {KG}Nowhere is not a class" in text


def test_subclass_cycle(tmp_path):
    problems = check(Ontology.load(copy(
        tmp_path, lambda t: t + "\nkg:AdministrativeUnit rdfs:subClassOf kg:Office .\n")))
    assert any(p.startswith("rdfs:subClassOf cycle") and "Office" in p for p in problems)


def test_shape_targets_must_exist(tmp_path):
    directory = copy(tmp_path, shapes_edit=lambda t: t.replace(
        "sh:targetClass kg:Branch ;", "sh:targetClass kg:Brunch ;", 1).replace(
        "sh:path kg:starRating ;", "sh:path kg:starRatings ;", 1))
    with pytest.raises(OntologyCheckError) as error:
        load_checked(directory)
    assert any("sh:targetClass" in p and "Brunch" in p for p in error.value.problems)
    assert any("path" in p and "starRatings" in p for p in error.value.problems)


def test_syntax_error_names_file_line_column(tmp_path):
    def garble(text: str) -> str:
        lines = text.splitlines(keepends=True)
        lines[29] = "kg:Oops a owl:Class ;; ;\n" + lines[29]
        return "".join(lines)

    with pytest.raises(OntologyError) as error:
        load_checked(copy(tmp_path, garble))
    assert re.search(r"kg\.ttl:3\d:\d+: Turtle syntax error", str(error.value)), str(error.value)


def test_replacement_must_exist(tmp_path):
    directory = copy(tmp_path, lambda t: t + f"\nkg:Community owl:deprecated true ; "
                                              f"dcterms:isReplacedBy kg:Hamlet .\n")
    assert any("isReplacedBy" in p and "Hamlet" in p for p in check(Ontology.load(directory)))


def test_diff_of_two_ontologies(ontology, tmp_path):
    edited = Ontology.load(copy(tmp_path, lambda t: t.replace(
        "kg:Community a owl:Class ;\n    rdfs:subClassOf kg:AdministrativeUnit ;",
        "kg:Community a owl:Class ;\n    rdfs:subClassOf kg:Site ;", 1)))
    changes = diff(terms_from_ontology(ontology), terms_from_ontology(edited))
    assert [(c.change, c.name) for c in changes] == [("moved", "Community")]
    labels_before, labels_after = changes[0].details["labels"]
    assert "AdministrativeUnit" in labels_before and "Site" in labels_after


def test_mapping_format(ontology):
    text = "# old -> new\nkg:Community -> <https://w3id.org/newskg/def#Village>\n<https://w3id.org/newskg/def#x#y> -> kg:Site # why\n\n"
    assert parse_mapping(text, ontology) == {KG + "Community": KG + "Village",
                                             KG + "x#y": KG + "Site"}
    with pytest.raises(OntologyError, match=r"mapping:1: expected"):
        parse_mapping("kg:Community kg:Village", ontology)
    with pytest.raises(OntologyError, match="unknown prefix"):
        parse_mapping("zz:Community -> kg:Village", ontology)
