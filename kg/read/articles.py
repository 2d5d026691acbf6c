"""Raw article files -> Articles, not yet annotated: a newspaper page (.txt, split into its
articles), one article per .txt file, or .json article objects {text, id?, title?, published?,
source?} (one object or a list).

Article ids are deterministic, so `kg annotate` output and `kg load` of the same file name the
same articles and a corrected annotation file replaces the automatic one: a .json article's `id`
(or the file stem), a page's file stem when the page holds one article, else `<stem>-a<n>`.

Like the annotation readers, this yields one item per article: the article or the InputError
saying why the file (or that article) could not be read. It never raises.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError
from kg.model import Article
from kg.read.encoding import decode, read_bytes
from kg.read.fields import optional_str, published_date
from kg.read.page import articles_from_json, articles_from_page

# a page bigger than this is refused rather than read (a wrong file, not a newspaper page)
MAX_BYTES = 64 * 1024 * 1024


def is_article_json(data: object) -> bool:
    """A plain article object (or a list of them), not an annotation export."""
    items = data if isinstance(data, list) else [data]
    return bool(items) and all(
        isinstance(o, dict) and isinstance(o.get("text"), str)
        and not {"annotations", "data", "entities", "relations"} & o.keys() for o in items)


def looks_like_article_json(data: bytes) -> bool:
    """For dispatch: does this .json hold plain article objects (in UTF-8 or GB18030)?"""
    try:
        return is_article_json(json.loads(decode(data)))
    except (InputError, json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        return False


def read_article_file(path: Path) -> Iterator[Article | InputError]:
    """The articles of a raw file (ids assigned), or the one InputError saying why there are none."""
    try:
        yield from _read(Path(path))
    except InputError as e:
        yield e


def _read(path: Path) -> list[Article]:
    name = str(path)
    data = read_bytes(path)
    if len(data) > MAX_BYTES:
        raise InputError(f"too large to be a page ({len(data):,} bytes; at most "
                         f"{MAX_BYTES:,})", file=name)
    if path.suffix.lower() == ".json":
        arts = articles_from_json(data, name)
        for i, art in enumerate(arts):
            field = "published" if len(arts) == 1 else f"[{i}].published"
            art.published = published_date(art.published, file=name, line=i + 1,
                                            field=field, article=art.id)
            for attr in ("title", "source"):
                setattr(art, attr, optional_str(getattr(art, attr), file=name, line=i + 1,
                                                field=attr, article=art.id))
        return arts
    arts = articles_from_page(data, name)
    if len(arts) == 1:
        arts[0].id = path.stem
    return arts
