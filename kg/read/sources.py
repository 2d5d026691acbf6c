"""Any input file -> its articles: chooses the reader by what the file holds.

.jsonl is doccano's relation export; a .json list of task objects (with `data` or
`annotations`) is Label Studio's JSON export; .json article objects and .txt pages are raw text,
read but not annotated (the pipeline decides to extract). Anything else is reported, not
guessed at. Like every reader this never raises: a file that cannot be read is one InputError
item.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.model import ReadItem
from kg.read.articles import is_article_json, looks_like_article_json, read_article_file
from kg.read.encoding import BOM, load_json_file, read_bytes
from kg.read.doccano import read_doccano
from kg.read.label_studio import looks_like_export, read_label_studio_tasks


def read_all(paths: Iterable[Path]) -> Iterator[ReadItem]:
    """Every article of every file, in order."""
    for path in paths:
        yield from read_inputs(path)


# what `kg export` writes (kg/graph/export.py's SUFFIXES, less .json): for a hint only
_RDF_SUFFIXES = frozenset({".ttl", ".nt", ".trig", ".jsonld"})


def read_inputs(path: Path) -> Iterator[ReadItem]:
    """Each article of the file, annotated (an export) or not (raw text), or why not."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from read_doccano(path)
    elif suffix == ".json":
        yield from _read_json(path)
    elif suffix == ".txt":  # a raw newspaper page or one article
        yield from read_article_file(path)
    else:
        hint = "; an RDF export goes back in with kg import" if suffix in _RDF_SUFFIXES else ""
        yield InputError(f"not an annotation export or article: {suffix or 'no'} suffix; "
                         "expected doccano .jsonl, Label Studio .json, a .json article or a "
                         ".txt page" + hint, file=str(path))


def _read_json(path: Path) -> Iterator[ReadItem]:
    """A .json file: Label Studio's export, article objects, or doccano JSONL under the wrong suffix."""
    try:
        data = load_json_file(path)
    except InputError as e:
        if "Extra data" in e.message and _first_line_is_object(path):
            yield from read_doccano(path)
        elif e.message.startswith("not UTF-8") and looks_like_article_json(read_bytes(path)):
            yield from read_article_file(path)  # an article saved as GB18030
        else:
            yield e
        return
    if looks_like_export(data):
        yield from read_label_studio_tasks(data, file=str(path))
    elif is_article_json(data):
        yield from read_article_file(path)
    else:
        yield InputError("not an annotation export: expected a Label Studio JSON export (a list "
                         "of tasks with `data` and `annotations`) or doccano JSONL",
                         file=str(path))


def _first_line_is_object(path: Path) -> bool:
    first = read_bytes(path).removeprefix(BOM).split(b"\n", 1)[0]
    try:
        return isinstance(json.loads(first), dict)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return False
