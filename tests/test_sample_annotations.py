"""The hand annotations of the sample page (data/sample/page-000.annotations.jsonl).

They are in doccano's relation JSONL export format, one article per line. These tests check the
file is well formed against the annotation scheme (kg/scheme.py) and, when the shared dev corpus is
present, that the texts are the gold texts and the visit pairs they yield are the gold visit pairs.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from kg.scheme import LABELS, RELATION_TYPES
from tests.support.paths import CORPUS, SAMPLE_ANNOTATIONS

ANNOTATIONS = SAMPLE_ANNOTATIONS
GOLD_DIR = CORPUS / "dev"
# the page's articles in page order and their gold files
GOLD_IDS = {f"page-000-a{i}": f"d0{i}" for i in range(1, 6)}



def _load() -> list[dict]:
    with ANNOTATIONS.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


ARTICLES = _load()


def _gold(article_id: str) -> dict:
    with (GOLD_DIR / f"{GOLD_IDS[article_id]}.json").open(encoding="utf-8") as f:
        return json.load(f)


_DROP = re.compile(r"[\s\u3000“”‘’\"'「」『』《》〈〉]")


def _norm(name: str) -> str:
    """How FACTS.md compares names: NFKC, then quotes, spaces and book-title brackets removed."""
    return _DROP.sub("", unicodedata.normalize("NFKC", name))


def _matches(name: str, forms: list[str]) -> bool:
    return _norm(name) in {_norm(f) for f in forms}


def _span_text(article: dict, entity_id: int) -> str:
    e = next(e for e in article["entities"] if e["id"] == entity_id)
    return article["text"][e["start_offset"] : e["end_offset"]]


def test_one_line_per_article_in_page_order():
    assert [a["id"] for a in ARTICLES] == list(GOLD_IDS)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a["id"])
def test_article_fields(article):
    for key in ("id", "text", "entities", "relations"):
        assert key in article, key
    assert isinstance(article["text"], str) and article["text"]
    assert isinstance(article["entities"], list) and article["entities"]
    assert isinstance(article["relations"], list)
    assert article.get("annotator") == "human"
    published = article.get("published")
    assert published is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", published)
    # headline and byline are lines of the text
    lines = article["text"].split("\n")
    assert article.get("title") in lines
    byline = article.get("byline")
    assert byline and byline in article["text"]


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a["id"])
def test_spans_are_within_the_text_and_labelled_from_the_scheme(article):
    text = article["text"]
    ids = [e["id"] for e in article["entities"]]
    assert len(ids) == len(set(ids)), "entity ids must be unique within an article"
    for e in article["entities"]:
        assert isinstance(e["id"], int)
        assert e["label"] in LABELS, e
        start, end = e["start_offset"], e["end_offset"]
        assert isinstance(start, int) and isinstance(end, int)
        assert 0 <= start < end <= len(text), e
        span = text[start:end]
        assert span.strip() == span, f"span {span!r} has surrounding white space"
        assert "\n" not in span, f"span {span!r} crosses a line break"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a["id"])
def test_relations_join_labels_the_scheme_allows(article):
    labels = {e["id"]: e["label"] for e in article["entities"]}
    rel_ids = [r["id"] for r in article["relations"]]
    assert len(rel_ids) == len(set(rel_ids)), "relation ids must be unique within an article"
    seen = set()
    for r in article["relations"]:
        assert r["type"] in RELATION_TYPES, r
        assert r["from_id"] in labels, f"relation {r} starts at a missing span"
        assert r["to_id"] in labels, f"relation {r} ends at a missing span"
        rt = RELATION_TYPES[r["type"]]
        assert labels[r["from_id"]] in rt.sources, (r, labels[r["from_id"]])
        assert labels[r["to_id"]] in rt.targets, (r, labels[r["to_id"]])
        key = (r["type"], r["from_id"], r["to_id"])
        assert key not in seen, f"duplicate relation {r}"
        seen.add(key)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a["id"])
def test_texts_are_the_gold_texts(article):
    assert article["text"] == _gold(article["id"])["text"]


def _visit_pairs(article: dict) -> set[tuple[str, str]]:
    """(organizer span text, site span text) for every event with both."""
    pairs = set()
    rels = article["relations"]
    for r in rels:
        if r["type"] != "organizer":
            continue
        organizer = _span_text(article, r["to_id"])
        for s in rels:
            if s["type"] == "visitedSite" and s["from_id"] == r["from_id"]:
                pairs.add((organizer, _span_text(article, s["to_id"])))
    return pairs


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a["id"])
def test_visit_pairs_are_the_gold_visit_pairs(article):
    gold = [
        (visit["organizer"], site)
        for visit in _gold(article["id"])["facts"]["visits"]
        for site in visit["sites"]
    ]
    derived = _visit_pairs(article)

    def hit(pair, gold_pair):
        return _matches(pair[0], gold_pair[0]) and _matches(pair[1], gold_pair[1])

    extra = [p for p in derived if not any(hit(p, g) for g in gold)]
    missing = [g for g in gold if not any(hit(p, g) for p in derived)]
    assert not extra, f"pairs not in the gold facts: {extra}"
    assert not missing, f"gold pairs not derivable: {missing}"
