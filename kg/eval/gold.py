"""The gold corpus: one JSON file per article with its text and facts (see FACTS.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.read.encoding import load_json_file


def is_gold(obj: Any) -> bool:
    """A gold article: an object with its text and facts."""
    return isinstance(obj, dict) and "facts" in obj and "text" in obj


def gold_id(path: Path, obj: dict) -> str:
    return str(obj.get("id") or Path(path).stem)


def gold_files(directory: Path) -> Iterator[tuple[Path, dict]]:
    """(file, gold object) for every *.json in the folder that has text and facts, by name; a
    file that is not JSON is an InputError naming it."""
    for p in sorted(Path(directory).glob("*.json")):
        obj = load_json_file(p)
        if is_gold(obj):
            yield p, obj


def load_gold(directory: Path) -> dict[str, dict]:
    """{article id: the gold object} for every *.json in the folder that has text and facts."""
    return {gold_id(p, obj): obj for p, obj in gold_files(directory)}
