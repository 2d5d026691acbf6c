"""`kg annotate`'s work: raw article files -> doccano JSONL lines and the errors met, in this
process or, for many files, in a pool of worker processes that each build the pipeline once.
Either way the lines and the errors come in the order of the files, the same ones.

A file is the unit handed out, in chunks of consecutive files; a worker reads it, annotates its
articles and sends back their lines and errors. Few files or little text stay in this process: a
pool costs its workers' start-up, which a small file does not pay back.

On Linux the workers are forked after the pipeline's modules (spaCy, onnxruntime) are imported
here, so they only build the pipeline; elsewhere they start afresh and import it themselves.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError, KGError

# below this much raw text (about five articles) a pool gains nothing: on 2 cores, 3 to 12 small
# files take the same time either way, the start-up of the command outweighing the articles
POOL_MIN_BYTES = 8 * 1024
# files per chunk handed to a worker: at most this, fewer when the files are few, so the last
# chunks do not leave a core idle
CHUNK_MAX = 16


@dataclass
class Result:
    """What `kg annotate` writes and reports: doccano lines in file order, errors in file order."""

    lines: list[str] = field(default_factory=list)
    failed: list[KGError] = field(default_factory=list)
    chars: int = 0   # characters of the annotated articles' texts
    jobs: int = 1    # processes that annotated

    def add(self, part: tuple[list[str], list[KGError], int]) -> None:
        lines, failed, chars = part
        self.lines += lines
        self.failed += failed
        self.chars += chars


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def annotate_files(paths: Sequence[Path], jobs: int | None = None,
                   on_files: Callable[[int], None] | None = None) -> Result:
    """The doccano lines of the files' articles and the errors of those that failed; `jobs`
    processes (default: every core), or this one for jobs=1, one file, or little text.
    `on_files(n)` is told each time n more files are done (for a progress bar)."""
    on_files = on_files or (lambda _n: None)
    jobs = min(jobs or cores(), len(paths))
    if jobs <= 1 or _size(paths) < POOL_MIN_BYTES:
        from kg.extract import Extractor

        result = Result()
        extractor = Extractor()
        for path in paths:
            result.add(_annotate_file(path, extractor))
            on_files(1)
        return result
    return _pooled(paths, jobs, on_files)


def _size(paths: Iterable[Path]) -> int:
    total = 0
    for path in paths:
        try:
            total += os.path.getsize(path)
        except OSError:
            pass  # reported when the file is read
    return total


def _annotate_file(path: Path, extractor) -> tuple[list[str], list[KGError], int]:
    """One file: the lines of its articles, its errors, the characters annotated. An error that
    is no KGError costs this file's remaining articles, not the others' (it is reported)."""
    from kg.read.articles import read_article_file
    from kg.read.doccano import to_doccano_line
    from loaders.pipeline import extracted

    lines: list[str] = []
    failed: list[KGError] = []
    chars = 0
    try:
        for item in extracted(read_article_file(path), extractor):
            if isinstance(item, KGError):
                failed.append(item)
            else:
                lines.append(to_doccano_line(item))
                chars += len(item.text)
    except Exception as exc:  # noqa: BLE001  (a bug must not take the other files with it)
        failed.append(InputError(f"cannot annotate this file ({type(exc).__name__}: {exc})",
                                 file=str(path)))
    return lines, failed, chars


def _pooled(paths: Sequence[Path], jobs: int, on_files: Callable[[int], None]) -> Result:
    import kg.extract.reader  # noqa: F401  (imported once here, inherited by forked workers)

    size = max(1, min(CHUNK_MAX, math.ceil(len(paths) / (jobs * 8))))
    chunks = [list(paths[i:i + size]) for i in range(0, len(paths), size)]
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    result = Result(jobs=jobs)
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker)
    try:
        futures = [pool.submit(_annotate_chunk, chunk) for chunk in chunks]
        for chunk, future in zip(chunks, futures):
            try:
                parts = future.result()
            except BrokenProcessPool as exc:
                parts = [([], [InputError(f"the worker annotating this file stopped ({exc})",
                                          file=str(path))], 0) for path in chunk]
            for part in parts:
                result.add(part)
            on_files(len(chunk))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return result


_extractor = None  # a worker's own, built by _start_worker


def _start_worker() -> None:
    global _extractor
    from kg.extract import Extractor

    _extractor = Extractor()
    _extractor.nlp.tokenizer("甲")  # the pipeline and the backbone's session, once


def _annotate_chunk(chunk: list[Path]) -> list[tuple[list[str], list[KGError], int]]:
    return [_annotate_file(path, _extractor) for path in chunk]
