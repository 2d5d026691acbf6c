"""Settings: one object, read from the environment (and a .env file), passed down explicitly."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    kg_store: Literal["embedded", "neo4j"] = Field("embedded", alias="KG_STORE")
    kg_data_dir: Path = Field(PROJECT_ROOT / ".kg-data", alias="KG_DATA_DIR")
    kg_graph: str = Field("kg", alias="KG_GRAPH", description="graph name in the embedded store")

    neo4j_uri: str = Field("bolt://127.0.0.1:7687", alias="NEO4J_URI")
    neo4j_user: str = Field("neo4j", alias="NEO4J_USER")
    neo4j_password: str = Field("neo4j", alias="NEO4J_PASSWORD")
    neo4j_database: str = Field("neo4j", alias="NEO4J_DATABASE")

    models_dir: Path = Field(PROJECT_ROOT / ".kg-models", alias="KG_MODELS_DIR",
                             description="where `kg train` writes trained reader models")
    reader_model: str = Field("", alias="KG_READER_MODEL",
                              description="trained model the reader adds to its rules: a name "
                                          "under KG_MODELS_DIR or a directory; empty (the default: "
                                          "cross-validated, it lowered entity F1, see "
                                          "docs/learning.md): rules only")

    ontology_dir: Path = Field(PROJECT_ROOT / "ontology", alias="KG_ONTOLOGY_DIR")
    queries_dir: Path = Field(PROJECT_ROOT / "queries", alias="KG_QUERIES_DIR")

    query_timeout_s: float = Field(10.0, alias="KG_QUERY_TIMEOUT")
    query_row_cap: int = Field(10_000, alias="KG_QUERY_ROW_CAP")
    batch_articles: int = Field(200, alias="KG_BATCH_ARTICLES",
                                description="articles written in one store transaction")

    api_keys: list[str] = Field(default_factory=list, alias="KG_API_KEYS")
    steward_keys: list[str] = Field(default_factory=list, alias="KG_STEWARD_KEYS",
                                    description="API keys that may reload the ontology")
    cors_origins: list[str] = Field(default_factory=list, alias="KG_CORS_ORIGINS")
    api_workers: int | None = Field(
        None, ge=1, alias="KG_API_WORKERS",
        description="worker processes of `kg serve`; default two per CPU on Neo4j, 1 on the embedded store")

    def serve_workers(self) -> int:
        """Worker processes for the API. One Python process serving concurrent requests spends
        much of its CPU passing the GIL between request threads, and a request mostly waits on
        Neo4j: with 8 clients on 2 CPUs the visits endpoints' API p50 was 1.7-2.1x the bare
        driver's with one process, 1.1-1.5x with two, 1.2-1.3x with four. The embedded store
        is one process."""
        if self.kg_store == "embedded":
            return 1
        return self.api_workers or 2 * (os.cpu_count() or 1)

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)


@lru_cache
def get_settings() -> Settings:
    return Settings()
