"""An export imported into an empty store is the same graph: same `kg stats`, same triples, on
both stores and from every format; bad files are one error naming them and write nothing."""

import pytest
from rdflib import Literal, URIRef

from kg.errors import InputError, ValidationError
from kg.graph.export import FORMATS, export_graph, serialize
from kg.graph.stats import graph_stats
from kg.vocab import KG
from loaders.pipeline import load_articles
from loaders.rdf_import import import_rdf, read_rdf
from tests.support.annotated import DATED

pytestmark = pytest.mark.store

SUFFIX = {"turtle": ".ttl", "ntriples": ".nt", "trig": ".trig", "jsonld": ".jsonld"}


def _exported(store, ontology, tmp_path):
    """The store's stats and triples, and its export written in every format."""
    graph = export_graph(store, ontology)
    files = {}
    for fmt in FORMATS:
        files[fmt] = tmp_path / f"graph{SUFFIX[fmt]}"
        files[fmt].write_text(serialize(graph, fmt, ontology), encoding="utf-8")
    return graph_stats(store), set(graph), files


def _empty(store):
    store.clear()
    store.ensure_schema()


def test_an_export_imported_into_an_empty_store_is_the_same_graph(sample_store, ontology, tmp_path):
    stats, triples, files = _exported(sample_store, ontology, tmp_path)
    for fmt, path in files.items():
        _empty(sample_store)
        assert graph_stats(sample_store)["nodes"] == 0
        # one article a batch for one format: each batch must be whole on its own
        report = import_rdf(sample_store, ontology, read_rdf(path),
                            batch_size=1 if fmt == "ntriples" else 200)
        assert len(report.articles) == 5, fmt
        assert graph_stats(sample_store) == stats, fmt
        assert set(export_graph(sample_store, ontology)) == triples, fmt


def test_typed_dates_come_back_as_the_stored_strings(store, ontology, tmp_path):
    assert load_articles(store, ontology, DATED).ok
    stats, triples, files = _exported(store, ontology, tmp_path)
    text = files["ntriples"].read_text(encoding="utf-8")
    assert '"2021-12-30"^^<http://www.w3.org/2001/XMLSchema#date>' in text
    assert '"--07-01"^^<http://www.w3.org/2001/XMLSchema#gMonthDay>' in text
    _empty(store)
    import_rdf(store, ontology, read_rdf(files["jsonld"]))
    assert graph_stats(store) == stats and set(export_graph(store, ontology)) == triples
    dates = store.read("MATCH (v:Activity) RETURN v.date AS date ORDER BY date").rows
    assert [r["date"] for r in dates] == ["--07-01", "2021-12-30", "2022-06-22"]


def test_importing_over_the_same_articles_replaces_them(sample_store, ontology, tmp_path):
    stats, triples, files = _exported(sample_store, ontology, tmp_path)
    import_rdf(sample_store, ontology, read_rdf(files["trig"]))
    assert graph_stats(sample_store) == stats
    assert set(export_graph(sample_store, ontology)) == triples


def test_a_file_that_breaks_the_shapes_writes_nothing(sample_store, ontology, tmp_path):
    _, _, files = _exported(sample_store, ontology, tmp_path)
    graph = read_rdf(files["turtle"])
    event = next(s for s in graph.subjects(KG.date, None))
    graph.add((event, KG.date, Literal("--01-01")))  # a second date: at most one
    _empty(sample_store)
    with pytest.raises(ValidationError):
        import_rdf(sample_store, ontology, graph)
    assert graph_stats(sample_store)["nodes"] == 0


def test_bad_files_are_one_error_naming_them(tmp_path, ontology, store):
    broken = tmp_path / "broken.ttl"
    broken.write_text("<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n"
                      "<https://example.org/a> <https://example.org/b> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"^{broken}:2: not turtle"):
        read_rdf(broken)
    turtle_as_nt = tmp_path / "graph.nt"
    turtle_as_nt.write_text("@prefix kg: <https://w3id.org/newskg/def#> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"^{turtle_as_nt}: not ntriples: .*Invalid line"):
        read_rdf(turtle_as_nt)
    not_json = tmp_path / "graph.jsonld"
    not_json.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match=f"^{not_json}: not jsonld"):
        read_rdf(not_json)
    odd = tmp_path / "graph.xml"
    odd.write_text("<rdf/>", encoding="utf-8")
    with pytest.raises(InputError, match="--format"):
        read_rdf(odd)
    with pytest.raises(InputError, match="no such file"):
        read_rdf(tmp_path / "missing.nt")
    empty = tmp_path / "empty.nt"
    empty.write_text(f"<{URIRef('https://example.org/x')}> <{KG.name}> \"x\" .\n", encoding="utf-8")
    with pytest.raises(InputError, match="no articles"):
        import_rdf(store, ontology, read_rdf(empty), origin=str(empty))
