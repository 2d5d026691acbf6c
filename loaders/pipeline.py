"""Annotated articles -> triples -> validated -> graph rows -> the store, in batches.

An article that cannot be turned into valid triples is reported and skipped; the others load.
Each batch is one store transaction: if the store fails, that batch leaves the graph as it was
and the load stops with the articles already committed listed in the report.

Batches are written on one background thread, in order, while the next batch is prepared: the
store (a separate process) and our Python work then overlap instead of taking turns. At most
one batch is in the store while the next is being built, so memory stays bounded by the batch
size.
"""

from __future__ import annotations

import sys
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Iterable, Iterator

from kg.rdf import validate
from kg.errors import InputError, KGError, ValidationError
from kg.gc_pause import collect_young, cyclic_gc_paused
from kg.rdf.tripleset import TripleSet
from kg.model import AnnotatedArticle
from kg.ontology import Ontology
from kg.graph.rows import GraphRows, graph_rows
from kg.graph.stores.base import GraphStore
from kg.rdf.triples import article_triples
from kg.graph.writer import stored_articles, undo_new, write


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
    article: AnnotatedArticle
    graph: TripleSet


def _union(batch: list[_Prepared]) -> TripleSet:
    """The batch's triples in one set, for one validation and one mapping per batch."""
    union = TripleSet()
    for p in batch:
        union += p.graph
    return union


def _validate_batch(batch: list[_Prepared], ontology: Ontology, report: LoadReport,
                    union: TripleSet | None = None) -> list[_Prepared]:
    """Validate the batch as one graph (fast); on a violation, find the articles it comes from.
    `union` is the batch's triples when the caller already has them."""
    if union is None:
        union = _union(batch)
    if not validate.violations(union, ontology):
        return batch
    good = []
    for p in batch:
        try:
            validate.check(p.article.id, p.graph, ontology)
            good.append(p)
        except ValidationError as exc:
            if p.article.origin:
                exc.args = (f"{p.article.origin}: {exc}",)
            report.failed.append(exc)
    return good


def _rows(batch: list[_Prepared], ontology: Ontology, union: TripleSet | None = None) -> GraphRows:
    return graph_rows(_union(batch) if union is None else union, ontology)


def load_articles(store: GraphStore, ontology: Ontology,
                  items: Iterable[AnnotatedArticle | InputError], *, batch_size: int = 200,
                  on_article: Callable[[str], None] | None = None) -> LoadReport:
    """Load articles (and collect the errors of those that could not be read)."""
    report = LoadReport()
    batch: list[_Prepared] = []
    seen: set[str] = set()
    in_store: tuple[Future, list[_Prepared]] | None = None  # the batch the writer is committing

    def commit(rows: GraphRows) -> None:
        # a batch of new articles only adds, and can be undone without a copy of the graph; a
        # store that rolls back by itself needs no undo, nor the read that finds out
        undo = None
        if not store.rolls_back and not stored_articles(store, rows.article_ids):
            undo = partial(undo_new, rows=rows, ontology=ontology)
        with store.transaction(undo=undo) as tx:
            write(tx, rows, ontology)

    def committed() -> None:
        """Wait for the batch in the store; its articles count as loaded once it committed.
        A store error surfaces here, and stops the load."""
        nonlocal in_store
        if in_store is not None:
            (pending, good), in_store = in_store, None
            pending.result()
            report.loaded.extend(p.article.id for p in good)
            report.triples += sum(len(p.graph) for p in good)

    def flush(writer: ThreadPoolExecutor) -> None:
        nonlocal batch, in_store
        union = _union(batch)  # built once: copying triples costs as much as validating them
        good = _validate_batch(batch, ontology, report, union)
        if len(good) < len(batch):
            union = None  # some articles dropped: _rows builds the union of the good ones
        batch = []
        if not good:
            return
        rows = _rows(good, ontology, union)
        committed()  # batches commit in order, one at a time
        in_store = writer.submit(commit, rows), good
        collect_young()

    with cyclic_gc_paused(), _quick_thread_switches(), \
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer") as writer:
        try:
            for item in items:
                if isinstance(item, KGError):
                    report.failed.append(item)
                    continue
                try:
                    graph = article_triples(item)
                except KGError as exc:
                    report.failed.append(exc)
                    continue
                if item.id in seen:  # a later version in the same run replaces the earlier one
                    flush(writer)
                seen.add(item.id)
                batch.append(_Prepared(item, graph))
                if on_article:
                    on_article(item.id)
                if len(batch) >= batch_size:
                    flush(writer)
            if batch:
                flush(writer)
        finally:
            committed()  # also when preparing failed: what is in the store finishes first
    return report
