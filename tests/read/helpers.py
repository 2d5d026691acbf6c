"""Small fixtures shared by the reader tests: an invented article and result splitting."""

from __future__ import annotations

from kg.errors import InputError
from kg.model import AnnotatedArticle

# Invented names only.
TEXT = "3月5日，甲镇党委书记张三到甲村检查工作。"
TEXT2 = "乙社区召开会议，李四主持。"


def at(text: str, part: str) -> tuple[int, int]:
    """Offsets of `part` in `text`, so fixtures state what they mark, not numbers."""
    start = text.index(part)
    return start, start + len(part)


def split(results) -> tuple[list[AnnotatedArticle], list[InputError]]:
    """Articles and errors of a reader's output, checking nothing else comes through."""
    articles, errors = [], []
    for r in results:
        if isinstance(r, AnnotatedArticle):
            articles.append(r)
        else:
            assert isinstance(r, InputError), r
            errors.append(r)
    return articles, errors


def assert_where(error: InputError, file_name: str, line: int, field: str | None = None,
                 *words: str) -> None:
    """The error's text names the file, the line and the field, and says the given words."""
    text = str(error)
    assert f"{file_name}:{line}" in text, text
    assert error.line == line, text
    if field is not None:
        assert f"field {field}" in text, text
        assert error.field == field, text
    for w in words:
        assert w in text, text
