"""Raw text in, automatically annotated articles out: a newspaper page (.txt, split into its
articles), one article per .txt file, or .json article objects {text, id?, title?, published?,
source?} (one object or a list).

Article ids are deterministic, so `kg annotate` output and `kg load` of the same file name the
same articles and a corrected annotation file replaces the automatic one: a .json article's `id`
(or the file stem), a page's file stem when the page holds one article, else `<stem>-a<n>`.

Like the annotation readers, this yields one item per article: the annotated article or the
InputError saying why the file (or that article) could not be read. It never raises.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from kg.errors import InputError, KGError
from kg.model import AnnotatedArticle
from kg.read.page import articles_from_json, articles_from_page, decode
from loaders.files import ArticleResult, optional_str, published_date, read_bytes

# a page bigger than this is refused rather than read (a wrong file, not a newspaper page)
MAX_BYTES = 64 * 1024 * 1024


@lru_cache(maxsize=1)
def pipeline():
    """The rule annotator, built once per process."""
    from kg.extract import build_pipeline

    return build_pipeline()


def is_article_json(data: object) -> bool:
    """A plain article object (or a list of them), not an annotation export."""
    items = data if isinstance(data, list) else [data]
    return bool(items) and all(
        isinstance(o, dict) and isinstance(o.get("text"), str)
        and not {"annotations", "data", "entities", "relations"} & o.keys() for o in items)


def read_raw(path: Path) -> list[AnnotatedArticle] | InputError:
    """The articles of a raw file, not yet annotated (ids assigned), or why there are none."""
    path = Path(path)
    name = str(path)
    try:
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
    except InputError as e:
        return e


def annotate_articles(articles: Iterable[AnnotatedArticle]) -> Iterator[ArticleResult]:
    from kg.extract import annotate

    nlp = pipeline()
    for art in articles:
        try:
            yield annotate(nlp, art)
        except KGError as e:
            yield InputError(f"cannot annotate: {e}", file=art.origin, article=art.id)
        except Exception as e:  # a rule that trips on unusual text costs that article only
            yield InputError(f"the annotator failed on this article ({type(e).__name__}: {e})",
                             file=art.origin, article=art.id)


def read_article_file(path: Path) -> Iterator[ArticleResult]:
    """Read, split and annotate one raw file."""
    arts = read_raw(path)
    if isinstance(arts, InputError):
        yield arts
        return
    yield from annotate_articles(arts)


def looks_like_article_json(data: bytes) -> bool:
    """For dispatch: does this .json hold plain article objects (in UTF-8 or GB18030)?"""
    try:
        return is_article_json(json.loads(decode(data)))
    except (InputError, json.JSONDecodeError, UnicodeDecodeError):
        return False
