"""Scoring extracted facts against gold facts, exactly as /work/shared/corpus/FACTS.md says.

`score(gold, predicted)` takes two mappings article id -> facts dict (the FACTS.md shape) and
returns precision/recall/F1 per kind. It does not care where predictions come from (the rule
annotator directly, or the graph store through named queries).

Matching: names match when the predicted name (a string, or any of a list of forms) equals any
gold form after normalisation (NFKC; quotes, spaces and book-title brackets removed). Within an
article, facts are matched one to one (greedy, in gold order); duplicates of a predicted fact are
dropped first. Kinds:
  visits       (organizer, site) pairs of every visit; the same pair twice counts once
  visit_dates  the date of each visit that has one (MM-DD; year compared when both give one)
  visit_kinds  the kind of each visit
  leaders      the leaders of each visit
  posts        person + organisation match and one title contains the other; a gold post
               without organisation matches on person + title
  memberships  (child, parent)
  bylines      (role, name) for reporters and correspondents
  entities     (name, type)
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

KINDS = ("visits", "visit_dates", "visit_kinds", "leaders", "posts", "memberships", "bylines",
         "entities")

_DROP = re.compile("[\"'“”‘’「」『』《》〈〉\\s]")


def norm(s: str | None) -> str:
    if s is None:
        return ""
    return _DROP.sub("", unicodedata.normalize("NFKC", s))


def forms(name: Any) -> frozenset[str]:
    """Acceptable normalised forms of a name (a string or a list of strings)."""
    if name is None:
        return frozenset()
    if isinstance(name, str):
        name = [name]
    return frozenset(n for n in (norm(x) for x in name) if n)


def names_match(gold: Any, pred: Any) -> bool:
    return bool(forms(gold) & forms(pred))


def _date(d: str | None) -> tuple[str | None, str, str] | None:
    if not d:
        return None
    m = re.fullmatch(r"(?:(\d{4})-)?(\d{1,2})-(\d{1,2})", d.strip())
    if not m:
        return None
    return m.group(1), m.group(2).zfill(2), m.group(3).zfill(2)


def dates_match(gold: str | None, pred: str | None) -> bool:
    g, p = _date(gold), _date(pred)
    if g is None or p is None:
        return False
    if g[1:] != p[1:]:
        return False
    return g[0] is None or p[0] is None or g[0] == p[0]


# ---------------------------------------------------------------------------------------------
# facts per kind: lists of items for one article

def _visit_pairs(facts: Mapping) -> list[tuple]:
    out = []
    for v in facts.get("visits") or []:
        for site in v.get("sites") or []:
            out.append((v.get("organizer"), site))
    return out


def _items(kind: str, facts: Mapping) -> list:
    visits = facts.get("visits") or []
    if kind == "visits":
        return _visit_pairs(facts)
    if kind == "visit_dates":
        return [v.get("date") for v in visits if v.get("date")]
    if kind == "visit_kinds":
        return [v.get("kind") for v in visits if v.get("kind")]
    if kind == "leaders":
        return [ldr for v in visits for ldr in (v.get("leaders") or [])]
    if kind == "posts":
        return list(facts.get("posts") or [])
    if kind == "memberships":
        return [(m.get("child"), m.get("parent")) for m in facts.get("memberships") or []]
    if kind == "bylines":
        b = facts.get("bylines") or {}
        return ([("reporter", n) for n in b.get("reporters") or []]
                + [("correspondent", n) for n in b.get("correspondents") or []])
    if kind == "entities":
        return [(e.get("name"), e.get("type")) for e in facts.get("entities") or []]
    raise KeyError(kind)


def _title_match(g: str | None, p: str | None) -> bool:
    g, p = norm(g), norm(p)
    return bool(g) and bool(p) and (g in p or p in g)


def _match_fn(kind: str) -> Callable[[Any, Any], bool]:
    if kind == "visits" or kind == "memberships":
        return lambda g, p: names_match(g[0], p[0]) and names_match(g[1], p[1])
    if kind == "visit_dates":
        return dates_match
    if kind == "visit_kinds":
        return lambda g, p: norm(g) == norm(p)
    if kind == "leaders":
        return names_match
    if kind == "posts":
        def post(g, p):
            if not names_match(g.get("person"), p.get("person")):
                return False
            if not _title_match(g.get("title"), p.get("title")):
                return False
            if not forms(g.get("organization")):
                return True
            return names_match(g.get("organization"), p.get("organization"))
        return post
    if kind == "bylines":
        return lambda g, p: g[0] == p[0] and names_match(g[1], p[1])
    if kind == "entities":
        return lambda g, p: g[1] == p[1] and names_match(g[0], p[0])
    raise KeyError(kind)


def _key(item: Any) -> str:
    """A hashable normal form of a predicted item, for dropping duplicates."""
    def nf(x):
        if isinstance(x, str):
            return norm(x)
        if isinstance(x, list | tuple):
            return [nf(y) for y in x]
        if isinstance(x, dict):
            return {k: nf(v) for k, v in sorted(x.items())}
        return x
    return json.dumps(nf(item), ensure_ascii=False, sort_keys=True)


def _dedupe(items: Iterable, match: Callable[[Any, Any], bool]) -> list:
    out: list = []
    seen: set[str] = set()
    for it in items:
        k = _key(it)
        if k in seen:
            continue
        seen.add(k)
        out.append(it)
    return out


def _count(gold: list, pred: list, match: Callable[[Any, Any], bool]) -> tuple[int, list, list]:
    """Greedy one-to-one matching; returns (matched, unmatched gold, unmatched predicted)."""
    used = [False] * len(pred)
    missed = []
    tp = 0
    for g in gold:
        for j, p in enumerate(pred):
            if not used[j] and match(g, p):
                used[j] = True
                tp += 1
                break
        else:
            missed.append(g)
    extra = [p for j, p in enumerate(pred) if not used[j]]
    return tp, missed, extra


def _prf(tp: int, n_gold: int, n_pred: int) -> dict[str, float | int]:
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "gold": n_gold, "predicted": n_pred}


def score(gold_facts: Mapping[str, Mapping], predicted_facts: Mapping[str, Mapping],
          *, errors: bool = False) -> dict[str, Any]:
    """Precision/recall/F1 per kind over all articles of `gold_facts` (id -> facts).

    An article missing from `predicted_facts` predicts nothing. With errors=True, the result
    also has "errors": {kind: {article: {"missed": [...], "extra": [...]}}}.
    """
    totals = {k: [0, 0, 0] for k in KINDS}
    errs: dict[str, dict] = {k: {} for k in KINDS}
    for aid, gf in gold_facts.items():
        pf = predicted_facts.get(aid) or {}
        for kind in KINDS:
            match = _match_fn(kind)
            g_items = _items(kind, gf)
            if kind == "visits":
                g_items = _dedupe(g_items, match)
            p_items = _items(kind, pf)
            if kind not in ("visit_dates", "visit_kinds", "leaders"):
                # the same fact twice counts once (dates, kinds, leaders are per visit)
                p_items = _dedupe(p_items, match)
            tp, missed, extra = _count(g_items, p_items, match)
            t = totals[kind]
            t[0] += tp
            t[1] += len(g_items)
            t[2] += len(p_items)
            if errors and (missed or extra):
                errs[kind][aid] = {"missed": missed, "extra": extra}
    result: dict[str, Any] = {k: _prf(*totals[k]) for k in KINDS}
    if errors:
        result["errors"] = errs
    return result


def format_table(result: Mapping[str, Any]) -> str:
    lines = [f"{'kind':<12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'gold':>5} {'pred':>5}"]
    for k in KINDS:
        r = result[k]
        lines.append(f"{k:<12} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f} "
                     f"{r['tp']:>5} {r['gold']:>5} {r['predicted']:>5}")
    return "\n".join(lines)
