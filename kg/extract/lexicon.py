"""General-knowledge word lists from kg/extract/data/ (unit suffixes, surnames, post titles, triggers).

Nothing here is a name from any article: unknown names are found by their forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _lines(name: str) -> list[str]:
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@dataclass(frozen=True, slots=True)
class Suffix:
    text: str
    label: str
    min_stem: int
    max_stem: int


@dataclass(frozen=True)
class Lexicon:
    suffixes: dict[str, list[Suffix]]  # first character -> suffixes starting with it, longest first
    stop_chars: frozenset[str]
    stop_words: tuple[str, ...]
    generic_stems: frozenset[str]
    generic_words: tuple[str, ...]  # generic stems of two characters or more
    continuations: frozenset[str]
    titles: tuple[str, ...]  # longest first
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    name_stops: frozenset[str]
    triggers: dict[str, str]
    lookalikes: frozenset[str] = frozenset()  # common words ending in a suffix (乡村, 辖区)
    stop_words_set: frozenset[str] = frozenset()
    stop_by_last: dict[str, tuple[str, ...]] = None  # stop words by their last character
    generic_by_last: dict[str, tuple[str, ...]] = None


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    suffixes: dict[str, list[Suffix]] = {}
    for line in _lines("org_suffixes.tsv"):
        text, label, lo, hi = line.split("\t")
        suffixes.setdefault(text[0], []).append(Suffix(text, label, int(lo), int(hi)))
    for v in suffixes.values():
        v.sort(key=lambda s: -len(s.text))
    surn = " ".join(_lines("surnames.txt")).split()
    trig = {}
    for line in _lines("triggers.tsv"):
        w, k = line.split("\t")
        trig[w] = k
    lex = Lexicon(
        suffixes=suffixes,
        stop_chars=frozenset("".join(_lines("stop_chars.txt"))),
        stop_words=tuple(sorted(_lines("stop_words.txt"), key=len, reverse=True)),
        generic_stems=frozenset(_lines("generic_stems.txt")),
        generic_words=tuple(w for w in _lines("generic_stems.txt") if len(w) >= 2),
        continuations=frozenset(_lines("word_continuations.txt")),
        titles=tuple(sorted(set(_lines("post_titles.txt")), key=len, reverse=True)),
        surnames=frozenset(s for s in surn if len(s) == 1),
        compound_surnames=frozenset(s for s in surn if len(s) == 2),
        name_stops=frozenset("".join(_lines("name_stops.txt"))),
        triggers=trig,
        lookalikes=frozenset(_lines("unit_lookalikes.txt")),
        stop_words_set=frozenset(_lines("stop_words.txt")),
    )
    object.__setattr__(lex, "stop_by_last", _by_last(lex.stop_words))
    object.__setattr__(lex, "generic_by_last", _by_last(lex.generic_words))
    return lex


def _by_last(words) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for w in words:
        out.setdefault(w[-1], []).append(w)
    return {k: tuple(v) for k, v in out.items()}


def alternation(words) -> str:
    """A regex matching the longest of `words` that starts at a position, as a flat alternation
    sorted longest first would, but grouped by first character (w(?:ords|ord|)), so the engine
    tries one group per position instead of every word."""
    by_first: dict[str, set[str]] = {}
    for w in words:
        if w:
            by_first.setdefault(w[0], set()).add(w[1:])
    if not by_first:
        return "(?!)"
    alts = []
    for c, rests in by_first.items():
        if rests == {""}:
            alts.append(re.escape(c))
        else:
            alts.append(re.escape(c) + "(?:" + "|".join(
                re.escape(r) for r in sorted(rests, key=len, reverse=True)) + ")")
    return "|".join(alts)


def is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"
