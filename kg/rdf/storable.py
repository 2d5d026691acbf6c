"""What a store cannot hold, found in an article's triples before they are written.

A NUL character makes the embedded store refuse the whole statement (and so the batch), a lone
surrogate cannot be encoded for either store, an integer beyond 64 bits is silently clamped by
FalkorDB and refused by Neo4j's driver, and infinities are refused by FalkorDB. Found here, such
an article is reported with its field and skipped; the rest of its batch loads.
"""

from __future__ import annotations

import math
import re

from rdflib import Literal, URIRef

from kg.rdf.tripleset import TripleSet
from kg.ontology import local_name

_UNSTORABLE_CHAR = re.compile("[\x00\ud800-\udfff]")
INT64 = range(-(2**63), 2**63)  # what both stores hold as an integer


def _text_problem(text: str) -> str | None:
    found = _UNSTORABLE_CHAR.search(text)
    if found is None:
        return None
    char = found.group()
    what = "a NUL character" if char == "\x00" else f"a lone surrogate (U+{ord(char):04X})"
    return f"holds {what} at offset {found.start()}, which no store can keep"


def term_problem(term) -> str | None:
    """Why a store cannot hold this RDF term, or None."""
    if isinstance(term, Literal):
        value = term.value
        if isinstance(value, bool):
            return None
        if isinstance(value, int) and value not in INT64:
            return f"integer {str(term)[:30]} does not fit in 64 bits"
        if isinstance(value, float) and not math.isfinite(value):
            return f"number {term} is not finite"
        return _text_problem(str(term))
    if isinstance(term, URIRef):
        return _text_problem(str(term))
    return None


def unstorable(graph: TripleSet) -> tuple[str, str] | None:
    """The first (field, problem) of the triples a store cannot hold, or None."""
    for s, p, o in graph:
        problem = term_problem(o) or term_problem(s)
        if problem:
            return local_name(p), problem
    return None
