"""Pausing Python's cyclic garbage collector over long, allocation-heavy runs.

Loading and validating build millions of small acyclic objects (tuples, terms, dicts); each
automatic collection rescans the survivors, which at thousands of articles cost a third of the
loader's time and over half of `kg validate`'s. The runs collect the young generations
themselves, once a batch, so cycles made within a batch still go with it.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Automatic collection off inside; the collector is as it was after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collect_young() -> None:
    """The young generations only: objects that survived earlier batches are not rescanned."""
    gc.collect(1)
