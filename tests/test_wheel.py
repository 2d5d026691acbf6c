"""A plain (non-editable) install from the wheel finds its ontology and queries without settings.

The wheel is built offline (hatchling from the test venv, --no-build-isolation) and installed
with --no-deps into a fresh venv outside the repo; that venv sees the test venv's packages
through a .pth line (a path, so the test venv's own editable install of this checkout is not
picked up), which spares downloading and building the dependencies again.
"""

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.support.paths import ROOT, SAMPLE_ANNOTATIONS

TIMEOUT = 300


def _run(args, **kwargs):
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=TIMEOUT,
                          **kwargs)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(bin dir, environment) of a venv holding only the wheel of this checkout."""
    base = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
          "-w", base / "dist", ROOT])
    wheel, = (base / "dist").glob("newskg-*.whl")
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
                   .stdout.strip())
    (purelib / "test-venv-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel])
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KG_", "NEO4J_")) and k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"KG_STORE": "embedded", "KG_DATA_DIR": str(base / "data")}
    work = base / "elsewhere"  # no checkout here, nor a .env
    work.mkdir()
    return venv / "bin", env, work


def test_the_installed_package_is_the_wheel_with_its_files(installed):
    bin_dir, env, work = installed
    env = {k: v for k, v in env.items() if k != "KG_DATA_DIR"}
    shown = _run([bin_dir / "python", "-c",
                  "import kg, kg.config as c; s = c.get_settings(); print(kg.__file__); "
                  "print(s.ontology_dir); print(s.queries_dir); print(s.kg_data_dir)"],
                 env=env, cwd=work).stdout.split()
    venv = str(bin_dir.parent)
    assert all(line.startswith(venv) for line in shown[:3]), shown
    assert (Path(shown[1]) / "kg.ttl").is_file()
    assert {p.name for p in Path(shown[2]).glob("*.cypher")} == \
        {p.name for p in (ROOT / "queries").glob("*.cypher")}
    assert shown[3] == ".kg-data"  # under the working directory, not inside the venv


def test_queries_load_and_query_from_a_wheel_install(installed):
    bin_dir, env, work = installed
    kg = bin_dir / "kg"
    listed = json.loads(_run([kg, "queries", "--json"], env=env, cwd=work).stdout)
    assert "villages_visited_by_office" in {r["name"] for r in listed["rows"]}
    loaded = _run([kg, "load", SAMPLE_ANNOTATIONS], env=env, cwd=work)
    assert "loaded 5 article(s)" in loaded.stdout
    rows = json.loads(_run([kg, "query", "villages_visited_by_office", "--json"], env=env,
                           cwd=work).stdout)["rows"]
    assert rows and all(r for r in rows)


def test_a_queries_folder_without_queries_is_an_error_naming_it(installed, tmp_path):
    bin_dir, env, work = installed
    done = subprocess.run([bin_dir / "kg", "queries"], env={**env, "KG_QUERIES_DIR": str(tmp_path)},
                          cwd=work, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 1
    assert str(tmp_path) in done.stderr and "KG_QUERIES_DIR" in done.stderr
