"""Graph stores behind one interface, chosen by settings (KG_STORE=embedded|neo4j)."""

from __future__ import annotations

from kg.config import Settings
from kg.errors import ConfigError
from kg.graph.stores.base import GraphStore, QueryResult, Tx


def open_store(settings: Settings) -> GraphStore:
    """The configured store, not yet connected (it connects on first use)."""
    # each store's module is imported when chosen: the Neo4j driver and the embedded redis
    # client cost ~0.5-0.8 s of start-up each, and a process uses one of them
    if settings.kg_store == "neo4j":
        from kg.graph.stores.neo4j import Neo4jStore

        if not settings.neo4j_password:
            raise ConfigError("setting NEO4J_PASSWORD is empty: KG_STORE=neo4j needs the "
                              "password of NEO4J_USER (Neo4j 5 wants 8 characters or more)")

        return Neo4jStore(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password,
                          settings.neo4j_database)
    from kg.graph.stores.falkor import FalkorStore

    return FalkorStore(settings.kg_data_dir, settings.kg_graph, read_timeout=settings.query_timeout_s)


__all__ = ["GraphStore", "QueryResult", "Tx", "open_store"]
