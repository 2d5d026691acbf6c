"""The synthetic corpus of the load benchmark is valid input: exact spans, triples, SHACL."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import pytest

from bench.synthetic import Pools, generate, main
from kg.rdf import validate
from kg.rdf.identity import entity_iri
from kg.scheme import ENTITY_LABELS
from kg.rdf.triples import article_triples
from kg.read.doccano import read_doccano


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_articles_make_valid_triples(seed, ontology):
    for article in generate(40, seed=seed):
        graph = article_triples(article)
        assert len(graph) > 50
        validate.check(article.id, graph, ontology)


@pytest.mark.parametrize("seed", [0, 3])
def test_spans_match_text_and_relations_join_spans(seed):
    for article in generate(200, seed=seed):
        ids = {s.id for s in article.spans}
        assert len(ids) == len(article.spans)
        for s in article.spans:
            assert 0 <= s.start < s.end <= len(article.text)
            assert article.text[s.start:s.end] == s.text
        for r in article.relations:
            assert r.source in ids and r.target in ids
        assert article.text.endswith(article.byline)
        labels = Counter(s.label for s in article.spans)
        assert labels["Reporter"] == 1 and 1 <= labels["Correspondent"] <= 2
        visits = [r for r in article.relations if r.type == "visitedSite"]
        assert 1 <= len(visits) <= 5


def test_deterministic_for_a_seed_and_streaming():
    a = [(x.id, x.text, x.spans, x.relations) for x in generate(30, seed=5)]
    b = [(x.id, x.text, x.spans, x.relations) for x in generate(30, seed=5)]
    c = [x.text for x in generate(30, seed=6)]
    assert a == b
    assert [x[1] for x in a] != c
    stream = generate(20_000)  # lazily: the corpus is never built
    assert len(list(itertools.islice(stream, 3))) == 3


def test_entities_repeat_across_articles():
    mentions: Counter = Counter()
    for article in generate(300, seed=0):
        mentions.update({entity_iri(s.text, s.label) for s in article.spans
                         if s.label in ENTITY_LABELS})
    repeated = [iri for iri, k in mentions.items() if k > 1]
    assert len(repeated) > len(mentions) / 3
    assert max(mentions.values()) > 20  # districts and offices recur often


def test_pools_grow_slower_than_n():
    small, big = Pools.sizes(1_000), Pools.sizes(10_000)
    for kind in small:
        assert big[kind] >= small[kind]
        assert big[kind] < 10 * small[kind]


def test_cli_writes_doccano_jsonl_the_loader_reads(tmp_path: Path):
    out = tmp_path / "syn.jsonl"
    assert main(["25", "-o", str(out), "--seed", "2"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 25 and json.loads(lines[0])["entities"]
    read = list(read_doccano(out))
    expected = list(generate(25, seed=2))
    assert [type(x).__name__ for x in read] == ["AnnotatedArticle"] * 25
    for got, want in zip(read, expected):
        assert (got.id, got.text, got.title, got.published, got.byline) == \
               (want.id, want.text, want.title, want.published, want.byline)
        assert [(s.label, s.start, s.end) for s in got.spans] == \
               [(s.label, s.start, s.end) for s in want.spans]
        assert len(got.relations) == len(want.relations)
