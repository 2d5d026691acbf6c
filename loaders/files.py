"""Annotation files in, AnnotatedArticle objects out: the result type, shared checks, dispatch.

Every reader yields `ArticleResult` items, one per article in the file: the article, or the
InputError that explains why that one article could not be read. A bad article never stops the
others, so a caller loads what is good and reports the rest. Problems with the file as a whole
(unreadable, not an export, no articles) arrive the same way, as a single InputError item: the
readers themselves never raise InputError.

The checks against the annotation scheme live here so doccano and Label Studio exports are held
to exactly the same rules and word their errors the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from kg.errors import AnnotationError, InputError
from kg.model import HUMAN, AnnotatedArticle, Annotator, Relation, Span
from kg.scheme import LABELS, RELATION_TYPES

# One item of a reader's output: the article, or why it could not be read.
type ArticleResult = AnnotatedArticle | InputError

BOM = b"\xef\xbb\xbf"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- bytes and JSON -------------------------------------------------------------------------


def decode_utf8(data: bytes, *, file: str, line: int | None = None, base: int = 0) -> str:
    """Decode strictly, so a wrong encoding is reported where it is instead of read as garbage.

    `base` is the offset of `data` in the file, so the error can give both offsets.
    """
    try:
        return data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        if line is None:  # a whole file: find the line the bad byte is on
            line = data.count(b"\n", 0, e.start) + 1
            column = e.start - (data.rfind(b"\n", 0, e.start) + 1)
        else:
            column = e.start
        bad = data[e.start:e.end].hex(" ")
        raise InputError(
            f"not UTF-8: byte(s) {bad} at byte {column} of the line (byte {base + e.start} "
            f"of the file): {e.reason}; save the export as UTF-8",
            file=file, line=line,
        ) from None


def read_bytes(path: Path) -> bytes:
    """Read a file, turning OS errors into an InputError that names it."""
    try:
        return path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", file=str(path)) from None


def load_json_file(path: Path) -> Any:
    """Parse a whole-file JSON export (BOM tolerated) or raise an InputError saying where."""
    data = read_bytes(path)
    base = len(BOM) if data.startswith(BOM) else 0
    text = decode_utf8(data[base:], file=str(path), base=base)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON at column {e.colno}: {e.msg}",
                         file=str(path), line=e.lineno) from None


# --- metadata -------------------------------------------------------------------------------


def fallback_id(file: str, line: int) -> str:
    """An article id for exports that carry none: stable as long as the file is not reordered."""
    return f"{Path(file).stem}:{line}"


def article_id(value: Any, *, default: str, file: str, line: int, field: str = "id") -> str:
    """Article ids may be strings or numbers in the export; the model wants a non-empty string."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise AnnotationError(f"article id must be a string or an integer, not {_kind(value)}",
                              file=file, line=line, field=field)
    value = str(value).strip()
    if not value:
        raise AnnotationError("article id is empty", file=file, line=line, field=field)
    return value


def optional_str(value: Any, *, file: str, line: int, field: str, article: str) -> str | None:
    """Title, source and byline: text or absent; anything else is a mistake in the export."""
    if value is None or isinstance(value, str):
        return value or None
    raise AnnotationError(f"must be a string or null, not {_kind(value)}",
                          file=file, line=line, field=field, article=article)


def published_date(value: Any, *, file: str, line: int, field: str, article: str) -> str | None:
    """Publication dates must be real ISO dates: the graph types them as xsd:date."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise AnnotationError(f"{value!r} is not a date in the form YYYY-MM-DD (or null)",
                          file=file, line=line, field=field, article=article)


def annotator(value: Any, *, file: str, line: int, field: str, article: str) -> Annotator:
    """Who annotated: people by default; an extractor must say its name (and version)."""
    where = dict(file=file, line=line, article=article)
    if value is None or value == "human":
        return HUMAN
    if isinstance(value, str) and value.strip():
        return Annotator(name=value.strip())
    if not isinstance(value, Mapping):
        raise AnnotationError(f"must be \"human\", a name or an object, not {_kind(value)}",
                              field=field, **where)
    name = value.get("name")
    if not isinstance(name, str) or not name.strip():
        raise AnnotationError("needs a non-empty string name", field=f"{field}.name", **where)
    version = value.get("version", "")
    if version is None:
        version = ""
    if isinstance(version, bool) or not isinstance(version, (str, int, float)):
        raise AnnotationError(f"must be a string, not {_kind(version)}",
                              field=f"{field}.version", **where)
    confidence = value.get("confidence", 1.0)
    if (isinstance(confidence, bool) or not isinstance(confidence, (int, float))
            or not 0.0 <= confidence <= 1.0):
        raise AnnotationError(f"must be a number from 0 to 1, not {confidence!r}",
                              field=f"{field}.confidence", **where)
    return Annotator(name=name.strip(), version=str(version), confidence=float(confidence))


def article_text(value: Any, *, file: str, line: int, field: str, article: str) -> str:
    """The text every offset counts into; without it nothing else can be checked."""
    if value is None:
        raise AnnotationError("missing: the article text is required",
                              file=file, line=line, field=field, article=article)
    if not isinstance(value, str):
        raise AnnotationError(f"must be a string, not {_kind(value)}",
                              file=file, line=line, field=field, article=article)
    if not value.strip():
        raise AnnotationError("is empty", file=file, line=line, field=field, article=article)
    return value


# --- spans and relations --------------------------------------------------------------------


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


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


# --- dispatch -------------------------------------------------------------------------------


def read_annotations(path: Path) -> Iterator[ArticleResult]:
    """Read any supported export, choosing the reader by what the file holds.

    .jsonl is doccano's relation export; a .json list of task objects (with `data` or
    `annotations`) is Label Studio's JSON export. Anything else is reported, not guessed at.
    """
    # Imported here: the readers import this module's helpers.
    from loaders import doccano

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from doccano.read_doccano(path)
        return
    if suffix == ".json":
        yield from _read_json(path)
        return
    if suffix == ".txt":  # a raw newspaper page or one article: read and annotated here
        from loaders.articles import read_article_file

        yield from read_article_file(path)
        return
    yield InputError(f"not an annotation export or article: {suffix or 'no'} suffix; expected "
                     "doccano .jsonl, Label Studio .json, a .json article or a .txt page",
                     file=str(path))


def _read_json(path: Path) -> Iterator[ArticleResult]:
    """A .json file: Label Studio's export, or doccano JSONL saved under the wrong suffix."""
    from loaders import articles, doccano, label_studio

    try:
        data = load_json_file(path)
    except InputError as e:
        if "Extra data" in e.message and _first_line_is_object(path):
            yield from doccano.read_doccano(path)
        elif e.message.startswith("not UTF-8") and articles.looks_like_article_json(read_bytes(path)):
            yield from articles.read_article_file(path)  # an article saved as GB18030
        else:
            yield e
        return
    if label_studio.looks_like_export(data):
        yield from label_studio.read_label_studio_tasks(data, file=str(path))
        return
    if articles.is_article_json(data):  # plain article objects: annotated automatically
        yield from articles.read_article_file(path)
        return
    yield InputError("not an annotation export: expected a Label Studio JSON export (a list "
                     "of tasks with `data` and `annotations`) or doccano JSONL", file=str(path))


def _first_line_is_object(path: Path) -> bool:
    first = read_bytes(path).removeprefix(BOM).split(b"\n", 1)[0]
    try:
        return isinstance(json.loads(first), dict)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
