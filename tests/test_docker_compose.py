"""No Docker engine here: check the compose file's shape instead of running it."""


import yaml
from tests.support.paths import ROOT



def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_neo4j_service_is_5_26_with_auth_volume_and_healthcheck():
    neo4j = _compose()["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5.26")
    assert "NEO4J_PASSWORD" in neo4j["environment"]["NEO4J_AUTH"]
    assert any(v.endswith(":/data") for v in neo4j["volumes"])
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])


def test_api_and_loader_use_neo4j_once_it_is_healthy():
    services = _compose()["services"]
    for name in ("api", "loader"):
        svc = services[name]
        assert svc["build"] == "."
        assert svc["environment"]["KG_STORE"] == "neo4j"
        assert svc["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
        assert svc["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert services["loader"]["command"][:2] == ["kg", "load"]
    assert (ROOT / services["loader"]["command"][2]).exists()
    assert (ROOT / "Dockerfile").exists()


def test_dockerfile_serves_the_api():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.12" in text and '"serve"' in text
