"""Article metadata as files give it: ids, titles, sources, publication dates, the text.

Raw article objects (.json) and annotation exports (doccano, Label Studio) carry the same
metadata, so both are held to these checks and word their errors the same way.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from kg.errors import AnnotationError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def kind_of(value: Any) -> str:
    """The JSON kind of a value, for error messages."""
    return "null" if value is None else type(value).__name__


def fallback_id(file: str, line: int) -> str:
    """An article id for exports that carry none: stable as long as the file is not reordered."""
    return f"{Path(file).stem}:{line}"


def article_id(value: Any, *, default: str, file: str, line: int, field: str = "id") -> str:
    """Article ids may be strings or numbers in the export; the model wants a non-empty string."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise AnnotationError(f"article id must be a string or an integer, not {kind_of(value)}",
                              file=file, line=line, field=field)
    value = str(value).strip()
    if not value:
        raise AnnotationError("article id is empty", file=file, line=line, field=field)
    return value


def optional_str(value: Any, *, file: str, line: int, field: str, article: str) -> str | None:
    """Title, source and byline: text or absent; anything else is a mistake in the export."""
    if value is None or isinstance(value, str):
        return value or None
    raise AnnotationError(f"must be a string or null, not {kind_of(value)}",
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


def article_text(value: Any, *, file: str, line: int, field: str, article: str) -> str:
    """The text every offset counts into; without it nothing else can be checked."""
    if value is None:
        raise AnnotationError("missing: the article text is required",
                              file=file, line=line, field=field, article=article)
    if not isinstance(value, str):
        raise AnnotationError(f"must be a string, not {kind_of(value)}",
                              file=file, line=line, field=field, article=article)
    if not value.strip():
        raise AnnotationError("is empty", file=file, line=line, field=field, article=article)
    return value
