"""A client generated from the OpenAPI document by a maintained generator (openapi-python-client)
compiles, imports, and decodes what the served app answers: a page of visits, a 404 and a 422
as Problem objects. The app runs under uvicorn on a free port, on the embedded store."""

from __future__ import annotations

import compileall
import importlib
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from api.main import create_app
from kg.config import Settings
from tests.support.store_fixtures import empty_store, loaded

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "newskg_client"


@pytest.fixture(scope="module")
def server(request, ontology):
    store = loaded(empty_store(request, "embedded"), ontology)
    app = create_app(Settings(), store=store)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    served = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not served.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield app, f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(10)
    store.clear()


@pytest.fixture(scope="module")
def client_package(server, tmp_path_factory):
    """The generated package, imported: (the package, its api modules' parent)."""
    app, _ = server
    root = tmp_path_factory.mktemp("generated")
    spec = root / "openapi.json"
    spec.write_text(json.dumps(app.openapi(), ensure_ascii=False), encoding="utf-8")
    config = root / "config.yaml"
    config.write_text("post_hooks: []\n", encoding="utf-8")  # no formatter run: nothing to fetch
    done = subprocess.run([str(GENERATOR), "generate", "--path", str(spec), "--output-path",
                           str(root / PACKAGE), "--meta", "none", "--config", str(config)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    assert compileall.compile_dir(root / PACKAGE, quiet=1)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def test_every_generated_module_imports(client_package):
    root = Path(client_package.__file__).parent
    modules = [".".join(p.relative_to(root.parent).with_suffix("").parts)
               for p in root.rglob("*.py") if p.name != "__init__.py"]
    assert any(m.endswith("api.visits.list_visits") for m in modules)
    for module in modules:
        importlib.import_module(module)


def test_the_client_decodes_visits_a_404_and_a_422(client_package, server):
    _, base_url = server
    list_visits = importlib.import_module(f"{PACKAGE}.api.visits.list_visits")
    get_entity = importlib.import_module(f"{PACKAGE}.api.entities.get_entity")
    models = importlib.import_module(f"{PACKAGE}.models")
    with client_package.Client(base_url=base_url, raise_on_unexpected_status=True) as client:
        page = list_visits.sync(client=client, site="柿园吴村")
        assert isinstance(page, models.VisitPage)
        assert [v.organizers[0].name for v in page.items] == ["新港办事处"]
        assert page.items[0].participant_count == 30

        missing = get_entity.sync_detailed(client=client, id="org-0000000000000000")
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("application/problem+json")
        problem = missing.parsed
        assert isinstance(problem, models.Problem)
        assert problem.status == 404 and problem.type_.endswith("/problems/not-found")
        assert problem.instance == "/api/v1/entities/org-0000000000000000"

        invalid = list_visits.sync_detailed(client=client, limit=0)
        assert invalid.status_code == 422
        problem = invalid.parsed
        assert isinstance(problem, models.Problem)
        assert problem.type_.endswith("/problems/invalid-parameter")
        [error] = problem.errors
        assert isinstance(error, models.ParameterError)
        assert error.parameter == "limit" and error.in_ == "query"
