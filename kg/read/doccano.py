"""doccano's relation-extraction JSONL export: one article per line.

A line looks like
    {"id": "a1", "text": "...", "title": "...", "published": "2024-03-01",
     "entities": [{"id": 1, "label": "Office", "start_offset": 0, "end_offset": 4}],
     "relations": [{"id": 7, "from_id": 2, "to_id": 1, "type": "organizer"}]}
Article metadata may also sit in a `meta` object (doccano keeps imported extra keys there).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kg.errors import AnnotationError, InputError
from kg.model import AnnotatedArticle, Relation, Span
from kg.read.encoding import BOM, decode_utf8, parse_json, read_bytes
from kg.read.fields import article_id, article_text, fallback_id, optional_str, published_date
from kg.read.annotations import ArticleResult, add_span, annotator, element_id, make_relation, make_span, relation_type, unique_articles


def read_doccano(path: Path) -> Iterator[ArticleResult]:
    """Yield each non-empty line's article, or the InputError that says why it is unusable.

    Lines are decoded one by one, so a line in a wrong encoding costs only that article.
    """
    path = Path(path)
    try:
        data = read_bytes(path)
    except InputError as e:
        yield e
        return
    yield from unique_articles(_lines(data, file=str(path)), file=str(path))


def _lines(data: bytes, *, file: str) -> Iterator[ArticleResult]:
    offset = len(BOM) if data.startswith(BOM) else 0
    for number, raw in enumerate(data[offset:].split(b"\n"), start=1):
        start, offset = offset, offset + len(raw) + 1
        if not raw.strip():
            continue
        try:
            yield parse_doccano_line(raw, file=file, line=number, base=start)
        except InputError as e:
            yield e


def parse_doccano_line(raw: bytes, *, file: str, line: int, base: int = 0) -> AnnotatedArticle:
    """One line of bytes to an article; `base` is where the line starts in the file."""
    text = decode_utf8(raw, file=file, line=line, base=base)
    obj = parse_json(text, file=file, line=line)
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object per line, found {type(obj).__name__}",
                         file=file, line=line)
    return parse_doccano_record(obj, file=file, line=line)


def parse_doccano_record(obj: dict, *, file: str, line: int) -> AnnotatedArticle:
    """One parsed doccano record to an article, checked against the text and the scheme."""
    meta = _metadata(obj, file=file, line=line)
    aid = article_id(meta.get("id"), default=fallback_id(file, line), file=file, line=line,
                     field=_field(obj, "id"))
    where = dict(file=file, line=line, article=aid)
    text = article_text(obj.get("text"), field="text", **where)
    if "entities" not in obj and isinstance(obj.get("label"), list):
        raise AnnotationError("this is doccano's sequence-labelling export (`label` lists); "
                              "export the relation project as JSONL with entities and relations",
                              field="label", **where)
    spans = _spans(obj.get("entities"), text, **where)
    return AnnotatedArticle(
        id=aid,
        text=text,
        spans=list(spans.values()),
        relations=_relations(obj.get("relations"), spans, **where),
        title=optional_str(meta.get("title"), field=_field(obj, "title"), **where),
        published=published_date(meta.get("published", meta.get("date")),
                                  field=_field(obj, "published" if "published" in meta
                                               else "date"), **where),
        source=optional_str(meta.get("source"), field=_field(obj, "source"), **where),
        byline=optional_str(meta.get("byline"), field=_field(obj, "byline"), **where),
        annotator=annotator(obj.get("annotator"), field="annotator", **where),
        origin=f"{file}:{line}",
    )


_META_KEYS = ("id", "title", "published", "date", "source", "byline")


def _metadata(obj: dict, *, file: str, line: int) -> dict[str, Any]:
    """Article metadata from the top level, overridden by `meta`.

    `meta` wins because doccano puts the user's own keys there and may use the top-level `id`
    for its internal example number, which changes from project to project.
    """
    meta = obj.get("meta")
    if meta is not None and not isinstance(meta, Mapping):
        raise AnnotationError(f"must be an object, not {type(meta).__name__}",
                              file=file, line=line, field="meta")
    merged = {k: obj[k] for k in _META_KEYS if obj.get(k) is not None}
    merged.update({k: meta[k] for k in _META_KEYS if meta and meta.get(k) is not None})
    return merged


def _field(obj: dict, key: str) -> str:
    """Name a metadata field where it was found, so the error points at the right place."""
    meta = obj.get("meta")
    return f"meta.{key}" if isinstance(meta, Mapping) and meta.get(key) is not None else key


def _spans(entities: Any, text: str, *, file: str, line: int, article: str) -> dict[str, Span]:
    where = dict(file=file, line=line, article=article)
    if entities is None:
        return {}
    if not isinstance(entities, list):
        raise AnnotationError(f"must be a list, not {type(entities).__name__}",
                              field="entities", **where)
    spans: dict[str, Span] = {}
    for i, ent in enumerate(entities):
        field = f"entities[{i}]"
        if not isinstance(ent, dict):
            raise AnnotationError(f"must be an object, not {type(ent).__name__}",
                                  field=field, **where)
        span_id = element_id(ent.get("id"), field=f"{field}.id", **where)
        span = make_span(span_id, ent.get("label"), ent.get("start_offset"),
                         ent.get("end_offset"), text, field=field, start_field="start_offset",
                         end_field="end_offset", label_field="label", **where)
        ref = ent.get("ref")
        if ref is not None:
            if not isinstance(ref, str):
                raise AnnotationError(f"must be a string or null, not {type(ref).__name__}",
                                      field=f"{field}.ref", **where)
            if ref.strip():
                span = span._replace(ref=ref.strip())
        add_span(spans, span, field=f"{field}.id", **where)
    return spans


def to_doccano_line(article: AnnotatedArticle) -> str:
    """One article as a line of doccano relation JSONL, exactly what read_doccano reads back.

    Span and relation ids become the integers doccano uses; a span's `ref` (the name of the
    entity a mention refers to) is kept as an extra key of the entity. The annotator is kept, so
    a file loaded uncorrected keeps its provenance; a person who corrects it sets it to "human"
    (or drops it: no annotator means a person).
    """
    ids = {s.id: i for i, s in enumerate(article.spans, start=1)}
    entities = []
    for s in article.spans:
        ent: dict[str, Any] = {"id": ids[s.id], "label": s.label, "start_offset": s.start,
                               "end_offset": s.end}
        if s.ref:
            ent["ref"] = s.ref
        entities.append(ent)
    relations = [{"id": i, "from_id": ids[r.source], "to_id": ids[r.target], "type": r.type}
                 for i, r in enumerate(article.relations, start=1)]
    a = article.annotator
    record: dict[str, Any] = {"id": article.id, "text": article.text}
    for key in ("title", "published", "source", "byline"):
        if getattr(article, key):
            record[key] = getattr(article, key)
    record["annotator"] = (a.name if a.name == "human" else
                           {"name": a.name, "version": a.version, "confidence": a.confidence})
    record["entities"] = entities
    record["relations"] = relations
    return json.dumps(record, ensure_ascii=False) + "\n"


def _relations(relations: Any, spans: dict[str, Span], *, file: str, line: int,
               article: str) -> list[Relation]:
    where = dict(file=file, line=line, article=article)
    if relations is None:
        return []
    if not isinstance(relations, list):
        raise AnnotationError(f"must be a list, not {type(relations).__name__}",
                              field="relations", **where)
    out: list[Relation] = []
    for i, rel in enumerate(relations):
        field = f"relations[{i}]"
        if not isinstance(rel, dict):
            raise AnnotationError(f"must be an object, not {type(rel).__name__}",
                                  field=field, **where)
        rid = rel.get("id")
        rid = None if rid is None else element_id(rid, field=f"{field}.id", **where)
        rtype = relation_type(rel.get("type"), field=f"{field}.type", **where)
        out.append(make_relation(rtype, rel.get("from_id"), rel.get("to_id"), spans,
                                 field=field, source_field="from_id", target_field="to_id",
                                 relation_id=rid, **where))
    return out
