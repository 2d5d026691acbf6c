"""The named-query library: one .cypher file per question, its header saying how to call it.

Header lines (Cypher comments at the top of the file):
    // name: villages_visited_by_office
    // description: one line for people
    // param: office: string = null -- what it means   (no default: required)
    // columns: office, village, date, article
Parameter values are checked and converted here, then passed to the store as parameters:
never spliced into the query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import BadParameter, NotFound, ParameterTooLarge, QueryError
from kg.graph.stores.base import GraphStore, QueryResult

_TYPES = {"string": str, "integer": int, "float": float, "boolean": bool}
_PARAM = re.compile(r"^(?P<name>\w+)\s*:\s*(?P<type>\w+)(?:\s*=\s*(?P<default>[^-]+?))?\s*(?:--\s*(?P<doc>.*))?$")
_REQUIRED = object()


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str
    default: Any = _REQUIRED
    description: str = ""

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def coerce(self, value: Any) -> Any:
        """A value from the command line or a request, as the query expects it."""
        if value is None:
            return None
        py = _TYPES[self.type]
        if isinstance(value, py) and not (py is int and isinstance(value, bool)):
            return value
        if isinstance(value, str):
            text = value.strip()
            try:
                if py is bool:
                    if text.lower() in ("true", "1", "yes"):
                        return True
                    if text.lower() in ("false", "0", "no"):
                        return False
                    raise ValueError(text)
                return py(text)
            except ValueError:
                pass
        raise BadParameter(self.name, f"must be {self.type}, got {value!r}")


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    cypher: str
    path: Path | None = None

    def bind(self, values: dict[str, Any], max_chars: int | None = None) -> dict[str, Any]:
        """Checked parameters: unknown ones refused, required ones present, types converted, text
        no longer than `max_chars`. The BadParameter names the first bad one (the API answers
        it as a 422, a too long one as a 413)."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise BadParameter(unknown[0], f"query {self.name!r} has no parameter {unknown[0]!r} "
                                           f"(it takes: {', '.join(known) or 'none'})")
        bound = {}
        for p in self.params:
            if p.name in values and values[p.name] is not None:
                value = values[p.name]
                if max_chars is not None and isinstance(value, str) and len(value) > max_chars:
                    raise ParameterTooLarge(p.name, f"{len(value)} characters; at most {max_chars} "
                                                    "(KG_QUERY_PARAM_MAX_CHARS)")
                bound[p.name] = p.coerce(value)
            elif p.required:
                raise BadParameter(p.name, f"query {self.name!r} needs it ({p.type})")
            else:
                bound[p.name] = p.default
        return bound

    def run(self, store: GraphStore, values: dict[str, Any] | None = None, *,
            timeout: float | None = None, limit: int | None = None,
            max_chars: int | None = None) -> QueryResult:
        return store.read(self.cypher, self.bind(values or {}, max_chars), timeout=timeout, limit=limit)


def _default(text: str | None, type_: str) -> Any:
    if text is None:
        return _REQUIRED
    text = text.strip()
    if text == "null":
        return None
    return Param("default", type_).coerce(text.strip("'\""))


def parse_query(text: str, path: Path | None = None) -> NamedQuery:
    header: dict[str, list[str]] = {}
    body = []
    for line in text.splitlines():
        m = re.match(r"^//\s*(\w+)\s*:\s*(.*)$", line)
        if m and not body:
            header.setdefault(m.group(1), []).append(m.group(2).strip())
        elif line.strip() or body:
            body.append(line)
    where = str(path) if path else "query"
    if "name" not in header or not body:
        raise QueryError(f"{where}: a named query needs a '// name:' header and a body")
    params = []
    for spec in header.get("param", []):
        m = _PARAM.match(spec)
        if not m or m.group("type") not in _TYPES:
            raise QueryError(f"{where}: cannot read parameter line {spec!r} "
                             f"(form: name: {'|'.join(_TYPES)} [= default] -- description)")
        params.append(Param(m.group("name"), m.group("type"), _default(m.group("default"), m.group("type")),
                            (m.group("doc") or "").strip()))
    columns = tuple(c.strip() for c in ",".join(header.get("columns", [])).split(",") if c.strip())
    return NamedQuery(header["name"][0], " ".join(header.get("description", [])), tuple(params),
                      columns, "\n".join(body).strip(), path)


class UnknownQuery(NotFound):
    """No named query has this name; lists the known ones."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__("named query", name)
        self.args = (f"no named query {name!r} (known: {', '.join(known)})",)


@dataclass(slots=True)
class QueryLibrary:
    queries: dict[str, NamedQuery] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path) -> "QueryLibrary":
        """The *.cypher files of `directory`; none there is an error (a wrong KG_QUERIES_DIR
        would otherwise look like a library without queries)."""
        lib = cls()
        paths = sorted(Path(directory).glob("*.cypher"))
        if not paths:
            raise QueryError(f"{directory}: no named queries (*.cypher) here; "
                             "KG_QUERIES_DIR names the folder")
        for path in paths:
            q = parse_query(path.read_text(encoding="utf-8"), path)
            if q.name in lib.queries:
                raise QueryError(f"{path}: query name {q.name!r} is also used by {lib.queries[q.name].path}")
            lib.queries[q.name] = q
        return lib

    def get(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise UnknownQuery(name, sorted(self.queries)) from None
