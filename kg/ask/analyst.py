"""Ad-hoc analyst Cypher, held to what a reader key may do.

The stores already refuse writes (read access mode, the planner's query type). This module adds
what a read-only mode does not cover: reads that reach outside the graph (LOAD CSV of files and
URLs), commands that show or stop other users' work (SHOW / TERMINATE TRANSACTIONS, settings,
administration), procedures outside an allow-list, and texts whose size or nesting makes the
store's parser itself slow (FalkorDB's grows exponentially with nesting, before any timeout).

Two screens, both before the query runs: one over the text (cheap, both stores, whatever the
database user may do), one over the store's plan (the operators it would run), so a keyword
spelt in a way the text screen misses is still caught by what the planner makes of it. Then the
row cap is pushed into the query (`capped`), so the store never builds more rows than are
returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from kg.config import Settings
from kg.errors import QueryError, QueryRefused, QueryTimedOut, QueryTooComplex
from kg.graph.stores.base import GraphStore, Plan, QueryResult

# procedures an analyst may CALL: the schema's own description, nothing that reads or changes
# the server's state
PROCEDURES: frozenset[str] = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.indexes", "db.constraints",
    "db.schema.visualization", "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
})

# words that begin a command rather than a read: administration, and other sessions' work
_COMMANDS = frozenset({"show", "terminate", "use", "alter", "grant", "deny", "revoke", "start",
                       "stop", "enable", "dryrun"})
_COMMAND_OBJECTS = frozenset({"user", "users", "role", "roles", "database", "databases", "alias",
                              "aliases", "server", "servers", "privilege", "privileges"})

_TOKEN = re.compile(r"""
      (?P<space>\s+)
    | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
    | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
    | (?P<param>\$\w+)
    | (?P<word>[^\W\d]\w*)
    | (?P<number>\d[\w.]*)
    | (?P<symbol>.)
""", re.VERBOSE | re.DOTALL)

_OPEN, _CLOSE = "([{", ")]}"
_PREFIX_AFTER = frozenset("([{,=<>+-*/%^:|") | {"not", "and", "or", "xor", "where", "return",
                                                 "with", "when", "then", "else", "in", "case", ""}


@dataclass(frozen=True, slots=True)
class Token:
    kind: str   # word, symbol, param, number, string, quoted
    text: str   # as written
    start: int  # offset in the query text

    @property
    def lower(self) -> str:
        return self.text.lower()


def tokens(text: str) -> list[Token]:
    """The query's tokens without spaces and comments; strings and quoted names stay whole,
    so nothing inside them is taken for a keyword."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind not in ("space", "comment"):
            out.append(Token(kind, m.group(), m.start()))
    return out


def nesting(toks: list[Token]) -> int:
    """How deeply expressions nest: brackets, CASE ... END, and chains of prefix operators
    (NOT NOT ..., - - ...) each add a level, as they do in the parser's recursion."""
    depth = deepest = 0
    prefix_run = 0
    cases = 0
    previous = ""
    for t in toks:
        low = t.lower
        if t.kind == "symbol" and t.text in _OPEN:
            depth += 1
        elif t.kind == "symbol" and t.text in _CLOSE:
            depth = max(0, depth - 1)
        elif t.kind == "word" and low == "case":
            cases += 1
        elif t.kind == "word" and low == "end" and cases:
            cases -= 1
        is_prefix = (t.kind == "word" and low == "not") or \
            (t.kind == "symbol" and t.text in "+-" and previous in _PREFIX_AFTER)
        prefix_run = prefix_run + 1 if is_prefix else 0
        deepest = max(deepest, depth + cases + prefix_run)
        previous = low if t.kind in ("word", "symbol") else "value"
    return deepest


def _procedure_at(toks: list[Token], i: int) -> str | None:
    """The dotted name after CALL at i, or None for a subquery (CALL { ... } / CALL (x) { ... })."""
    j = i + 1
    if j >= len(toks) or toks[j].kind not in ("word", "quoted"):
        return None
    parts = [toks[j].text.strip("`")]
    j += 1
    while j + 1 < len(toks) and toks[j].text == "." and toks[j + 1].kind in ("word", "quoted"):
        parts.append(toks[j + 1].text.strip("`"))
        j += 2
    return ".".join(parts)


RANGE_MAX = 1_000_000  # values a range() may make: one list, built before any timeout is checked


def _range_values(args: list[list[Token]], params: dict) -> int | None:
    """How many values range(start, end[, step]) makes, when its bounds are numbers or
    parameters; None when they are anything else."""
    bounds = []
    for arg in args:
        sign = -1 if len(arg) == 2 and arg[0].text == "-" else 1
        t = arg[-1]
        if len(arg) > 2 or (len(arg) == 2 and arg[0].text not in "+-"):
            return None
        if t.kind == "number" and t.text.isdigit():
            bounds.append(sign * int(t.text))
        elif t.kind == "param" and isinstance(params.get(t.text[1:]), int):
            bounds.append(sign * params[t.text[1:]])
        else:
            return None
    if len(bounds) not in (2, 3) or (len(bounds) == 3 and bounds[2] == 0):
        return None
    step = bounds[2] if len(bounds) == 3 else 1
    return max(0, (bounds[1] - bounds[0]) // step + 1)


def _levels(toks: list[Token]) -> Iterator[tuple[int, Token, int]]:
    """(index, token, bracket depth once the token is read): what the splitting below needs to
    tell a query's top level from what its brackets hold."""
    depth = 0
    for i, t in enumerate(toks):
        if t.kind == "symbol" and t.text in _OPEN:
            depth += 1
        elif t.kind == "symbol" and t.text in _CLOSE:
            depth -= 1
        yield i, t, depth


def _call_args(toks: list[Token], i: int) -> list[list[Token]]:
    """The top-level arguments of the call whose name is at i (its "(" at i + 1)."""
    inside = toks[i + 1:]
    end = next((j for j, t, depth in _levels(inside) if depth == 0 and t.text in _CLOSE), len(inside))
    return [a for a in _split_top(inside[1:end]) if a]


def screen_text(text: str, *, max_chars: int, max_depth: int, params: dict | None = None) -> None:
    """Refuse, before the store sees it, a query that is too big or too nested to parse quickly,
    or that asks for more than reading the graph."""
    if len(text) > max_chars:
        raise QueryTooComplex(f"query is {len(text)} characters; at most {max_chars} are accepted "
                              "(KG_CYPHER_MAX_CHARS)")
    toks = tokens(text)
    depth = nesting(toks)
    if depth > max_depth:
        raise QueryTooComplex(f"query nests {depth} levels deep; at most {max_depth} are accepted "
                              "(KG_CYPHER_MAX_DEPTH)")
    for i, t in enumerate(toks):
        if t.kind != "word":
            continue
        before = toks[i - 1].text if i else ""
        after = toks[i + 1].text if i + 1 < len(toks) else ""
        if before in (".", "$") or after == ":":  # a property, parameter or map key of that name
            continue
        low = t.lower
        if low == "load" and after.lower() == "csv":
            raise QueryRefused(f"LOAD CSV is not allowed (offset {t.start}): analyst queries read the graph only")
        if low in _COMMANDS and (before in ("", "{", ";") or before.lower() in ("union", "all")):
            raise QueryRefused(f"{t.text.upper()} is not allowed (offset {t.start}): "
                               "analyst queries read the graph only")
        if low in ("create", "drop", "alter") and after.lower() in _COMMAND_OBJECTS:
            raise QueryRefused(f"{t.text.upper()} {after.upper()} is not allowed (offset {t.start})")
        if low == "range" and after == "(":
            values = _range_values(_call_args(toks, i), params or {})
            if values is None or values > RANGE_MAX:
                raise QueryRefused(f"range() at offset {t.start} must have number or parameter bounds "
                                   f"spanning at most {RANGE_MAX:,} values")
        if low == "call":
            name = _procedure_at(toks, i)
            if name is not None and name.lower() not in PROCEDURES:
                raise QueryRefused(f"procedure {name} is not allowed (offset {t.start}); allowed: "
                                   + ", ".join(sorted(PROCEDURES)))


# operators of either store's plan that mean more than reading the graph
_REFUSED_OPERATORS = re.compile(r"^(load ?csv|show|terminate|system|admin|create ?user|alter)", re.I)
_PROCEDURE_NAME = re.compile(r"([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+)\s*\(")


def screen_plan(plan: Plan) -> None:
    """Refuse what the store's planner would do beyond reading: loading files or URLs, commands
    on transactions or settings, procedures outside the allow-list."""
    for step in plan.steps:
        op = step.operator.replace("_", "").strip()
        if _REFUSED_OPERATORS.match(op):
            raise QueryRefused(f"the store would run {step.operator}: analyst queries read the graph only")
        if op.lower().replace(" ", "") == "procedurecall":  # Neo4j names it; FalkorDB does not
            for name in _PROCEDURE_NAME.findall(step.detail):
                if name.lower() not in PROCEDURES:
                    raise QueryRefused(f"procedure {name} is not allowed; allowed: " + ", ".join(sorted(PROCEDURES)))


def _split_top(toks: list[Token], sep: str = ",") -> list[list[Token]]:
    parts, current = [], []
    for _, t, depth in _levels(toks):
        if depth == 0 and t.kind == "symbol" and t.text == sep:
            parts.append(current)
            current = []
        else:
            current.append(t)
    parts.append(current)
    return parts


_AFTER_ITEMS = frozenset({"order", "skip", "limit", "offset"})


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def capped(text: str, cap: int) -> str | None:
    """The query with the row cap inside it: `CALL { <query> } RETURN <its columns> LIMIT cap+1`,
    so the store stops at cap + 1 rows (one more tells that the cap cut). Each column of the
    last RETURN gets an explicit alias (its name as the store would give it), so the rows and
    their column names are those of the query as written. None when the query is not one
    this rewrite understands (UNION, RETURN *, no final RETURN): it then runs as written and
    the store's timeout and the client-side cap still hold."""
    toks = tokens(text)
    if not toks or any(t.kind == "word" and t.lower == "union" for t in toks):
        return None
    last_return = max((i for i, t, depth in _levels(toks)
                       if depth == 0 and t.kind == "word" and t.lower == "return"), default=None)
    if last_return is None or toks[-1].text == ";":
        return None
    body = toks[last_return + 1:]
    distinct = bool(body) and body[0].lower == "distinct"
    if distinct:
        body = body[1:]
    end = next((i for i, t, depth in _levels(body)
                if depth == 0 and t.kind == "word" and t.lower in _AFTER_ITEMS), len(body))
    items = _split_top(body[:end])
    if not items or any(not item for item in items):
        return None
    columns, rewritten = [], []
    for item in items:
        if len(item) == 1 and item[0].text == "*":
            return None
        source = text[item[0].start:item[-1].start + len(item[-1].text)]
        if len(item) >= 3 and item[-2].kind == "word" and item[-2].lower == "as" and item[-1].kind in ("word", "quoted"):
            name = item[-1].text[1:-1].replace("``", "`") if item[-1].kind == "quoted" else item[-1].text
            rewritten.append(source)
        else:
            name = source
            rewritten.append(f"{source} AS {_quote(name)}")
        columns.append(name)
    if len(set(columns)) != len(columns):
        return None
    head = text[:toks[last_return].start]
    items_start, items_end = items[0][0].start, items[-1][-1].start + len(items[-1][-1].text)
    tail = text[items_end:]
    inner = (head + text[toks[last_return].start:items_start] + ", ".join(rewritten) + tail)
    outer = ", ".join(_quote(c) for c in columns)
    return f"CALL {{\n{inner}\n}}\nRETURN {outer}\nLIMIT {int(cap) + 1}"


def run_analyst_query(store: GraphStore, text: str, params: dict | None, settings: Settings) -> QueryResult:
    """An analyst's query on the store: both screens, then the capped form (or the query as
    written when it cannot be capped, or when the store does not take the capped form)."""
    screen_text(text, max_chars=settings.cypher_max_chars, max_depth=settings.cypher_max_depth, params=params)
    screen_plan(store.plan(text, params, timeout=settings.query_timeout_s))
    limited = capped(text, settings.query_row_cap)
    if limited is not None:
        try:
            return store.read(limited, params, timeout=settings.query_timeout_s, limit=settings.query_row_cap)
        except QueryTimedOut:
            raise
        except QueryError:
            pass  # a form the rewrite got wrong or the store does not take: run it as written
    return store.read(text, params, timeout=settings.query_timeout_s, limit=settings.query_row_cap)
