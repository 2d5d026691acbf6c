"""The `kg` command as a user runs it, on an embedded store in a tmp dir: kg("load", path)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kg.cli.main import app
from kg.config import get_settings


@pytest.fixture
def kg(tmp_path, monkeypatch):
    runner = CliRunner()
    monkeypatch.setenv("KG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KG_STORE", "embedded")
    get_settings.cache_clear()

    def run(*args):
        return runner.invoke(app, [str(a) for a in args])

    yield run
    get_settings.cache_clear()
