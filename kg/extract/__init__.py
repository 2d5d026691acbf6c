"""The automatic reader: raw articles -> annotated articles, in the scheme of kg/scheme.py.

    extract = Extractor()                        # or Extractor({"components": [...]})
    annotated = extract(Article(id="a1", text=...))

kg/extract/reader.py assembles the spaCy pipeline from the rule components (one module each)
and turns its output into spans and relations; kg/extract/data/ holds the word lists.
"""

from __future__ import annotations

from typing import Any

from kg.errors import InputError, KGError
from kg.model import AnnotatedArticle, Article


class Extractor:
    """Article -> AnnotatedArticle by the rule pipeline, built on first use (its word lists are
    files) and then kept: one per process is enough."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = config
        self._nlp = None

    @property
    def nlp(self):
        """The spaCy pipeline (kg/extract/reader.py), built on first use."""
        if self._nlp is None:
            self._nlp = _reader().build_pipeline(self.config)
        return self._nlp

    def __call__(self, article: Article) -> AnnotatedArticle:
        """The article annotated, or an InputError naming it: a rule that trips on unusual
        text costs that article only."""
        nlp = self.nlp
        try:
            return _reader().annotate(nlp, article)
        except KGError as e:
            raise InputError(f"cannot annotate: {e}", file=article.origin,
                             article=article.id) from e
        except Exception as e:
            raise InputError(f"the annotator failed on this article ({type(e).__name__}: {e})",
                             file=article.origin, article=article.id) from e


def _reader():
    # imported on first use: spaCy costs ~2 s of start-up that a load of annotation exports,
    # which never extracts, does not need
    from kg.extract import reader

    return reader
