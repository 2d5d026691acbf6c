"""Settings that decide how the app runs."""

import json
import os
import subprocess
import sys

import pytest

from kg.config import PROJECT_ROOT, Settings, available_cpus, load_settings, quota_cpus
from kg.errors import ConfigError


def test_serve_workers_two_per_cpu_on_neo4j_unless_set():
    assert Settings(KG_STORE="neo4j").serve_workers() == 2 * available_cpus()
    assert Settings(KG_STORE="neo4j", KG_API_WORKERS=3).serve_workers() == 3


@pytest.mark.parametrize("cpu_max, cpus", [("200000 100000\n", 2), ("150000 100000", 2),
                                            ("50000 100000", 1), ("max 100000", None), ("", None)])
def test_a_cgroup_quota_in_cpus(cpu_max, cpus):
    assert quota_cpus(cpu_max) == cpus


def test_available_cpus_is_capped_by_the_container_quota(tmp_path):
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text("100000 100000\n")
    assert available_cpus(cpu_max) == 1
    assert available_cpus(tmp_path / "none") == len(os.sched_getaffinity(0))


def test_ontology_and_queries_default_to_the_checkout_without_a_wheel(monkeypatch):
    monkeypatch.delenv("KG_ONTOLOGY_DIR", raising=False)
    monkeypatch.delenv("KG_QUERIES_DIR", raising=False)
    s = load_settings()
    assert s.ontology_dir == PROJECT_ROOT / "ontology" and s.queries_dir == PROJECT_ROOT / "queries"
    monkeypatch.setenv("KG_QUERIES_DIR", "/elsewhere/queries")
    assert load_settings().queries_dir.as_posix() == "/elsewhere/queries"


def test_serve_workers_always_one_on_the_embedded_store():
    assert Settings(KG_STORE="embedded").serve_workers() == 1
    assert Settings(KG_STORE="embedded", KG_API_WORKERS=4).serve_workers() == 1


@pytest.mark.parametrize("written, keys", [("secret", ["secret"]), ("a, b", ["a", "b"]),
                                           ("", []), ('["a", "b"]', ["a", "b"])])
def test_lists_as_people_write_them(monkeypatch, written, keys):
    monkeypatch.setenv("KG_API_KEYS", written)
    monkeypatch.setenv("KG_CORS_ORIGINS", "http://localhost:3000")
    s = load_settings()
    assert s.api_keys == keys and s.cors_origins == ["http://localhost:3000"]


def test_store_name_in_any_case(monkeypatch):
    monkeypatch.setenv("KG_STORE", "Neo4j")
    assert load_settings().kg_store == "neo4j"


@pytest.mark.parametrize("variable, value, says", [
    ("KG_STORE", "mysql", "setting KG_STORE='mysql': it takes one of 'embedded', 'neo4j'"),
    ("KG_QUERY_TIMEOUT", "soon", "setting KG_QUERY_TIMEOUT='soon'"),
    ("KG_API_KEYS", "[a", "setting KG_API_KEYS=(set): not a JSON list")])
def test_a_bad_setting_is_one_line_naming_it(monkeypatch, variable, value, says):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert str(err.value).startswith(says) and "\n" not in str(err.value)


def test_kg_settings_lists_every_variable_and_hides_secrets(kg, monkeypatch):
    monkeypatch.setenv("KG_API_KEYS", "topsecret")
    result = kg("settings", "--json")
    assert result.exit_code == 0, result.output
    rows = {r["variable"]: r for r in json.loads(result.output)["rows"]}
    assert set(rows) == {f.alias for f in Settings.model_fields.values()}
    assert rows["KG_API_KEYS"]["value"] == "(set)" and "topsecret" not in result.output
    assert all(r["description"] for r in rows.values())


def test_a_bad_setting_stops_the_command_with_one_line(tmp_path):
    env = {**os.environ, "KG_STORE": "mysql", "KG_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "kg.cli", "stats"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "error: setting KG_STORE='mysql': it takes one of 'embedded', 'neo4j'"]
