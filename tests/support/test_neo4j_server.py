"""The throwaway Neo4j behaves like the real server the app targets (5.26, Bolt, ACID, schema,
access modes), so store tests against it mean something."""

import neo4j
import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import ClientError, ConstraintError

from tests.support.neo4j_server import reset_neo4j


def _count(driver, label):
    return driver.execute_query(f"MATCH (n:{label}) RETURN count(n) AS c").records[0]["c"]


def test_version_is_5_26(neo4j_driver):
    records = neo4j_driver.execute_query(
        "CALL dbms.components() YIELD name, versions RETURN name, versions"
    ).records
    kernel = {r["name"]: r["versions"] for r in records}["Neo4j Kernel"]
    assert kernel[0].startswith("5.26."), kernel


def test_any_basic_auth_is_accepted(neo4j_uri):
    for auth in (None, ("neo4j", "wrong"), ("someone", "else")):
        with GraphDatabase.driver(neo4j_uri, auth=auth) as driver:
            driver.verify_connectivity()


def test_rolled_back_transaction_leaves_nothing(clean_neo4j):
    with clean_neo4j.session() as s:
        tx = s.begin_transaction()
        tx.run("UNWIND range(1, 100) AS i CREATE (:Tmp {i: i})").consume()
        assert tx.run("MATCH (n:Tmp) RETURN count(n) AS c").single()["c"] == 100
        tx.rollback()
    assert _count(clean_neo4j, "Tmp") == 0


def test_unique_constraint_rejects_duplicate(clean_neo4j):
    ddl = "CREATE CONSTRAINT resource_iri IF NOT EXISTS FOR (n:Resource) REQUIRE n.iri IS UNIQUE"
    clean_neo4j.execute_query(ddl)
    clean_neo4j.execute_query(ddl)  # IF NOT EXISTS: idempotent
    rows = [{"iri": f"urn:x:{i}", "label": f"r{i}"} for i in range(500)]
    clean_neo4j.execute_query(
        "UNWIND $rows AS r MERGE (n:Resource {iri: r.iri}) SET n.label = r.label", rows=rows
    )
    clean_neo4j.execute_query(  # MERGE again: no duplicates
        "UNWIND $rows AS r MERGE (n:Resource {iri: r.iri}) SET n.label = r.label", rows=rows
    )
    assert _count(clean_neo4j, "Resource") == 500
    with pytest.raises(ConstraintError):
        clean_neo4j.execute_query("CREATE (:Resource {iri: 'urn:x:1'})")
    assert _count(clean_neo4j, "Resource") == 500


def test_read_access_mode_rejects_writes(clean_neo4j):
    with clean_neo4j.session(default_access_mode=neo4j.READ_ACCESS) as s:
        with pytest.raises(ClientError) as err:
            s.run("CREATE (:Nope)").consume()
    assert err.value.code == "Neo.ClientError.Statement.AccessMode"
    with pytest.raises(ClientError):
        clean_neo4j.execute_query("CREATE (:Nope)", routing_=neo4j.RoutingControl.READ)
    assert _count(clean_neo4j, "Nope") == 0


def test_index_and_explain_use_it(clean_neo4j):
    clean_neo4j.execute_query("CREATE INDEX res_label IF NOT EXISTS FOR (n:Resource) ON (n.label)")
    clean_neo4j.execute_query("CALL db.awaitIndexes(60)")
    summary = clean_neo4j.execute_query(
        "EXPLAIN MATCH (n:Resource) WHERE n.label = $l RETURN n", l="x"
    ).summary
    assert "NodeIndexSeek" in str(summary.plan)


def test_driver_transaction_timeout_is_honoured(clean_neo4j):
    with clean_neo4j.session() as s:
        with pytest.raises(ClientError) as err:
            with s.begin_transaction(timeout=0.5) as tx:
                tx.run(
                    "UNWIND range(1, 1000000000) AS i WITH i WHERE i < 0 RETURN count(*)"
                ).consume()
    assert "Timed" in err.value.code or "Terminated" in err.value.code, err.value.code


def test_reset_clears_data_and_schema(neo4j_driver):
    neo4j_driver.execute_query(
        "CREATE CONSTRAINT c_reset IF NOT EXISTS FOR (n:R) REQUIRE n.k IS UNIQUE"
    )
    neo4j_driver.execute_query("UNWIND range(1, 50) AS i CREATE (:R {k: i})-[:T]->(:S)")
    reset_neo4j(neo4j_driver)
    assert neo4j_driver.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"] == 0
    assert neo4j_driver.execute_query("SHOW CONSTRAINTS").records == []
    types = {r["type"] for r in neo4j_driver.execute_query("SHOW INDEXES YIELD type").records}
    assert types <= {"LOOKUP"}
