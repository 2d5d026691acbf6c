"""Annotated article -> RDF triples conforming to the ontology, each fact with its Evidence.

A fact is one triple about the world (an entity's type, a link between two entities, a value
of an event). Each fact of the article gets a kg:Evidence: the reified statement
(rdf:subject/predicate/object), the article it comes from (kg:derivedFrom), the character span
(oa:start, oa:end, oa:exact, as a Web Annotation TextPositionSelector would give them), who
annotated it and how confident they are. Events and evidence belong to one article; entities,
posts and campaigns are shared by every article that names them.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from dataclasses import dataclass

from rdflib import RDF, Literal, URIRef

from kg.rdf import identity
from kg.errors import AnnotationError
from kg.model import AnnotatedArticle, Span
from kg.rdf.tripleset import TripleSet
from kg.scheme import ENTITY_LABELS, EVENT_LABELS, LABELS, RELATION_TYPES, ROLE_LABELS
from kg.rdf.literals import (gives_no_day, parse_date, parse_head_count, parse_star_rating,
                             resolve_date)
from kg.vocab import KG, OA


@dataclass(frozen=True, slots=True)
class _Support:
    start: int
    end: int
    position: int | None = None


class _Builder:
    """Accumulates the triples of one article; facts are added with the span that supports them."""

    def __init__(self, article: AnnotatedArticle) -> None:
        self.article = article
        self.graph = TripleSet()
        self.article_iri = identity.article_iri(article.id)
        # the same on every evidence of the article: built once (an rdflib Literal costs ~5 us)
        self.annotated_by = Literal(article.annotator.key)
        self.confidence = Literal(Decimal(str(article.annotator.confidence)))

    def error(self, message: str, field: str | None = None) -> AnnotationError:
        return AnnotationError(message, file=self.article.origin, article=self.article.id, field=field)

    def plain(self, s: URIRef, p: URIRef, o) -> None:
        """A triple that needs no evidence of its own (identity, article metadata, provenance)."""
        self.graph.add((s, p, o))

    def fact(self, s: URIRef, p: URIRef, o, support: _Support) -> None:
        self.graph.add((s, p, o))
        key = identity.fact_key(s, p, o)
        ev = identity.evidence_iri(self.article.id, key, support.start, support.end)
        a = self.article
        about = [
            (RDF.type, KG.Evidence),
            (RDF.subject, s),
            (RDF.predicate, p),
            (RDF.object, o),
            (KG.fact, Literal(key)),
            (KG.derivedFrom, self.article_iri),
            (OA.start, _offset(support.start)),
            (OA.end, _offset(support.end)),
            (OA.exact, _text(a.text[support.start:support.end])),
            (KG.annotatedBy, self.annotated_by),
            (KG.confidence, self.confidence),
        ]
        if support.position is not None:
            about.append((KG.position, _offset(support.position)))
        raw = a.raw_offsets
        if raw and support.end <= len(raw):  # where the span is in the original file (a page)
            about.append((KG.rawStart, _offset(raw[support.start])))
            about.append((KG.rawEnd, _offset(raw[support.end - 1] + 1)))
        self.graph.add_about(ev, about)


@lru_cache(maxsize=1 << 16)
def _offset(n: int) -> Literal:
    """Offsets repeat across evidence and articles; their literals are built once."""
    return Literal(n)


@lru_cache(maxsize=1 << 14)
def _text(value: str) -> Literal:
    """Names and quoted spans recur (one entity, many facts and articles); an rdflib Literal
    costs microseconds to build, a cache hit a fraction of one. Bounded: memory must not grow
    with the number of articles loaded."""
    return Literal(value)


def _span_support(*spans: Span, position: int | None = None) -> _Support:
    return _Support(min(s.start for s in spans), max(s.end for s in spans), position)


def article_triples(article: AnnotatedArticle) -> TripleSet:
    """The triples an article contributes. Raises AnnotationError if the annotations contradict
    the scheme; the caller then writes nothing of this article."""
    b = _Builder(article)
    spans = _check_spans(b, article)
    _article_node(b, article)

    nodes: dict[str, URIRef] = {}
    for span in article.spans:
        if span.label in ENTITY_LABELS or span.label in ROLE_LABELS:
            nodes[span.id] = _entity(b, span)
        elif span.label in EVENT_LABELS:
            nodes[span.id] = _event(b, span)
        elif span.label == "Campaign":
            nodes[span.id] = _campaign(b, span)

    outgoing: dict[str, list] = defaultdict(list)
    for rel in article.relations:
        rtype = RELATION_TYPES.get(rel.type)
        if rtype is None:
            raise b.error(f"unknown relation type {rel.type!r}", "relations")
        if rel.source not in spans or rel.target not in spans:
            missing = rel.source if rel.source not in spans else rel.target
            raise b.error(f"relation {rel.type} refers to missing span {missing}", "relations")
        src, dst = spans[rel.source], spans[rel.target]
        if src.label not in rtype.sources or dst.label not in rtype.targets:
            raise b.error(f"relation {rel.type} cannot join {src.label} -> {dst.label}", "relations")
        outgoing[rel.type].append((src, dst))

    _links(b, nodes, outgoing)
    _posts(b, nodes, outgoing)
    return b.graph


def _check_spans(b: _Builder, article: AnnotatedArticle) -> dict[str, Span]:
    spans: dict[str, Span] = {}
    for i, s in enumerate(article.spans):
        field = f"entities[{i}]"
        if s.label not in LABELS:
            raise b.error(f"unknown label {s.label!r}", field)
        if not (0 <= s.start < s.end <= len(article.text)):
            raise b.error(f"span {s.start}-{s.end} outside the text (length {len(article.text)})", field)
        if s.id in spans:
            raise b.error(f"duplicate span id {s.id}", field)
        spans[s.id] = s
    return spans


def _article_node(b: _Builder, a: AnnotatedArticle) -> None:
    node = b.article_iri
    b.plain(node, RDF.type, KG.Article)
    b.plain(node, KG.articleId, Literal(a.id))
    b.plain(node, KG.text, Literal(a.text))
    for prop, value in ((KG.headline, a.title), (KG.published, a.published),
                        (KG.source, a.source), (KG.byline, a.byline)):
        if value:
            b.plain(node, prop, Literal(value))


def _entity(b: _Builder, span: Span) -> URIRef:
    named = span.ref or span.text
    node = identity.entity_iri(named, span.label)
    label = "Person" if span.label in ROLE_LABELS else span.label
    name = identity.canonical_name(named, label)
    if not name:
        raise b.error(f"span {span.id} has no name once normalised: {span.text!r}", "entities")
    support = _span_support(span)
    b.plain(node, KG.name, _text(name))
    b.fact(node, RDF.type, ENTITY_LABELS[label], support)
    surface = identity.normalise(span.text)
    if surface != name:
        b.fact(node, KG.alias, Literal(surface), support)
    if span.label in ROLE_LABELS:
        b.fact(b.article_iri, ROLE_LABELS[span.label], node, support)
    return node


def _event(b: _Builder, span: Span) -> URIRef:
    node = identity.event_iri(b.article.id, span.label, span.start)
    b.plain(node, KG.derivedFrom, b.article_iri)
    b.fact(node, RDF.type, EVENT_LABELS[span.label], _span_support(span))
    return node


def _campaign(b: _Builder, span: Span) -> URIRef:
    node = identity.campaign_iri(span.text)
    b.plain(node, KG.name, _text(identity.normalise(span.text)))
    b.fact(node, RDF.type, KG.Campaign, _span_support(span))
    return node


def _links(b: _Builder, nodes: dict[str, URIRef], outgoing: dict[str, list]) -> None:
    for rel_type, pairs in outgoing.items():
        prop = RELATION_TYPES[rel_type].prop
        if rel_type in ("holdsPost", "postIn"):
            continue  # posts are nodes of their own, built from both relations together
        if rel_type == "visitedSite":
            pairs = _ordered_sites(pairs)
        for src, dst, *pos in pairs:
            support = _span_support(src, dst, position=pos[0] if pos else None)
            s = nodes[src.id]
            if rel_type == "date":
                _date(b, s, dst, support)
            elif rel_type == "participants":
                b.fact(s, prop, Literal(identity.normalise(dst.text)), support)
                count = parse_head_count(dst.text)
                if count is not None:
                    b.fact(s, KG.participantCount, Literal(count), support)
            elif rel_type == "starRating":
                rating = parse_star_rating(dst.text)
                if rating is None:
                    raise b.error(f"cannot read a star rating in {dst.text!r}", "relations")
                b.fact(s, prop, Literal(rating), support)
            else:
                b.fact(s, prop, nodes[dst.id], support)


_INFERRED = Literal(True)


def _date(b: _Builder, event: URIRef, span: Span, support: _Support) -> None:
    """The event's date as the span writes it, with the year of the article's publication
    when the span gives none (kg:dateInferred true); a time word such as 近日 gives no date."""
    value = parse_date(span.text)
    if value is None:
        if gives_no_day(span.text):
            return
        raise b.error(f"cannot read a date in {span.text!r}", "relations")
    try:
        value, inferred = resolve_date(value, b.article.published)
    except ValueError:
        raise b.error(f"published {b.article.published!r} is not a date YYYY-MM-DD",
                      "published") from None
    b.fact(event, KG.date, Literal(value), support)
    if inferred:  # follows from the date and kg:published, as a name follows from identity
        b.plain(event, KG.dateInferred, _INFERRED)


def _ordered_sites(pairs: list[tuple[Span, Span]]) -> list[tuple[Span, Span, int]]:
    """Sites of one event are numbered 1, 2, ... in the order the text gives them."""
    by_event: dict[str, list[tuple[Span, Span]]] = defaultdict(list)
    for src, dst in pairs:
        by_event[src.id].append((src, dst))
    ordered = []
    for event_pairs in by_event.values():
        seen: set[str] = set()
        position = 0
        for src, dst in sorted(event_pairs, key=lambda p: p[1].start):
            if dst.text in seen:
                continue
            seen.add(dst.text)
            position += 1
            ordered.append((src, dst, position))
    return ordered


def _posts(b: _Builder, nodes: dict[str, URIRef], outgoing: dict[str, list]) -> None:
    holders: dict[str, list[Span]] = defaultdict(list)
    for person, post in outgoing.get("holdsPost", []):
        holders[post.id].append(person)
    orgs: dict[str, list[Span]] = defaultdict(list)
    for post, org in outgoing.get("postIn", []):
        orgs[post.id].append(org)
    for post_id, people in holders.items():
        post_span = b.article.span(post_id)
        title = identity.normalise(post_span.text)
        for person in people:
            for org in orgs.get(post_id) or [None]:
                person_node = nodes[person.id]
                org_node = nodes[org.id] if org else None
                post = identity.post_iri(person_node, org_node, title)
                b.plain(post, KG.title, Literal(title))
                b.fact(post, RDF.type, KG.Post, _span_support(post_span))
                b.fact(person_node, KG.holdsPost, post, _span_support(person, post_span))
                if org is not None:
                    b.fact(post, KG.postIn, org_node, _span_support(post_span, org))
