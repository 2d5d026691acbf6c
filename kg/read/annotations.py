"""The annotation scheme held against annotation exports: who annotated, spans, relations.

doccano and Label Studio exports are held to exactly the same rules here and word their errors
the same way. Every reader yields one item per article: the AnnotatedArticle, or the
InputError that explains why that one article could not be read. A bad article never stops the
others, so a caller loads what is good and reports the rest.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kg.errors import AnnotationError, InputError
from kg.model import HUMAN, AnnotatedArticle, Annotator, Relation, Span
from kg.read.fields import kind_of
from kg.scheme import LABELS, RELATION_TYPES

# One item of an annotation reader's output: the article, or why it could not be read.
type ArticleResult = AnnotatedArticle | InputError


def annotator(value: Any, *, file: str, line: int, field: str, article: str) -> Annotator:
    """Who annotated: people by default; an extractor must say its name (and version)."""
    where = dict(file=file, line=line, article=article)
    if value is None or value == "human":
        return HUMAN
    if isinstance(value, str) and value.strip():
        return Annotator(name=value.strip())
    if not isinstance(value, Mapping):
        raise AnnotationError(f"must be \"human\", a name or an object, not {kind_of(value)}",
                              field=field, **where)
    name = value.get("name")
    if not isinstance(name, str) or not name.strip():
        raise AnnotationError("needs a non-empty string name", field=f"{field}.name", **where)
    version = value.get("version", "")
    if version is None:
        version = ""
    if isinstance(version, bool) or not isinstance(version, (str, int, float)):
        raise AnnotationError(f"must be a string, not {kind_of(version)}",
                              field=f"{field}.version", **where)
    confidence = value.get("confidence", 1.0)
    if (isinstance(confidence, bool) or not isinstance(confidence, (int, float))
            or not 0.0 <= confidence <= 1.0):
        raise AnnotationError(f"must be a number from 0 to 1, not {confidence!r}",
                              field=f"{field}.confidence", **where)
    return Annotator(name=name.strip(), version=str(version), confidence=float(confidence))


def element_id(value: Any, *, file: str, line: int, field: str, article: str) -> str:
    """Span ids may be numbers (doccano) or strings (Label Studio); the model uses strings."""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value) == "":
        raise AnnotationError(f"must be a non-empty string or an integer, not {value!r}",
                              file=file, line=line, field=field, article=article)
    return str(value)


def make_span(span_id: str, label: Any, start: Any, end: Any, text: str, *, file: str,
              line: int, field: str, start_field: str, end_field: str, label_field: str,
              article: str) -> Span:
    """A span whose label is in the scheme and whose offsets fall inside the text."""
    where = dict(file=file, line=line, article=article)
    if not isinstance(label, str) or label not in LABELS:
        raise AnnotationError(f"unknown label {label!r}; known labels: {', '.join(sorted(LABELS))}",
                              field=f"{field}.{label_field}", **where)
    for name, value in ((start_field, start), (end_field, end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise AnnotationError(f"offset must be an integer, not {value!r}",
                                  field=f"{field}.{name}", **where)
    if not 0 <= start < len(text):
        raise AnnotationError(f"start {start} is outside the text (length {len(text)})",
                              field=f"{field}.{start_field}", **where)
    if end > len(text):
        raise AnnotationError(f"end {end} is outside the text (length {len(text)})",
                              field=f"{field}.{end_field}", **where)
    if start >= end:
        raise AnnotationError(f"end {end} is not after start {start} (text length {len(text)})",
                              field=f"{field}.{end_field}", **where)
    return Span(id=span_id, label=label, start=start, end=end, text=text[start:end])


def add_span(spans: dict[str, Span], span: Span, *, file: str, line: int, field: str,
             article: str) -> None:
    """Keep span ids unique: relations point at them, so a repeated id is ambiguous."""
    if span.id in spans:
        raise AnnotationError(f"duplicate entity id {span.id!r}",
                              file=file, line=line, field=field, article=article)
    spans[span.id] = span


def relation_type(value: Any, *, file: str, line: int, field: str, article: str) -> str:
    """A relation type from the scheme, or an error listing the known ones."""
    if not isinstance(value, str) or value not in RELATION_TYPES:
        raise AnnotationError(
            f"unknown relation type {value!r}; known types: {', '.join(sorted(RELATION_TYPES))}",
            file=file, line=line, field=field, article=article)
    return value


def make_relation(rtype: str, source: Any, target: Any, spans: Mapping[str, Span], *,
                  file: str, line: int, field: str, source_field: str, target_field: str,
                  article: str, relation_id: str | None = None) -> Relation:
    """A relation between two spans of this article whose labels its type allows."""
    where = dict(file=file, line=line, article=article)
    ends = []
    for name, value in ((source_field, source), (target_field, target)):
        key = None if isinstance(value, bool) or value is None else str(value)
        if key not in spans:
            raise AnnotationError(f"relation points to entity {value!r}, which is not in this "
                                  "article", field=f"{field}.{name}", **where)
        ends.append(spans[key])
    src, tgt = ends
    allowed = RELATION_TYPES[rtype]
    if src.label not in allowed.sources or tgt.label not in allowed.targets:
        swapped = tgt.label in allowed.sources and src.label in allowed.targets
        raise AnnotationError(
            f"{rtype!r} cannot go from {src.label} to {tgt.label}; it goes from "
            f"{', '.join(sorted(allowed.sources))} to {', '.join(sorted(allowed.targets))}"
            + ("; the ends look swapped" if swapped else ""),
            field=field, **where)
    return Relation(type=rtype, source=src.id, target=tgt.id, id=relation_id)


def unique_articles(results: Iterator[ArticleResult], *, file: str) -> Iterator[ArticleResult]:
    """Pass results through, turning a repeated article id into an error on the later one.

    Also turns an export without any article into an error: loading nothing silently would
    hide a wrong file or an empty export.
    """
    first_line: dict[str, int | None] = {}
    seen_any = False
    for result in results:
        seen_any = True
        if isinstance(result, AnnotatedArticle):
            line = _line_of(result)
            if result.id in first_line:
                earlier = first_line[result.id]
                result = InputError(
                    f"duplicate article id {result.id!r} (first used at line {earlier})",
                    file=file, line=line, field="id", article=result.id)
            else:
                first_line[result.id] = line
        yield result
    if not seen_any:
        yield InputError("no articles: the export is empty", file=file)


def _line_of(article: AnnotatedArticle) -> int | None:
    tail = (article.origin or "").rpartition(":")[2]
    return int(tail) if tail.isdigit() else None
