"""Articles as read, and annotated articles: the exchange form between readers (human or
automatic) and the graph.

An Article is text and metadata as a file gave it. An annotated article is its text plus spans labelled with the annotation scheme (kg/scheme.py) and typed
relations between spans. Offsets are character offsets into `text`, end exclusive, exactly as
doccano and Label Studio count them. Everything here is plain data: no I/O, no stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from kg.errors import InputError


class Span(NamedTuple):
    """A labelled stretch of the article text. (A tuple: readers build tens per article.)"""

    id: str
    label: str
    start: int
    end: int
    text: str
    # the name of the entity this mention refers to, when the text says less (该办事处, an abbreviation,
    # 某某街道): set by readers that resolve references; identity then uses it, not `text`
    ref: str | None = None


class Relation(NamedTuple):
    """A typed link between two spans of the same article (from -> to)."""

    type: str
    source: str  # span id
    target: str  # span id
    id: str | None = None


@dataclass(frozen=True, slots=True)
class Annotator:
    """Who produced the annotations: a person (`human`) or an extractor with its version."""

    name: str = "human"
    version: str = ""
    confidence: float = 1.0

    @property
    def key(self) -> str:
        return f"{self.name}-{self.version}" if self.version else self.name


HUMAN = Annotator()


@dataclass(slots=True)
class Article:
    """An article as read from a file, not yet annotated; `id` is stable across versions."""

    id: str
    text: str
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when the article says
    source: str | None = None
    byline: str | None = None
    origin: str | None = None  # file (and line) it was read from, for error messages
    # offsets of `text` in the original file, when the text was repaired from a page (optional):
    # raw_offsets[i] is the offset in the original file of text[i]
    raw_offsets: list[int] | None = None

    def annotated(self, spans: list[Span], relations: list[Relation],
                  annotator: Annotator) -> "AnnotatedArticle":
        return AnnotatedArticle(
            id=self.id, text=self.text, spans=spans, relations=relations, title=self.title,
            published=self.published, source=self.source, byline=self.byline,
            annotator=annotator, origin=self.origin, raw_offsets=self.raw_offsets)


@dataclass(slots=True)
class AnnotatedArticle:
    """One article with its spans and relations; `id` is stable across versions of the article."""

    id: str
    text: str
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when the article says
    source: str | None = None
    byline: str | None = None
    annotator: Annotator = HUMAN
    origin: str | None = None  # file (and line) it was read from, for error messages
    # offsets of `text` in the original file, when the text was repaired from a page (optional):
    # raw_offsets[i] is the offset in the original file of text[i]
    raw_offsets: list[int] | None = None

    def span(self, span_id: str) -> Span:
        for s in self.spans:
            if s.id == span_id:
                return s
        raise KeyError(span_id)


# One item a reader yields: an article as read, an annotated one (an export), or why it could
# not be read.
type ReadItem = Article | AnnotatedArticle | InputError
