"""No Docker engine here: what `docker compose config` would check, and the shape of the stack.

The compose file is interpolated as compose does (${VAR}, ${VAR:-default}, ${VAR:?error}, $$)
and validated against the Compose Specification's JSON schema, the copy check-jsonschema
vendors (Apache-2.0, with its licence in that package).
"""

import json
import re
from importlib.resources import files

import pytest
import yaml
from jsonschema import Draft202012Validator

from tests.support.paths import ROOT

PASSWORD = "invented-pass-9"
_VAR = re.compile(r"\$\$|\$\{(\w+)(?:(:?[-?])([^}]*))?\}|\$(\w+)")


class Unset(Exception):
    """A ${VAR:?message} whose variable is unset or empty: compose stops with the message."""


def interpolate(value, env: dict):
    """Compose's variable substitution over the parsed file (strings only, as compose does)."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(m: re.Match) -> str:
        if m.group(0) == "$$":
            return "$"
        name = m.group(1) or m.group(4)
        given, op, arg = env.get(name), m.group(2), m.group(3)
        missing = given is None or (given == "" and op and op.startswith(":"))
        if op and op.endswith("?") and missing:
            raise Unset(f"{name}: {arg}")
        if op and op.endswith("-") and missing:
            return arg
        return given or ""

    return _VAR.sub(one, value)


def _raw():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _compose(env=None):
    return interpolate(_raw(), {"NEO4J_PASSWORD": PASSWORD} if env is None else env)


def _schema():
    text = (files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json").read_text("utf-8")
    return json.loads(text)


def test_the_compose_file_is_valid_for_the_compose_specification():
    errors = sorted(Draft202012Validator(_schema()).iter_errors(_compose()), key=str)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_schema_check_would_catch_a_mistake():
    broken = _compose()
    broken["services"]["api"]["depends_on"]["loader"]["condition"] = "service_done"
    assert list(Draft202012Validator(_schema()).iter_errors(broken))


def test_compose_stops_without_a_neo4j_password_and_says_how_long_it_must_be():
    with pytest.raises(Unset, match="NEO4J_PASSWORD: .*8 characters"):
        _compose({})
    with pytest.raises(Unset):
        _compose({"NEO4J_PASSWORD": ""})
    assert "8 characters" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_neo4j_service_is_5_26_with_auth_volume_and_healthcheck():
    neo4j = _compose()["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5.26")
    assert neo4j["environment"]["NEO4J_AUTH"] == f"neo4j/{PASSWORD}"
    assert any(v.endswith(":/data") for v in neo4j["volumes"])
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])


def test_the_neo4j_healthcheck_authenticates_with_a_variable_set_in_that_container():
    neo4j = _compose()["services"]["neo4j"]
    check = " ".join(neo4j["healthcheck"]["test"])
    # compose turned $$ into $: the shell in the container expands these, from its environment
    used = set(re.findall(r"\$\{(\w+)", check))
    assert used and used <= set(neo4j["environment"]), (used, neo4j["environment"])
    # the expansion gives the password: ${NEO4J_AUTH#*/} of "neo4j/<password>"
    auth = neo4j["environment"]["NEO4J_AUTH"]
    assert "${NEO4J_AUTH#*/}" in check and auth.split("/", 1)[1] == PASSWORD
    assert re.search(r"-u neo4j\b", check) and "-p " in check


def test_api_and_loader_use_neo4j_once_it_is_healthy():
    services = _compose()["services"]
    for name in ("api", "loader"):
        svc = services[name]
        assert svc["environment"]["KG_STORE"] == "neo4j"
        assert svc["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
        assert svc["environment"]["NEO4J_PASSWORD"] == PASSWORD
        assert svc["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert services["loader"]["command"][:2] == ["kg", "load"]
    assert (ROOT / services["loader"]["command"][2]).exists()


def test_the_api_serves_only_after_the_loader_completed():
    api = _compose()["services"]["api"]
    assert api["depends_on"]["loader"]["condition"] == "service_completed_successfully"


def test_one_image_built_once():
    services = _compose()["services"]
    building = [name for name, svc in services.items() if "build" in svc]
    assert building == ["loader"]
    assert services["api"]["image"] == services["loader"]["image"]
    assert services["loader"]["healthcheck"] == {"disable": True}  # the image's check is the API's


def test_the_api_container_gets_a_fixed_worker_count():
    workers = _compose()["services"]["api"]["environment"]["KG_API_WORKERS"]
    assert workers.isdigit() and 1 <= int(workers) <= 4


def _stages():
    """The Dockerfile's stages: [(FROM line, [instructions])]."""
    stages = []
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("FROM "):
            stages.append((line, []))
        elif line and not line.startswith((" ", "#")) and stages:
            stages[-1][1].append(line)
    return stages


def test_dockerfile_builds_in_one_stage_and_runs_in_another_without_the_compiler_nor_root():
    stages = _stages()
    assert len(stages) >= 2 and all(line.startswith("FROM python:3.12") for line, _ in stages)
    build, run = stages[0][1], stages[-1][1]
    assert any("build-essential" in i for i in build) and not any("build-essential" in i for i in run)
    assert any(i.startswith("COPY --from=") for i in run)
    user = [i.split()[1] for i in run if i.startswith("USER ")]
    assert user and user[-1] not in ("root", "0")
    assert any(i.startswith("HEALTHCHECK") for i in run)
    assert any('"serve"' in i for i in run if i.startswith("CMD"))


def test_dockerfile_installs_with_the_constraints_and_ships_the_sample():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "--constraint constraints.txt" in text and (ROOT / "constraints.txt").is_file()
    # the dependencies (redis built from source) in a layer the code does not invalidate
    assert text.index("-r requirements.txt") < text.index("COPY kg ")
    assert "COPY data/sample" in text
    assert "KG_ONTOLOGY_DIR" not in text and "KG_QUERIES_DIR" not in text  # the wheel has them
