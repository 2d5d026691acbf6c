"""Settings: one object, read from the environment (and a .env file), passed down explicitly.

Lists are written the way people write them (KG_API_KEYS=a,b) or as JSON (["a","b"]); a bad
value is one ConfigError naming the variable and what it accepts. `kg settings` lists them all.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from kg.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Where a wheel puts the top-level ontology/ and queries/ folders (pyproject's force-include).
SHIPPED = "shipped"


def shipped_dir(name: str) -> Path:
    """ontology/ or queries/: inside the installed package when it was installed from a wheel,
    else the checkout's top-level folder (an editable install, or PYTHONPATH on a checkout)."""
    packaged = files("kg") / SHIPPED / name
    if packaged.is_dir():
        return Path(str(packaged))
    return PROJECT_ROOT / name


def _home(name: str) -> Path:
    """A folder the commands write (.kg-data, .kg-models): in the checkout when running from
    one, else under the working directory (an installed package's own folder is no place
    for data)."""
    if (PROJECT_ROOT / "pyproject.toml").is_file():
        return PROJECT_ROOT / name
    return Path(name)

Keys = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    kg_store: Literal["embedded", "neo4j"] = Field(
        "embedded", alias="KG_STORE", description="the graph store: embedded (no server) or neo4j")
    kg_data_dir: Path = Field(default_factory=lambda: _home(".kg-data"), alias="KG_DATA_DIR",
                              description="where the embedded store keeps its files")
    kg_graph: str = Field("kg", alias="KG_GRAPH", description="graph name in the embedded store")

    neo4j_uri: str = Field("bolt://127.0.0.1:7687", alias="NEO4J_URI",
                           description="Neo4j's Bolt address (KG_STORE=neo4j)")
    neo4j_user: str = Field("neo4j", alias="NEO4J_USER", description="Neo4j user")
    neo4j_password: str = Field(
        "", alias="NEO4J_PASSWORD", json_schema_extra={"secret": True},
        description="Neo4j password (Neo4j 5 wants 8 characters or more); required with neo4j")
    neo4j_database: str = Field("neo4j", alias="NEO4J_DATABASE", description="Neo4j database")

    models_dir: Path = Field(default_factory=lambda: _home(".kg-models"), alias="KG_MODELS_DIR",
                             description="where `kg train` writes trained reader models")
    reader_model: str = Field("", alias="KG_READER_MODEL",
                              description="trained model the reader adds to its rules: a name "
                                          "under KG_MODELS_DIR or a directory; empty (the default: "
                                          "cross-validated, it lowered entity F1, see "
                                          "docs/learning.md): rules only")

    ontology_dir: Path = Field(default_factory=lambda: shipped_dir("ontology"), alias="KG_ONTOLOGY_DIR",
                               description="the ontology files (kg.ttl, shapes.ttl); default: "
                                           "the ones shipped with the package")
    queries_dir: Path = Field(default_factory=lambda: shipped_dir("queries"), alias="KG_QUERIES_DIR",
                              description="the named queries (*.cypher); default: the ones "
                                          "shipped with the package")

    query_timeout_s: float = Field(10.0, gt=0, alias="KG_QUERY_TIMEOUT",
                                   description="seconds a read may run")
    query_row_cap: int = Field(10_000, ge=1, alias="KG_QUERY_ROW_CAP",
                               description="rows a read returns at most")
    cypher_max_chars: int = Field(10_000, ge=1, alias="KG_CYPHER_MAX_CHARS",
                                  description="characters an analyst query may have")
    cypher_max_depth: int = Field(8, ge=1, alias="KG_CYPHER_MAX_DEPTH",
                                  description="levels an analyst query's expressions may nest")
    batch_articles: int = Field(200, ge=1, alias="KG_BATCH_ARTICLES",
                                description="articles written in one store transaction")

    api_keys: Keys = Field(default_factory=list, alias="KG_API_KEYS", json_schema_extra={"secret": True},
                           description="API keys for ad-hoc Cypher (comma-separated)")
    steward_keys: Keys = Field(default_factory=list, alias="KG_STEWARD_KEYS", json_schema_extra={"secret": True},
                               description="API keys that may reload the ontology (comma-separated)")
    cors_origins: Keys = Field(default_factory=list, alias="KG_CORS_ORIGINS",
                               description="origins a browser may call the API from (comma-separated)")
    api_workers: int | None = Field(
        None, ge=1, alias="KG_API_WORKERS",
        description="worker processes of `kg serve`; default two per CPU it may use (a "
                    "container's CPU quota counts) on Neo4j, 1 on the embedded store")
    api_read_slots: int = Field(8, ge=1, alias="KG_API_READ_SLOTS",
                                description="requests per worker reading the store at once (entities, visits, articles)")
    api_heavy_slots: int = Field(1, ge=1, alias="KG_API_HEAVY_SLOTS",
                                 description="graph, Cypher and named-query requests per worker at once")
    api_queue_wait_s: float = Field(2.0, ge=0, alias="KG_API_QUEUE_WAIT",
                                    description="seconds a request waits for a slot before a 503 with Retry-After")
    api_max_body_bytes: int = Field(1_000_000, ge=1, alias="KG_API_MAX_BODY",
                                    description="bytes a request body may have (413 beyond)")
    api_cache_entries: int = Field(4096, ge=0, alias="KG_API_CACHE_ENTRIES",
                                   description="answers to GET requests a worker keeps until the graph "
                                               "changes (0: none)")
    api_cache_max_body: int = Field(262_144, ge=0, alias="KG_API_CACHE_MAX_BODY",
                                    description="bytes an answer may have to be kept")
    api_stale_after_s: float = Field(0.5, ge=0, alias="KG_API_STALE_AFTER",
                                     description="seconds a GET waits for its answer to be recomputed after a "
                                                 "commit before it gets the one kept before (x-kg-cache: stale; "
                                                 "0: it always waits)")
    api_stale_max_age_s: float = Field(60.0, ge=0, alias="KG_API_STALE_MAX_AGE",
                                       description="seconds after it was kept that an answer may still be sent stale")
    api_warmup_s: float = Field(10.0, ge=0, alias="KG_API_WARMUP",
                                description="seconds a worker may spend asking each public question once "
                                            "before it takes requests (0: none)")
    query_param_max_chars: int = Field(1_000, ge=1, alias="KG_QUERY_PARAM_MAX_CHARS",
                                       description="characters a named query's text parameter may have (413 beyond)")

    @field_validator("kg_store", mode="before")
    @classmethod
    def _store_case(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("api_keys", "steward_keys", "cors_origins", mode="before")
    @classmethod
    def _list(cls, value: Any) -> Any:
        """a,b or ["a", "b"]; empty means none."""
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValueError(f"not a JSON list ({exc.msg})") from None
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError("a JSON list of strings")
            return [v.strip() for v in value if v.strip()]
        return [part.strip() for part in text.split(",") if part.strip()]

    def serve_workers(self) -> int:
        """Worker processes for the API. One Python process serving concurrent requests spends
        much of its CPU passing the GIL between request threads, and a request mostly waits on
        Neo4j: with 8 clients on 2 CPUs the visits endpoints' API p50 was 1.7-2.1x the bare
        driver's with one process, 1.1-1.5x with two, 1.2-1.3x with four. The embedded store
        is one process. The CPUs are the ones this process may use (a container's share)."""
        if self.kg_store == "embedded":
            return 1
        return self.api_workers or 2 * available_cpus()

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)


CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def quota_cpus(cpu_max: str) -> int | None:
    """CPUs a cgroup v2 `cpu.max` line ("200000 100000", or "max 100000") allows, rounded up;
    None without a quota."""
    quota, _, period = cpu_max.strip().partition(" ")
    if quota == "max" or not quota.isdigit() or not period.isdigit() or int(period) == 0:
        return None
    return max(1, -(-int(quota) // int(period)))


def available_cpus(cpu_max: Path = CGROUP_CPU_MAX) -> int:
    """CPUs this process may use: its CPU affinity, capped by the cgroup's quota. In a container
    os.cpu_count() is the host's count, not the container's share."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        quota = quota_cpus(cpu_max.read_text(encoding="ascii"))
    except OSError:  # no cgroup v2 here (or not Linux)
        quota = None
    return min(cpus, quota) if quota else cpus


def load_settings(**values: Any) -> Settings:
    """Settings from the environment (and `values`), or a ConfigError naming the first bad one."""
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise ConfigError(_explain(exc)) from None


def _explain(exc: ValidationError) -> str:
    err = exc.errors()[0]
    name = str(err["loc"][0]) if err.get("loc") else "a setting"
    field = Settings.model_fields.get(name) or next(
        (f for f in Settings.model_fields.values() if f.alias == name), None)
    alias = field.alias if field is not None and field.alias else name.upper()
    given = err.get("input")
    accepts = field.description if field is not None and field.description else ""
    if err["type"] == "literal_error":
        return f"setting {alias}={given!r}: it takes one of " + ", ".join(
            repr(v) for v in field.annotation.__args__)
    shown = "(set)" if field is not None and (field.json_schema_extra or {}).get("secret") \
        else repr(given)
    message = err.get("msg", "invalid").removeprefix("Value error, ")
    return f"setting {alias}={shown}: {message}" + (f"; it takes {accepts}" if accepts else "")


def describe(settings: Settings) -> list[dict[str, Any]]:
    """Every setting: its variable, value (secrets hidden), default and what it is for."""
    out = []
    for name, field in Settings.model_fields.items():
        secret = (field.json_schema_extra or {}).get("secret", False)
        value = getattr(settings, name)
        default = field.get_default(call_default_factory=True)
        out.append({"variable": field.alias, "value": ("(set)" if value else "") if secret else
                    (str(value) if value is not None else ""),
                    "default": "" if secret else (str(default) if default is not None else ""),
                    "description": field.description or ""})
    return out


@lru_cache
def get_settings() -> Settings:
    return load_settings()
