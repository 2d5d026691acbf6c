"""Ontology stewardship on both stores: reload, diff and migrate without losing instance data.

Every case starts from the loaded sample page and builds a modified copy of ontology/ in a
tmp dir (ontology/ itself is never edited). Counts and the sorted RDF export are compared
before and after.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.graph.stores.base import Index
from kg.graph.stores.falkor import FalkorStore
from tests.support.neo4j_server import _auth
from kg.steward import reload as ontology_reload
from kg.errors import KGError, OntologyError, OntologyRefused
from kg.graph.export import export_graph
from kg.graph.stored_ontology import stored_version
from kg.steward.validate_graph import validate_graph
from kg.ontology import Ontology
from kg.steward.diff import ontology_diff
from kg.steward.reload import history, reload_ontology

ROOT = Path(__file__).resolve().parents[2]
KG = "https://w3id.org/newskg/def#"

TOWNSHIP = """
kg:Township a owl:Class ;
    rdfs:subClassOf kg:Office ;
    rdfs:label "Township"@en , "乡"@zh ;
    skos:definition "A rural township (乡)."@en , "乡一级行政单位。"@zh ;
    rdfs:isDefinedBy <https://w3id.org/newskg/def> .
"""

CONTRIBUTOR = """
kg:contributor a owl:ObjectProperty ;
    rdfs:domain kg:Article ;
    rdfs:range kg:Person ;
    rdfs:label "contributor"@en , "供稿人"@zh ;
    skos:definition "A person who contributed to the article."@en , "为文章供稿的人。"@zh ;
    rdfs:isDefinedBy <https://w3id.org/newskg/def> .
"""


def _version(text: str) -> str:
    return re.search(r'owl:versionInfo "([^"]+)"', text).group(1)


def onto_copy(tmp_path: Path, edit=lambda t: t, shapes_edit=lambda t: t, bump: int = 1) -> Path:
    """ontology/ copied to tmp, kg.ttl edited, its version raised (major + bump)."""
    target = tmp_path / f"onto-{bump}-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(ROOT / "ontology", target)
    text = (target / "kg.ttl").read_text(encoding="utf-8")
    major = int(_version(text).split(".")[0])
    text = text.replace(f'owl:versionInfo "{_version(text)}"', f'owl:versionInfo "{major + bump}.0.0"', 1)
    (target / "kg.ttl").write_text(edit(text), encoding="utf-8")
    shapes = (target / "shapes.ttl").read_text(encoding="utf-8")
    (target / "shapes.ttl").write_text(shapes_edit(shapes), encoding="utf-8")
    return target


def _block(text: str, term: str) -> re.Match:
    match = re.search(rf"^{re.escape(term)} a owl:\w+ ;.*?\.\n", text, flags=re.S | re.M)
    assert match, term
    return match


def deprecate(term: str, replacement: str):
    def edit(text: str) -> str:
        m = _block(text, term)
        block = m.group(0)[:-2] + f" ;\n    owl:deprecated true ;\n    dcterms:isReplacedBy {replacement} .\n"
        return text[:m.start()] + block + text[m.end():]
    return edit


def remove(term: str):
    def edit(text: str) -> str:
        m = _block(text, term)
        return text[:m.start()] + text[m.end():]
    return edit


def counts(store) -> dict:
    nodes = store.read("MATCH (n:Resource) RETURN count(n) AS n").rows[0]["n"]
    rels = store.read("MATCH (:Resource)-[r]->(:Resource) RETURN count(r) AS n").rows[0]["n"]
    return {"nodes": nodes, "rels": rels}


def all_counts(store, *, history: bool = True) -> dict:
    """Nodes, relationships and labels; `history=False` leaves the reloads' history nodes out."""
    where = "" if history else f" WHERE NOT n:{ontology_reload.HISTORY_LABEL}"
    nodes = store.read(f"MATCH (n){where} RETURN count(n) AS n").rows[0]["n"]
    rels = store.read("MATCH ()-[r]->() RETURN count(r) AS n").rows[0]["n"]
    labels = store.read(f"MATCH (n){where} UNWIND labels(n) AS l RETURN l, count(*) AS c ORDER BY l").rows
    return {"nodes": nodes, "rels": rels, "labels": labels}


def rolled_back(store, ontology, directory: Path, before: dict, export_before: list) -> dict:
    """The graph as it was, the stored ontology too, and the one history node saying the
    reload was rolled back; that node."""
    assert all_counts(store, history=False) == before
    assert dump(store, ontology) == export_before
    assert stored_version(store) == ontology.version
    [record] = history(store)
    assert record["outcome"] == "rolled back"
    assert (record["previousVersion"], record["version"]) == (ontology.version,
                                                             Ontology.load(directory).version)
    assert "nodesRelabelled" not in record and "violations" not in record
    return record


def dump(store, ontology: Ontology) -> list[str]:
    return sorted(export_graph(store, ontology).serialize(format="nt").splitlines())


def stored_ontology(store) -> list:
    return [{**r, "parents": sorted(r["parents"])} for r in store.read("MATCH (c:OntologyClass) OPTIONAL MATCH (c)-[:subClassOf]->(p) "
                      "RETURN c.iri AS iri, c.label_zh AS zh, c.label_en AS en, "
                      "collect(p.iri) AS parents ORDER BY iri").rows]


def test_add_subclass_of_office(sample_store, ontology, tmp_path):
    before, export_before = counts(sample_store), dump(sample_store, ontology)
    directory = onto_copy(tmp_path, lambda t: t + TOWNSHIP)
    diff = ontology_diff(sample_store, Ontology.load(directory))
    assert [(c["change"], c["name"], c["instances"]) for c in diff["changes"]] == [("added", "Township", 0)]
    report = reload_ontology(sample_store, directory)
    new = Ontology.load(directory)
    assert counts(sample_store) == before
    assert dump(sample_store, new) == export_before
    assert stored_version(sample_store) == new.version
    parents = sample_store.read("MATCH (:OntologyClass {name: 'Township'})-[:subClassOf]->(p) "
                                "RETURN p.name AS p").rows
    assert parents == [{"p": "Office"}]
    assert sample_store.read("MATCH (n:Township) RETURN count(n) AS n").rows == [{"n": 0}]
    assert report["violations"] == []
    # reclassification is the steward's mapping: every Office becomes a Township
    offices = sample_store.read("MATCH (n:Office) RETURN n.iri AS iri ORDER BY iri").rows
    mapping = tmp_path / "offices.map"
    mapping.write_text("# offices are townships now\nkg:Office -> kg:Township\n", encoding="utf-8")
    reload_ontology(sample_store, onto_copy(tmp_path, lambda t: t + TOWNSHIP, bump=2),
                    mapping_file=mapping)
    assert counts(sample_store) == before
    assert sample_store.read("MATCH (n:Township) RETURN n.iri AS iri ORDER BY iri").rows == offices
    assert sample_store.read("MATCH (n:Office) RETURN n.iri AS iri ORDER BY iri").rows == offices
    assert sample_store.read("MATCH (n:Township:AdministrativeUnit:Organization:Place) "
                             "RETURN count(n) AS n").rows == [{"n": len(offices)}]
    typed = sample_store.read("MATCH (ev:Evidence {predicate: 'type', object: $o}) RETURN count(ev) AS n",
                              {"o": KG + "Office"}).rows
    assert typed == [{"n": 0}]


def test_change_zh_label(sample_store, ontology, tmp_path):
    before, export_before = counts(sample_store), dump(sample_store, ontology)
    stored_before = stored_ontology(sample_store)
    directory = onto_copy(tmp_path, lambda t: t.replace('"乡镇街道"@zh', '"乡镇街道办事处"@zh', 1))
    diff = ontology_diff(sample_store, Ontology.load(directory))
    assert [(c["change"], c["name"], c["details"]) for c in diff["changes"]] == [
        ("relabelled", "Office", {"label_zh": ["乡镇街道", "乡镇街道办事处"]})]
    assert diff["changes"][0]["instances"] > 0
    reload_ontology(sample_store, directory)
    assert counts(sample_store) == before
    assert dump(sample_store, Ontology.load(directory)) == export_before
    stored_after = stored_ontology(sample_store)
    changed = [(a, b) for a, b in zip(stored_before, stored_after) if a != b]
    assert len(changed) == 1
    was, now = changed[0]
    assert was["iri"] == KG + "Office" and now == {**was, "zh": "乡镇街道办事处"}


def test_deprecate_class_with_replacement(sample_store, ontology, tmp_path):
    before, export_before = counts(sample_store), dump(sample_store, ontology)
    communities = sample_store.read("MATCH (n:Community) RETURN n.iri AS iri ORDER BY iri").rows
    villages = sample_store.read("MATCH (n:Village) RETURN n.iri AS iri").rows
    assert communities
    directory = onto_copy(tmp_path, deprecate("kg:Community", "kg:Village"))
    plan = reload_ontology(sample_store, directory, dry_run=True)["plan"]
    assert plan["class_migrations"] == [{"from": KG + "Community", "to": KG + "Village"}]
    assert plan["counts"]["nodes_to_relabel"] == len(communities)
    assert dump(sample_store, ontology) == export_before  # dry run wrote nothing
    report = reload_ontology(sample_store, directory)
    assert report["applied"]["nodesRelabelled"] == len(communities)
    assert counts(sample_store) == before
    assert sample_store.read("MATCH (n:Community) RETURN count(n) AS n").rows == [{"n": 0}]
    now = {r["iri"] for r in sample_store.read("MATCH (n:Village) RETURN n.iri AS iri").rows}
    assert now == {r["iri"] for r in communities + villages}
    expected = sorted(line.replace(f"<{KG}Community>", f"<{KG}Village>") for line in export_before)
    assert dump(sample_store, Ontology.load(directory)) == sorted(set(expected))
    assert history(sample_store)[-1]["typeFactsMigrated"] >= len(communities)


def test_deprecate_property_with_replacement(sample_store, ontology, tmp_path):
    before, export_before = counts(sample_store), dump(sample_store, ontology)
    n = sample_store.read("MATCH ()-[r:correspondent]->() RETURN count(r) AS n").rows[0]["n"]
    assert n
    directory = onto_copy(tmp_path, lambda t: deprecate("kg:correspondent", "kg:contributor")(t) + CONTRIBUTOR)
    report = reload_ontology(sample_store, directory)
    assert report["applied"]["relationshipsMigrated"] == n
    assert counts(sample_store) == before
    assert sample_store.read("MATCH ()-[r:correspondent]->() RETURN count(r) AS n").rows == [{"n": 0}]
    assert sample_store.read("MATCH ()-[r:contributor]->() RETURN count(r) AS n").rows == [{"n": n}]
    assert sample_store.read("MATCH (ev:Evidence {predicate: 'correspondent'}) RETURN count(ev) AS n"
                             ).rows == [{"n": 0}]
    expected = sorted(line.replace(f"<{KG}correspondent>", f"<{KG}contributor>") for line in export_before)
    assert dump(sample_store, Ontology.load(directory)) == expected


def test_remove_class_with_instances_is_refused(sample_store, ontology, tmp_path):
    before, export_before = all_counts(sample_store), dump(sample_store, ontology)
    data_before = counts(sample_store)
    directory = onto_copy(tmp_path, remove("kg:Community"))
    with pytest.raises(OntologyRefused) as refused:
        reload_ontology(sample_store, directory)
    assert "Community" in str(refused.value)
    assert [o["name"] for o in refused.value.orphans] == ["Community"]
    assert all_counts(sample_store) == before
    assert dump(sample_store, ontology) == export_before
    assert stored_version(sample_store) == ontology.version
    assert history(sample_store) == []
    # with a mapping the same change goes through, and nothing is lost
    mapping = tmp_path / "community.map"
    mapping.write_text("<https://w3id.org/newskg/def#Community> -> kg:Village  # merged\n", encoding="utf-8")
    reload_ontology(sample_store, directory, mapping_file=mapping)
    assert counts(sample_store) == data_before
    assert sample_store.read("MATCH (n:Community) RETURN count(n) AS n").rows == [{"n": 0}]
    assert dump(sample_store, Ontology.load(directory)) == sorted(set(
        line.replace(f"<{KG}Community>", f"<{KG}Village>") for line in export_before))


def test_broken_turtle_is_refused_with_its_line(sample_store, ontology, tmp_path):
    before, export_before = all_counts(sample_store), dump(sample_store, ontology)

    def garble(text: str) -> str:
        lines = text.splitlines(keepends=True)
        lines.insert(40, "kg:Broken a owl:Class ; rdfs:label \"unterminated ;\n")
        return "".join(lines)

    directory = onto_copy(tmp_path, garble)
    with pytest.raises(OntologyError) as error:
        reload_ontology(sample_store, directory)
    assert re.search(r"kg\.ttl:4[1-9]:\d+", str(error.value)), str(error.value)
    assert all_counts(sample_store) == before
    assert dump(sample_store, ontology) == export_before


def test_reload_of_same_version_is_refused(sample_store, ontology, tmp_path):
    directory = onto_copy(tmp_path, bump=0)
    with pytest.raises(OntologyError, match="not higher"):
        reload_ontology(sample_store, directory)


@pytest.mark.parametrize("step", ["recompute_labels", "store_ontology", "write_history"])
def test_reload_interrupted_midway_changes_nothing(sample_store, ontology, tmp_path, monkeypatch, step):
    before, export_before = all_counts(sample_store), dump(sample_store, ontology)
    directory = onto_copy(tmp_path, deprecate("kg:Community", "kg:Village"))
    original = getattr(ontology_reload, step)

    def fail_after(tx, *args):
        original(tx, *args)  # the step writes, then the connection dies
        raise RuntimeError("connection lost")

    monkeypatch.setattr(ontology_reload, step, fail_after)
    with pytest.raises(RuntimeError):
        reload_ontology(sample_store, directory)
    record = rolled_back(sample_store, ontology, directory, before, export_before)
    assert record["reason"] == "RuntimeError: connection lost"


def test_a_statement_rejected_inside_the_reload_is_rolled_back_and_recorded(
        sample_store, ontology, tmp_path, monkeypatch):
    """On the embedded store the statement fails inside the one MULTI/EXEC and the graph comes
    back from its copy; Neo4j rolls its transaction back. Both record why; the same reload
    then goes through, and only its own history node gets the validation count."""
    before, export_before = all_counts(sample_store), dump(sample_store, ontology)
    directory = onto_copy(tmp_path, deprecate("kg:Community", "kg:Village"))
    original = ontology_reload.store_ontology

    def rejected(tx, *args):
        original(tx, *args)
        tx.write("MATCH (n:Resource) RETURN n.iri +")  # not Cypher: the store rejects it

    monkeypatch.setattr(ontology_reload, "store_ontology", rejected)
    with pytest.raises(KGError):
        reload_ontology(sample_store, directory)
    record = rolled_back(sample_store, ontology, directory, before, export_before)
    assert record["reason"]
    monkeypatch.setattr(ontology_reload, "store_ontology", original)
    reload_ontology(sample_store, directory)
    assert [(h["outcome"], "violations" in h) for h in history(sample_store)] == [
        ("rolled back", False), ("applied", True)]
    assert stored_version(sample_store) == Ontology.load(directory).version


@pytest.mark.parametrize("store", ["neo4j"], indirect=True)  # the embedded store has no connection to lose
def test_reload_when_the_driver_dies_midway(sample_store, ontology, tmp_path, monkeypatch):
    before, export_before = all_counts(sample_store), dump(sample_store, ontology)
    directory = onto_copy(tmp_path, deprecate("kg:Community", "kg:Village"))
    original = ontology_reload.recompute_labels

    def kill_driver(tx, changes):
        changed = original(tx, changes)
        sample_store.close()  # closes every connection of the driver, the open transaction's too
        return changed

    monkeypatch.setattr(ontology_reload, "recompute_labels", kill_driver)
    with pytest.raises(KGError):
        reload_ontology(sample_store, directory)
    # a new driver on the same server sees the old graph, and the reload's failure
    rolled_back(sample_store, ontology, directory, before, export_before)


def test_history_lists_each_reload(sample_store, tmp_path):
    first = onto_copy(tmp_path, lambda t: t + TOWNSHIP, bump=1)
    second = onto_copy(tmp_path, lambda t: t.replace('"乡镇街道"@zh', '"乡镇"@zh', 1), bump=2)
    reload_ontology(sample_store, first)
    reload_ontology(sample_store, second)
    rows = history(sample_store)
    assert [r["version"] for r in rows] == [Ontology.load(first).version, Ontology.load(second).version]
    assert rows[1]["previousVersion"] == rows[0]["version"]
    assert [r["outcome"] for r in rows] == ["applied", "applied"]
    assert rows[0]["fileHash"] != rows[1]["fileHash"] and len(rows[0]["fileHash"]) == 64


def test_tightened_shape_reports_violations_without_undoing(sample_store, ontology, tmp_path):
    def tighten(shapes: str) -> str:  # offices must now have a star rating
        shapes = shapes.replace("sh:targetClass kg:Branch ;", "sh:targetClass kg:Office ;", 1)
        return shapes.replace("sh:path kg:starRating ;", "sh:path kg:starRating ;\n    sh:minCount 1 ;", 1)

    directory = onto_copy(tmp_path, shapes_edit=tighten)
    report = reload_ontology(sample_store, directory)
    assert stored_version(sample_store) == Ontology.load(directory).version
    offices = {r["iri"] for r in sample_store.read("MATCH (n:Office) RETURN n.iri AS iri").rows}
    assert report["violations"], "offices have no star rating"
    assert {v["focus"] for v in report["violations"]} <= offices
    assert all(v["articles"] and v["shape"] and v["message"] for v in report["violations"])
    assert history(sample_store)[-1]["violations"] == len(report["violations"])


def test_validate_graph_names_node_shape_and_article(sample_store, ontology):
    assert validate_graph(sample_store, ontology)["violations"] == []
    iri = sample_store.read("MATCH (n:Office) RETURN n.iri AS iri ORDER BY iri LIMIT 1").rows[0]["iri"]
    with sample_store.transaction() as tx:
        tx.run("MATCH (n:Resource {iri: $iri}) SET n.name = NULL", {"iri": iri})
    found = validate_graph(sample_store, ontology, page=7, articles_per_batch=2)["violations"]
    assert [(v["focus"], v["path"]) for v in found] == [(iri, KG + "name")]
    assert found[0]["articles"]


def test_indexes_follow_the_ontology(sample_store, tmp_path):
    sample_store.create_index(Index("Community", ("name",)))
    mapping = tmp_path / "community.map"
    mapping.write_text("kg:Community -> kg:Village\n", encoding="utf-8")
    report = reload_ontology(sample_store, onto_copy(tmp_path, remove("kg:Community")), mapping_file=mapping)
    assert report["schema"]
    indexed = {(index.label, index.props) for index in sample_store.indexes()}
    assert ("Community", ("name",)) not in indexed
    assert ("Village", ("name",)) in indexed
    assert ("Resource", ("iri",)) in indexed


def test_validate_graph_reaches_nodes_no_article_mentions(sample_store, ontology):
    with sample_store.transaction() as tx:
        tx.run("CREATE (:Resource:Office:AdministrativeUnit:Organization:Place:Agent "
               "{iri: 'https://w3id.org/newskg/id/org/stray', colour: 'red'})")
    found = validate_graph(sample_store, ontology, page=5)["violations"]
    stray = [v for v in found if v["focus"].endswith("/stray")]
    assert {(v["path"], v["articles"] == []) for v in stray} == {(KG + "name", True), ("colour", True)}
    assert len(found) == 2


def test_validate_graph_agrees_with_pyshacl(sample_store, ontology, monkeypatch):
    with sample_store.transaction() as tx:
        tx.run("MATCH (n:Branch) SET n.starRating = 9")
        tx.run("MATCH (n:Person) WITH n ORDER BY n.iri LIMIT 1 SET n.name = ''")
    compiled = validate_graph(sample_store, ontology)["violations"]
    assert len(compiled) >= 2
    monkeypatch.setattr("kg.rdf.validate._compiled", lambda _ontology: None)
    assert validate_graph(sample_store, ontology)["violations"] == compiled


def test_moved_class_gets_its_new_superclass_labels(sample_store, ontology, tmp_path):
    before, export_before = counts(sample_store), dump(sample_store, ontology)
    communities = {r["iri"] for r in sample_store.read("MATCH (n:Community) RETURN n.iri AS iri").rows}
    directory = onto_copy(tmp_path, lambda t: t.replace(
        "kg:Community a owl:Class ;\n    rdfs:subClassOf kg:AdministrativeUnit ;",
        "kg:Community a owl:Class ;\n    rdfs:subClassOf kg:Site ;", 1))
    diff = ontology_diff(sample_store, Ontology.load(directory))
    assert [(c["change"], c["name"], c["instances"]) for c in diff["changes"]] == [
        ("moved", "Community", len(communities))]
    report = reload_ontology(sample_store, directory)
    assert report["applied"]["nodesRelabelled"] == len(communities)
    assert counts(sample_store) == before
    rows = sample_store.read("MATCH (n:Community) RETURN n.iri AS iri, labels(n) AS labels").rows
    assert {r["iri"] for r in rows} == communities
    for r in rows:
        assert {"Site", "Place", "Community"} <= set(r["labels"])
        assert not {"AdministrativeUnit", "Organization"} & set(r["labels"])
    assert dump(sample_store, Ontology.load(directory)) == export_before


# a reload in a child process on the same store, killed (SIGKILL) right after `step` ran
_KILLED_RELOAD = """
import os, signal, sys
from pathlib import Path
from kg.graph.stores.falkor import FalkorStore
from kg.graph.stores.neo4j import Neo4jStore
from kg.steward import reload as ontology_reload

kind, where, graph, directory, step, user, password = sys.argv[1:]
owner = FalkorStore if step.startswith("_") else ontology_reload
original = getattr(owner, step)

def killed(*args, **kwargs):
    original(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)

setattr(owner, step, killed)
store = (FalkorStore(Path(where), graph=graph) if kind == "embedded"
         else Neo4jStore(where, user, password))
ontology_reload.reload_ontology(store, Path(directory))
"""


def _killed_reload(store, directory: Path, step: str, neo4j_uri: str = "") -> None:
    if isinstance(store, FalkorStore):
        args = ["embedded", str(store.data_dir), store.graph_name]
    else:
        args = ["neo4j", neo4j_uri, ""]
    child = subprocess.run([sys.executable, "-c", _KILLED_RELOAD, *args, str(directory), step,
                            *_auth()],
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=120)
    assert child.returncode == -9, child.stderr.decode()


@pytest.mark.parametrize("store", ["embedded"], indirect=True)
@pytest.mark.parametrize("step", ["label_changes", "write_history"])
def test_reload_killed_before_its_writes_leaves_the_old_ontology(sample_store, ontology, tmp_path, step):
    """Killed after its reads, or with every write queued and not sent: the old graph entirely,
    the copy taken first dropped at the next open, and the same reload then goes through."""
    before, export_before = all_counts(sample_store), dump(sample_store, ontology)
    classes_before = stored_ontology(sample_store)
    directory = onto_copy(tmp_path, deprecate("kg:Community", "kg:Village"))
    _killed_reload(sample_store, directory, step)
    assert sample_store._exists(sample_store._snapshot)  # the dead reload's copy
    reopened = FalkorStore(sample_store.data_dir, graph=sample_store.graph_name)
    try:
        assert not reopened._exists(reopened._snapshot)
        assert all_counts(reopened) == before
        assert dump(reopened, ontology) == export_before
        assert stored_version(reopened) == ontology.version
        assert stored_ontology(reopened) == classes_before
        assert history(reopened) == []
        report = reload_ontology(reopened, directory)
        assert [h["version"] for h in history(reopened)] == [Ontology.load(directory).version]
        assert report["applied"]["nodesRelabelled"] > 0
        assert reopened.read("MATCH (n:Community) RETURN count(n) AS n").rows == [{"n": 0}]
    finally:
        reopened.close()


@pytest.mark.parametrize("store", ["embedded"], indirect=True)
def test_reload_killed_after_its_commit_is_complete(sample_store, ontology, tmp_path):
    """Killed once its one EXEC was answered (before validating): the new ontology and data
    entirely, with its history node; the copy is dropped at the next open."""
    directory = onto_copy(tmp_path, deprecate("kg:Community", "kg:Village"))
    new = Ontology.load(directory)
    communities = sample_store.read("MATCH (n:Community) RETURN count(n) AS n").rows[0]["n"]
    _killed_reload(sample_store, directory, "_exec")
    reopened = FalkorStore(sample_store.data_dir, graph=sample_store.graph_name)
    try:
        assert not reopened._exists(reopened._snapshot)
        assert stored_version(reopened) == new.version
        [record] = history(reopened)
        assert (record["previousVersion"], record["version"]) == (ontology.version, new.version)
        assert record["nodesRelabelled"] == communities and "violations" not in record
        assert reopened.read("MATCH (n:Community) RETURN count(n) AS n").rows == [{"n": 0}]
        with pytest.raises(OntologyError, match="not higher"):  # it is done: nothing to redo
            reload_ontology(reopened, directory)
    finally:
        reopened.close()


@pytest.mark.parametrize("store", ["neo4j"], indirect=True)
def test_reload_killed_with_its_writes_sent_leaves_the_old_ontology_on_neo4j(
        sample_store, ontology, tmp_path, neo4j_uri):
    """Every write of the reload sent in its open transaction, then the process killed: the
    server rolls the transaction back."""
    before, export_before = all_counts(sample_store), dump(sample_store, ontology)
    directory = onto_copy(tmp_path, deprecate("kg:Community", "kg:Village"))
    _killed_reload(sample_store, directory, "write_history", neo4j_uri)
    assert all_counts(sample_store) == before
    assert dump(sample_store, ontology) == export_before
    assert stored_version(sample_store) == ontology.version
    assert history(sample_store) == []
    reload_ontology(sample_store, directory)
    assert [h["version"] for h in history(sample_store)] == [Ontology.load(directory).version]
