"""The load pipeline: read -> extract -> triples -> validate -> rows -> write, in batches.

    report = LoadPipeline(store, ontology).run(read_inputs(path))

Readers (kg/read/sources.py) yield articles as read, annotated articles (exports) and the
InputErrors of what could not be read; the pipeline decides to extract: a raw article goes
through the reader (kg/extract), an annotated one does not. An article that cannot be turned
into valid triples is reported and skipped; the others load.

Each batch is one store transaction: if the store fails, that batch leaves the graph as it was
and the load stops with the articles already committed listed in the report. The store is first
touched (schema, stored ontology) when the first batch is ready, so input that fails to read
costs no store at all. A load never changes the stored ontology: given another one than the
store's, it stops with OntologyMismatch before writing anything (`kg ontology reload` changes it).

Batches are written on one background thread, in order, while the next batch is prepared: the
store (a separate process) and our Python work then overlap instead of taking turns. At most
one batch is in the store while the next is being built, so memory stays bounded by the batch
size.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from kg.errors import InputError, KGError, StoreError, ValidationError
from kg.extract import Extractor
from kg.gc_pause import collect_young, cyclic_gc_paused
from kg.graph.rows import GraphRows, graph_rows
from kg.graph.stored_ontology import check_ontology, ensure_ontology
from kg.graph.stores.base import GraphStore
from kg.graph.writer import commit
from kg.model import AnnotatedArticle, Article, ReadItem
from kg.ontology import Ontology
from kg.rdf import validate
from kg.rdf.storable import unstorable
from kg.rdf.triples import article_triples
from kg.rdf.tripleset import TripleSet

# The writer thread mostly waits on the store. Each reply wakes it, and it then needs the GIL
# back from the thread building the next batch, which keeps it for up to the switch interval
# (5 ms by default) -- once per statement, leaving the store idle. 0.5 ms: +8-10% triples/s
# into Neo4j (bench/README.md).
WRITER_SWITCH_INTERVAL_S = 0.0005


@contextmanager
def _quick_thread_switches() -> Iterator[None]:
    saved = sys.getswitchinterval()
    sys.setswitchinterval(min(saved, WRITER_SWITCH_INTERVAL_S))
    try:
        yield
    finally:
        sys.setswitchinterval(saved)


@dataclass(slots=True)
class LoadReport:
    loaded: list[str] = field(default_factory=list)
    failed: list[KGError] = field(default_factory=list)
    triples: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(slots=True)
class _Prepared:
    """An article with its triples: what a batch is made of."""

    article: AnnotatedArticle
    graph: TripleSet


# --- stages: each a function of its input -----------------------------------------------------


def extracted(items: Iterable[ReadItem],
              extractor: Extractor) -> Iterator[AnnotatedArticle | InputError]:
    """Stage 1: raw articles through the reader; annotated ones and errors pass as they are."""
    for item in items:
        if isinstance(item, Article):
            try:
                yield extractor(item)
            except InputError as exc:
                yield exc
        else:
            yield item


def storable(article: AnnotatedArticle, graph: TripleSet) -> TripleSet:
    """The article's triples, unless a store cannot hold one of them (a NUL, a lone surrogate,
    a number out of range): then an InputError naming the article's file, line and field, so
    that article is skipped, not its whole batch."""
    found = unstorable(graph)
    if found is None:
        return graph
    field, problem = found
    file, _, line = (article.origin or "").rpartition(":")
    if not line.isdigit():
        file, line = article.origin or "", ""
    raise InputError(problem, file=file or None, line=int(line) if line else None,
                     field=field, article=article.id)


def _union(batch: list[_Prepared]) -> TripleSet:
    """The batch's triples in one set, for one validation and one mapping per batch."""
    union = TripleSet()
    for p in batch:
        union += p.graph
    return union


def validated(batch: list[_Prepared], ontology: Ontology,
              failed: list[KGError]) -> tuple[list[_Prepared], TripleSet | None]:
    """Stage 3: the articles of the batch whose triples conform, and their union when it is the
    whole batch's. The batch is validated as one graph (fast); on a violation, each article is
    checked to find the ones it comes from, which go to `failed`."""
    union = _union(batch)  # built once: copying triples costs as much as validating them
    if not validate.violations(union, ontology):
        return batch, union
    good = []
    for p in batch:
        try:
            validate.check(p.article.id, p.graph, ontology)
            good.append(p)
        except ValidationError as exc:
            if p.article.origin:
                exc.args = (f"{p.article.origin}: {exc}",)
            failed.append(exc)
    return good, None


# --- the writer: one batch in the store at a time ---------------------------------------------


class _Writer:
    """Commits batches of rows on one background thread, in order, one at a time; the articles
    of a batch count as loaded once it committed."""

    def __init__(self, store: GraphStore, ontology: Ontology, report: LoadReport) -> None:
        self.store = store
        self.ontology = ontology
        self.report = report
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer")
        self._in_store: tuple[Future, list[_Prepared]] | None = None
        self._ready = False

    def submit(self, rows: GraphRows, good: list[_Prepared]) -> None:
        self.wait()  # batches commit in order, one at a time
        self._in_store = self._thread.submit(self._commit, rows), good

    def wait(self) -> None:
        """Wait for the batch in the store; a store error surfaces here, and stops the load."""
        if self._in_store is not None:
            (pending, good), self._in_store = self._in_store, None
            try:
                pending.result()
            except StoreError as exc:  # which articles it concerns, and what is safe
                raise type(exc)(f"{exc} (the batch of {len(good)} article(s) {good[0].article.id} "
                                f"to {good[-1].article.id}; {len(self.report.loaded)} article(s) "
                                "of this load committed before it)") from exc
            self.report.loaded.extend(p.article.id for p in good)
            self.report.triples += sum(len(p.graph) for p in good)

    def close(self) -> None:
        try:
            self.wait()  # also when preparing failed: what is in the store finishes first
        finally:
            self._thread.shutdown()

    def _commit(self, rows: GraphRows) -> None:
        store = self.store
        if not self._ready:  # the first write: the schema and ontology the rows rely on
            check_ontology(store, self.ontology)  # another ontology than the store's: refused
            store.ensure_schema()
            ensure_ontology(store, self.ontology)
            self._ready = True
        commit(store, rows, self.ontology)


# --- the conductor ----------------------------------------------------------------------------


class LoadPipeline:
    """Conducts the stages over a stream of read items, a batch at a time."""

    def __init__(self, store: GraphStore, ontology: Ontology, *,
                 extractor: Extractor | None = None, batch_size: int = 200) -> None:
        self.store = store
        self.ontology = ontology
        self.extractor = extractor or Extractor()
        self.batch_size = batch_size

    def run(self, items: Iterable[ReadItem],
            on_article: Callable[[str], None] | None = None) -> LoadReport:
        """Load the articles (and report the errors of those that could not be read)."""
        report = LoadReport()
        batch: list[_Prepared] = []
        seen: set[str] = set()
        with cyclic_gc_paused(), _quick_thread_switches():
            writer = _Writer(self.store, self.ontology, report)
            try:
                for item in extracted(items, self.extractor):
                    if isinstance(item, KGError):
                        report.failed.append(item)
                        continue
                    try:
                        prepared = _Prepared(item, storable(item, article_triples(item)))  # stage 2
                    except KGError as exc:
                        report.failed.append(exc)
                        continue
                    if item.id in seen:  # a later version in the same run replaces the earlier
                        batch = self._flush(batch, writer, report)
                    seen.add(item.id)
                    batch.append(prepared)
                    if on_article:
                        on_article(item.id)
                    if len(batch) >= self.batch_size:
                        batch = self._flush(batch, writer, report)
                self._flush(batch, writer, report)
            finally:
                writer.close()
        return report

    def _flush(self, batch: list[_Prepared], writer: _Writer,
               report: LoadReport) -> list[_Prepared]:
        """Validate, map to rows (stage 4) and hand the batch to the writer (stage 5); the
        next, empty batch."""
        if not batch:
            return batch
        good, union = validated(batch, self.ontology, report.failed)
        if good:
            writer.submit(graph_rows(union if union is not None else _union(good), self.ontology),
                          good)
            collect_young()
        return []


def load_articles(store: GraphStore, ontology: Ontology, items: Iterable[ReadItem], *,
                  batch_size: int = 200, on_article: Callable[[str], None] | None = None,
                  extractor: Extractor | None = None) -> LoadReport:
    """LoadPipeline(store, ontology, ...).run(items): the one-call form."""
    return LoadPipeline(store, ontology, extractor=extractor,
                        batch_size=batch_size).run(items, on_article)
