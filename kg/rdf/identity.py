"""Names and IRIs: the same organisation, place or person gets one IRI in every article.

Identity is by normalised name: Unicode NFKC, quotes, spaces and book-title brackets removed,
then known alias forms folded (kg/rdf/data/aliases.tsv: 街道办事处 and 街道 name the same township
office as 办事处). IRIs hash that key, so they are stable, short and safe in URLs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from rdflib import URIRef

from kg.vocab import ID

_DROP = re.compile(r"[\s\u3000“”‘’\"'「」『』《》〈〉]")


def normalise(name: str) -> str:
    """NFKC, without quotes, spaces and book-title brackets: the form names are compared in."""
    return _DROP.sub("", unicodedata.normalize("NFKC", name))


@lru_cache(maxsize=1)
def _alias_rules() -> tuple[tuple[str, str, frozenset[str]], ...]:
    """(suffix, replacement, labels) rules, longest suffix first."""
    text = resources.files("kg.rdf").joinpath("data/aliases.tsv").read_text(encoding="utf-8")
    rules = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        suffix, replacement, labels = line.split("\t")
        rules.append((suffix, replacement, frozenset(labels.split(","))))
    return tuple(sorted(rules, key=lambda r: -len(r[0])))


def canonical_name(name: str, label: str) -> str:
    """The name an entity of this label is stored under (its other forms become aliases)."""
    norm = normalise(name)
    for suffix, replacement, labels in _alias_rules():
        if label in labels and norm.endswith(suffix) and len(norm) > len(suffix):
            return norm[: -len(suffix)] + replacement
    return norm


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).hexdigest()


def family(label: str) -> str:
    """People and organisations/places never share an IRI, even under the same name."""
    return "person" if label in ("Person", "Reporter", "Correspondent") else "org"


def entity_iri(name: str, label: str) -> URIRef:
    fam = family(label)
    return ID[f"{fam}/{_digest(fam, canonical_name(name, label))}"]


def article_iri(article_id: str) -> URIRef:
    return ID[f"article/{_digest(article_id)}"]


def event_iri(article_id: str, label: str, start: int) -> URIRef:
    return ID[f"event/{_digest(article_id, label, str(start))}"]


def post_iri(person: URIRef, organisation: URIRef | None, title: str) -> URIRef:
    return ID[f"post/{_digest(str(person), str(organisation or ''), normalise(title))}"]


def campaign_iri(name: str) -> URIRef:
    return ID[f"campaign/{_digest(normalise(name))}"]


def fact_key(subject: URIRef, predicate: URIRef, obj: object) -> str:
    """The key shared by a fact's graph element and every Evidence that supports it."""
    return _digest(str(subject), str(predicate), str(obj))


def evidence_iri(article_id: str, fact: str, start: int, end: int) -> URIRef:
    return ID[f"evidence/{_digest(article_id, fact, str(start), str(end))}"]


_ARTICLE_SCOPED = tuple(str(ID[k]) for k in ("article/", "event/", "evidence/"))


def is_article_scoped(iri: str) -> bool:
    """Articles, their events and their evidence belong to one article: replacing the article
    deletes them first, so writing them never needs to look for an existing node."""
    return str(iri).startswith(_ARTICLE_SCOPED)


def short_id(iri: str) -> str:
    """The id used in URLs: the IRI's last two path segments, e.g. org-3f2a9c1b0d4e5f67."""
    tail = str(iri).removeprefix(str(ID))
    return tail.replace("/", "-")


def iri_from_short_id(short: str) -> URIRef:
    kind, _, key = short.partition("-")
    return ID[f"{kind}/{key}"]
