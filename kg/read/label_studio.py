"""Label Studio's full JSON export: a list of tasks, each an article with its annotations.

A task looks like
    {"data": {"text": "...", "id": "a1", "title": "...", "published": "2024-03-01"},
     "annotations": [{"was_cancelled": false, "result": [
        {"id": "s1", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 0, "end": 4, "text": "...", "labels": ["Office"]}},
        {"type": "relation", "from_id": "s2", "to_id": "s1", "direction": "right",
         "labels": ["organizer"]}]}]}
Errors give the task's 1-based position in the list as the line. The JSON-MIN export is refused:
it has no relations and no region ids.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kg.errors import AnnotationError, InputError
from kg.model import AnnotatedArticle, Relation, Span
from kg.read.encoding import load_json_file
from kg.read.fields import article_id, article_text, fallback_id, optional_str, published_date
from kg.read.annotations import ArticleResult, add_span, annotator, element_id, make_relation, make_span, relation_type, unique_articles

_JSON_MIN = ("Label Studio's JSON-MIN export, which has no relations or region ids; "
             "export the project as JSON instead")
# Result types that describe the whole task (choices, free text...): not spans, ignored.
_SPAN_TYPE = "labels"
_RELATION_TYPE = "relation"


def read_label_studio(path: Path) -> Iterator[ArticleResult]:
    """Yield each task's article, or the InputError that says why it is unusable."""
    path = Path(path)
    try:
        data = load_json_file(path)
    except InputError as e:
        yield e
        return
    yield from read_label_studio_tasks(data, file=str(path))


def looks_like_export(data: Any) -> bool:
    """Whether parsed JSON is a Label Studio export (full or JSON-MIN), to pick this reader."""
    if not isinstance(data, list):
        return False
    if not data:
        return True  # an empty export: this reader reports it as such
    return all(isinstance(t, dict) for t in data) and any(
        "data" in t or "annotations" in t or _is_json_min(t) for t in data)


def read_label_studio_tasks(data: Any, *, file: str) -> Iterator[ArticleResult]:
    """Yield results for an already parsed export (so a dispatcher need not parse twice)."""
    if not isinstance(data, list):
        yield InputError("not a Label Studio JSON export: the top level must be a list of "
                         f"tasks, not {type(data).__name__}", file=file)
        return
    if data and _is_json_min(data[0]):
        yield InputError(f"this is {_JSON_MIN}", file=file)
        return
    yield from unique_articles(_tasks(data, file=file), file=file)


def _tasks(data: list, *, file: str) -> Iterator[ArticleResult]:
    for index, task in enumerate(data, start=1):
        try:
            yield parse_label_studio_task(task, file=file, index=index)
        except InputError as e:
            yield e


def parse_label_studio_task(task: Any, *, file: str, index: int) -> AnnotatedArticle:
    """One task (index: its 1-based position in the export) to an article.

    Uses the last annotation that was not cancelled: later annotations correct earlier ones.
    """
    if not isinstance(task, dict):
        raise AnnotationError(f"a task must be an object, not {type(task).__name__}",
                              file=file, line=index)
    if _is_json_min(task):
        raise AnnotationError(f"this task is from {_JSON_MIN}", file=file, line=index)
    data = task.get("data")
    if not isinstance(data, dict):
        raise AnnotationError("missing or not an object: a task needs `data` with the text",
                              file=file, line=index, field="data")
    aid = article_id(data.get("id"), default=fallback_id(file, index), file=file, line=index,
                     field="data.id")
    where = dict(file=file, line=index, article=aid)
    text = article_text(data.get("text"), field="data.text", **where)
    at, result = _chosen_annotation(task.get("annotations"), **where)
    spans = _spans(result, text, prefix=f"annotations[{at}].result", **where)
    date_key = "published" if data.get("published") is not None else "date"
    return AnnotatedArticle(
        id=aid,
        text=text,
        spans=list(spans.values()),
        relations=_relations(result, spans, prefix=f"annotations[{at}].result", **where),
        title=optional_str(data.get("title"), field="data.title", **where),
        published=published_date(data.get(date_key), field=f"data.{date_key}", **where),
        source=optional_str(data.get("source"), field="data.source", **where),
        byline=optional_str(data.get("byline"), field="data.byline", **where),
        annotator=annotator(data.get("annotator"), field="data.annotator", **where),
        origin=f"{file}:{index}",
    )


def _is_json_min(task: Any) -> bool:
    """JSON-MIN flattens data into the task and adds annotation bookkeeping keys."""
    return (isinstance(task, dict) and "data" not in task and "annotations" not in task
            and bool({"annotation_id", "lead_time"} & task.keys()))


def _chosen_annotation(annotations: Any, *, file: str, line: int,
                       article: str) -> tuple[int, list]:
    """The last annotation not cancelled, with its index for error paths."""
    where = dict(file=file, line=line, article=article)
    if not isinstance(annotations, list):
        raise AnnotationError("missing or not a list: the task has no annotations",
                              field="annotations", **where)
    for at in range(len(annotations) - 1, -1, -1):
        ann = annotations[at]
        if not isinstance(ann, dict):
            raise AnnotationError(f"must be an object, not {type(ann).__name__}",
                                  field=f"annotations[{at}]", **where)
        if ann.get("was_cancelled"):
            continue
        result = ann.get("result")
        if not isinstance(result, list):
            raise AnnotationError("missing or not a list", field=f"annotations[{at}].result",
                                  **where)
        return at, result
    raise AnnotationError(f"no annotation that was not cancelled (of {len(annotations)})",
                          field="annotations", **where)


def _spans(result: list, text: str, *, prefix: str, file: str, line: int,
           article: str) -> dict[str, Span]:
    where = dict(file=file, line=line, article=article)
    spans: dict[str, Span] = {}
    for i, item in enumerate(result):
        field = f"{prefix}[{i}]"
        if not isinstance(item, dict):
            raise AnnotationError(f"must be an object, not {type(item).__name__}",
                                  field=field, **where)
        kind = item.get("type")
        if kind != _SPAN_TYPE:
            if isinstance(kind, str) and kind.endswith("labels"):
                raise AnnotationError(f"region type {kind!r} is not supported; annotate the "
                                      "plain text with <Labels>", field=f"{field}.type", **where)
            continue
        value = item.get("value")
        if not isinstance(value, dict):
            raise AnnotationError("missing or not an object", field=f"{field}.value", **where)
        labels = value.get("labels")
        if not isinstance(labels, list) or len(labels) != 1:
            raise AnnotationError(f"a region needs exactly one label, found {labels!r}",
                                  field=f"{field}.value.labels", **where)
        span_id = element_id(item.get("id"), field=f"{field}.id", **where)
        span = make_span(span_id, labels[0], value.get("start"), value.get("end"), text,
                         field=f"{field}.value", start_field="start", end_field="end",
                         label_field="labels[0]", **where)
        given = value.get("text")
        if given is not None and given != span.text:
            raise AnnotationError(
                f"region text {given!r} differs from the article text at {span.start}:"
                f"{span.end} ({span.text!r}): the offsets do not fit this text",
                field=f"{field}.value.text", **where)
        add_span(spans, span, field=f"{field}.id", **where)
    return spans


_DIRECTIONS = ("right", "left", "bi")


def _relations(result: list, spans: Mapping[str, Span], *, prefix: str, file: str, line: int,
               article: str) -> list[Relation]:
    """Relations in their stated direction; one per label when a link carries several."""
    where = dict(file=file, line=line, article=article)
    out: list[Relation] = []
    for i, item in enumerate(result):
        if not isinstance(item, dict) or item.get("type") != _RELATION_TYPE:
            continue
        field = f"{prefix}[{i}]"
        direction = item.get("direction", "right")
        if direction not in _DIRECTIONS:
            raise AnnotationError(f"unknown direction {direction!r}; expected right or left",
                                  field=f"{field}.direction", **where)
        if direction == "bi":
            raise AnnotationError("bidirectional relations are not allowed: every relation "
                                  "type has a direction; set it to right or left",
                                  field=f"{field}.direction", **where)
        ends = [("from_id", item.get("from_id")), ("to_id", item.get("to_id"))]
        if direction == "left":
            ends.reverse()
        (source_field, source), (target_field, target) = ends
        labels = item.get("labels")
        if not isinstance(labels, list) or not labels:
            raise AnnotationError(f"the relation has no type (labels: {labels!r})",
                                  field=f"{field}.labels", **where)
        for j, label in enumerate(labels):
            rtype = relation_type(label, field=f"{field}.labels[{j}]", **where)
            out.append(make_relation(rtype, source, target, spans, field=field,
                                     source_field=source_field, target_field=target_field,
                                     **where))
    return out
