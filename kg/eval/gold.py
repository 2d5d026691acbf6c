"""The gold corpus: one JSON file per article with its text and facts (see FACTS.md)."""

from __future__ import annotations

import json
from pathlib import Path


def load_gold(directory: Path) -> dict[str, dict]:
    """{article id: the gold object} for every *.json in the folder that has text and facts."""
    out = {}
    for p in sorted(Path(directory).glob("*.json")):
        obj = json.loads(p.read_text(encoding="utf-8"))
        if isinstance(obj, dict) and "facts" in obj and "text" in obj:
            out[str(obj.get("id") or p.stem)] = obj
    return out
