"""The automatic reader: raw articles -> annotated articles, in the scheme of kg/scheme.py.

    extract = Extractor()                        # or Extractor({"components": [...]})
    annotated = extract(Article(id="a1", text=...))

kg/extract/reader.py assembles the spaCy pipeline from the rule components (one module each)
and turns its output into spans and relations; kg/extract/data/ holds the word lists. A trained
model (kg/extract/learned.py, `kg train`) joins the rules when KG_READER_MODEL names one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.errors import InputError, KGError
from kg.model import AnnotatedArticle, Annotator, Article


class Extractor:
    """Article -> AnnotatedArticle by the rule pipeline, built on first use (its word lists are
    files) and then kept: one per process is enough.

    `model`: a trained model's name under KG_MODELS_DIR or its directory; None takes
    KG_READER_MODEL from the settings, "" is rules only."""

    def __init__(self, config: dict[str, Any] | None = None, *, model: str | Path | None = None,
                 models_dir: Path | None = None) -> None:
        self.config = config
        self.model = model
        self.models_dir = models_dir
        self._nlp = None
        self._annotator: Annotator | None = None  # when a model is on: the annotator it names

    @property
    def nlp(self):
        """The spaCy pipeline (kg/extract/reader.py), with the trained model's components when
        one is set, built on first use."""
        if self._nlp is None:
            nlp = _reader().build_pipeline(self.config)
            model, models_dir = self.model, self.models_dir
            if model is None or models_dir is None:
                from kg.config import get_settings

                settings = get_settings()
                model = settings.reader_model if model is None else model
                models_dir = models_dir or settings.models_dir
            if model:
                from kg.extract import learned

                meta = learned.add_to(nlp, learned.resolve(str(model), models_dir))
                self._annotator = Annotator(name=f"kg-rules+model-{meta['name']}",
                                            version=str(meta["version"]),
                                            confidence=_reader().CONFIDENCE)
            self._nlp = nlp
        return self._nlp

    def __call__(self, article: Article) -> AnnotatedArticle:
        """The article annotated, or an InputError naming it: a rule that trips on unusual
        text costs that article only."""
        nlp = self.nlp
        try:
            out = _reader().annotate(nlp, article)
        except KGError as e:
            raise InputError(f"cannot annotate: {e}", file=article.origin,
                             article=article.id) from e
        except Exception as e:
            raise InputError(f"the annotator failed on this article ({type(e).__name__}: {e})",
                             file=article.origin, article=article.id) from e
        if self._annotator is not None:
            out.annotator = self._annotator
        return out


def _reader():
    # imported on first use: spaCy costs ~2 s of start-up that a load of annotation exports,
    # which never extracts, does not need
    from kg.extract import reader

    return reader
