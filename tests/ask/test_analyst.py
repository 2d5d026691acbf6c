"""Analyst Cypher: the text screen, the plan screen and the row cap pushed into the query,
on both stores."""

from __future__ import annotations

import pytest

from kg.ask.analyst import PROCEDURES, capped, nesting, run_analyst_query, screen_plan, screen_text, tokens
from kg.config import Settings
from kg.errors import QueryError, QueryRefused, QueryTooComplex, ReadOnlyViolation
from kg.graph.stores.base import Plan, PlanStep

LIMITS = {"max_chars": 10_000, "max_depth": 8}

REFUSED = [
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "load csv from 'http://127.0.0.1:9/x' as l return l",
    "LOAD/* a comment */CSV FROM 'file:///etc/hosts' AS l RETURN l",
    "LOAD\n  CSV WITH HEADERS FROM 'file:///x' AS l RETURN l",
    "MATCH (n) WITH n LIMIT 1 LOAD CSV FROM 'file:///x' AS l RETURN l",
    "SHOW TRANSACTIONS",
    "show transactions yield transactionId, currentQuery RETURN transactionId",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "SHOW TRANSACTIONS YIELD transactionId TERMINATE TRANSACTIONS transactionId",
    "SHOW SETTINGS",
    "SHOW USERS",
    "USE system SHOW DATABASES",
    "CALL dbms.listConfig()",
    "CALL db.stats.retrieve('GRAPH COUNTS')",
    "CALL db.prepareForReplanning()",
    "CALL dbms.killQueries(['query-1'])",
    "CALL db.idx.fulltext.drop('Resource')",
    "CALL `dbms`.`listConfig`() YIELD name RETURN name",
    "MATCH (n) CALL db.stats.clear('QUERIES') RETURN n",
    "MATCH (n) RETURN n UNION SHOW PROCEDURES",
    "CREATE USER eve SET PASSWORD 'secret123'",
    "ALTER USER neo4j SET PASSWORD 'secret123'",
    "GRANT ROLE admin TO eve",
    "STOP DATABASE neo4j",
]


@pytest.mark.parametrize("query", REFUSED)
def test_text_screen_refuses_what_is_more_than_reading(query):
    with pytest.raises(QueryRefused):
        screen_text(query, **LIMITS)


ALLOWED = [
    "MATCH (n:Office) RETURN n.name",
    "MATCH (n {show: 'LOAD CSV'}) RETURN n.show AS show, n.terminate",
    "MATCH (n) WHERE n.name = 'SHOW TRANSACTIONS' RETURN n",
    "RETURN $show AS x, {use: 1, load: 2} AS m",
    "// LOAD CSV in a comment\nMATCH (n) RETURN count(n)",
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.relationshipTypes()",
    "CALL db.schema.visualization()",
    "MATCH (n:Office) CALL { WITH n MATCH (n)<-[:organizer]-(v) RETURN count(v) AS c } RETURN n.name, c",
    "MATCH (n:Office) CALL (n) { MATCH (n)<-[:organizer]-(v) RETURN count(v) AS c } RETURN n.name, c",
    "MATCH (`show`:Office) RETURN `show`.name",
]


@pytest.mark.parametrize("query", ALLOWED)
def test_text_screen_lets_reads_through(query):
    screen_text(query, **LIMITS)


@pytest.mark.parametrize("query, params", [
    ("UNWIND range(1, 100000000) AS i RETURN count(i)", {}),
    ("RETURN size(range(0, $n))", {"n": 10**9}),
    ("RETURN range(1, 1000 * 1000 * 1000)", {}),
    ("RETURN range(1, toInteger('1000000000'))", {}),
    ("RETURN range(-5000000, 5)", {}),
    ("RETURN range(1, 10, 0)", {}),
])
def test_text_screen_bounds_range_lists(query, params):
    with pytest.raises(QueryRefused, match="range"):
        screen_text(query, **LIMITS, params=params)


def test_text_screen_lets_small_ranges_through():
    for query, params in [("UNWIND range(1, 1000) AS i RETURN i", {}), ("RETURN range(0, $n, 2)", {"n": 1_999_998}),
                          ("RETURN range(-3, 3)", {}), ("MATCH (n) RETURN n.range", {})]:
        screen_text(query, **LIMITS, params=params)


def test_every_allowed_procedure_is_a_schema_description():
    assert all(p.startswith("db.") and not p.startswith(("db.stats", "db.idx")) for p in PROCEDURES)


def nested_parens(n: int) -> str:
    return "RETURN " + "(" * n + "1" + ")" * n


@pytest.mark.parametrize("query, depth", [
    ("RETURN 1", 0),
    (nested_parens(5), 5),
    ("RETURN [[[1]]]", 3),
    ("RETURN {a: {b: [1]}}", 3),
    ("RETURN NOT NOT NOT true", 3),
    ("RETURN - - - 1", 3),
    ("RETURN 1 - 2 - 3", 0),
    ("RETURN CASE WHEN true THEN CASE WHEN false THEN 1 END END", 2),
    ("RETURN '((((((((((' AS s", 0),
])
def test_nesting_counts_levels_as_the_parser_recurses(query, depth):
    assert nesting(tokens(query)) == depth


def test_text_screen_bounds_size_and_nesting():
    screen_text(nested_parens(8), **LIMITS)
    for query in [nested_parens(9), "RETURN " + "NOT " * 9 + "true", "RETURN " + "[" * 9 + "]" * 9,
                  "RETURN " + "CASE WHEN true THEN " * 9 + "1" + " END" * 9]:
        with pytest.raises(QueryTooComplex, match="KG_CYPHER_MAX_DEPTH"):
            screen_text(query, **LIMITS)
    with pytest.raises(QueryTooComplex, match="KG_CYPHER_MAX_CHARS"):
        screen_text("RETURN 1" + " " * 10_000, **LIMITS)


@pytest.mark.parametrize("plan", [
    Plan([PlanStep("ProduceResults"), PlanStep("LoadCSV")]),
    Plan([PlanStep("Results"), PlanStep("Load CSV")]),
    Plan([PlanStep("ShowTransactions")]),
    Plan([PlanStep("TerminateTransactions")]),
    Plan([PlanStep("ShowSettings")]),
    Plan([PlanStep("ProcedureCall", "dbms.listConfig() :: (name :: STRING)")]),
    Plan([PlanStep("ProcedureCall", "db.stats.retrieve($section) :: (data :: MAP)")]),
])
def test_plan_screen_refuses_operators_beyond_reading(plan):
    with pytest.raises(QueryRefused):
        screen_plan(plan)


def test_plan_screen_lets_schema_procedures_and_scans_through():
    screen_plan(Plan([PlanStep("ProduceResults"), PlanStep("ProcedureCall", "db.labels() :: (label :: STRING)"),
                      PlanStep("NodeByLabelScan", "n:Office")]))
    screen_plan(Plan([PlanStep("Results"), PlanStep("ProcedureCall", "")]))  # FalkorDB names none


def test_capped_wraps_the_query_and_names_its_columns():
    assert capped("MATCH (n:Office) RETURN n.name, n.iri AS iri ORDER BY n.name LIMIT 5", 10) == (
        "CALL {\nMATCH (n:Office) RETURN n.name AS `n.name`, n.iri AS iri ORDER BY n.name LIMIT 5\n}\n"
        "RETURN `n.name`, `iri`\nLIMIT 11")


@pytest.mark.parametrize("query", [
    "MATCH (n) RETURN n UNION MATCH (m) RETURN m AS n",
    "MATCH (n) RETURN *",
    "CALL db.labels()",
    "MATCH (n) RETURN n.name AS x, n.iri AS x",
    "MATCH (n) RETURN n;",
])
def test_capped_leaves_what_it_does_not_understand(query):
    assert capped(query, 10) is None


SAME_WHEN_CAPPED = [
    "MATCH (n:Office) RETURN n.name ORDER BY n.name",
    "MATCH (n:Office) RETURN n.name AS name, size(n.name) ORDER BY name DESC LIMIT 3",
    "MATCH (n:Office) RETURN DISTINCT labels(n) AS labels",
    "MATCH (v:Visit)-[:organizer]->(o) RETURN o.name AS office, count(v) AS visits ORDER BY office",
    "MATCH (n:Office) WITH n ORDER BY n.name SKIP 1 RETURN n.name AS name, 'x' + n.name ORDER BY name",
    "UNWIND [3, 1, 2] AS i RETURN i, i * 2 AS twice ORDER BY i",
    "MATCH (n:Office) RETURN n.name AS `the name` ORDER BY `the name` LIMIT 2",
]


@pytest.mark.store
@pytest.mark.parametrize("query", SAME_WHEN_CAPPED)
def test_capped_gives_the_rows_and_columns_of_the_query(loaded_store, query):
    plain = loaded_store.read(query)
    wrapped = loaded_store.read(capped(query, 1000))
    assert wrapped.columns == plain.columns
    assert wrapped.rows == plain.rows and plain.rows


@pytest.mark.store
def test_analyst_query_is_cut_inside_the_store(loaded_store):
    settings = Settings(KG_QUERY_ROW_CAP=5)
    result = run_analyst_query(loaded_store, "UNWIND range(1, 1000) AS a UNWIND range(1, 1000) AS b "
                                             "RETURN a * 1000 + b - 1000 AS i", {}, settings)
    assert [r["i"] for r in result.rows] == [1, 2, 3, 4, 5] and result.truncated  # of 10^6 rows
    result = run_analyst_query(loaded_store, "UNWIND range(1, 5) AS i RETURN i", {}, settings)
    assert len(result.rows) == 5 and not result.truncated


@pytest.mark.store
def test_analyst_query_that_cannot_be_capped_runs_as_written(loaded_store):
    result = run_analyst_query(loaded_store, "RETURN 1 AS n UNION RETURN 2 AS n", {}, Settings())
    assert sorted(r["n"] for r in result.rows) == [1, 2]
    result = run_analyst_query(loaded_store, "RETURN 1 + 1", {}, Settings())
    assert result.columns == ["1 + 1"] and result.rows == [{"1 + 1": 2}]


@pytest.mark.store
@pytest.mark.parametrize("query", [
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "MATCH (n) WITH count(n) AS c LOAD CSV FROM 'http://127.0.0.1:9/x' AS line RETURN line",
])
def test_the_plan_screen_catches_load_csv_on_each_store(loaded_store, query):
    with pytest.raises(QueryRefused):
        screen_plan(loaded_store.plan(query))


@pytest.mark.store
@pytest.mark.parametrize("query", REFUSED[:6] + ["CALL db.stats.retrieve('GRAPH COUNTS')"])
def test_analyst_queries_are_refused_before_they_run(loaded_store, query):
    with pytest.raises(QueryRefused):
        run_analyst_query(loaded_store, query, {}, Settings())


@pytest.mark.store
def test_analyst_writes_stay_refused(loaded_store):
    with pytest.raises(ReadOnlyViolation):
        run_analyst_query(loaded_store, "CREATE (n:Intruder) RETURN n", {}, Settings())
    assert loaded_store.read("MATCH (n:Intruder) RETURN count(n) AS c").rows == [{"c": 0}]


@pytest.mark.store
def test_the_store_itself_reads_no_file_and_no_url(loaded_store):
    """Below the screens: the Neo4j test server, like docker-compose.yml, turns LOAD CSV's file
    and URL access off; FalkorDB reads only its import folder. A query past the checks still
    reads nothing."""
    for url in ["file:///etc/passwd", "http://127.0.0.1:9/x"]:
        with pytest.raises(QueryError) as refused:
            loaded_store.read(f"LOAD CSV FROM '{url}' AS line RETURN line")
        assert not isinstance(refused.value, ReadOnlyViolation)  # refused for what it reads
