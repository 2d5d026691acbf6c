"""What the `kg` commands print: whole values in tables, piped or on a narrow terminal, and
progress with its total on a terminal's stderr only (the real command, under a pseudo-terminal)."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
import fcntl

import pytest
from rich.console import Console

from kg.ask.queries import QueryLibrary
from kg.cli import console
from kg.config import get_settings
from tests.cli.test_reader import ARTICLE
from tests.support.paths import ROOT, SAMPLE_ANNOTATIONS, SAMPLE_PAGE

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


def test_piped_queries_are_tab_separated_with_every_full_name(kg):
    result = kg("queries")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["name", "parameters", "columns", "description"]
    names = [line.split("\t")[0] for line in lines[1:]]
    assert all(len(line.split("\t")) == 4 for line in lines[1:])
    assert names == list(QueryLibrary.load(get_settings().queries_dir).queries)
    assert len(set(names)) == len(names) and "sites_visited_by_office" in names
    assert "row(s)" not in result.stdout  # the count is for people: stderr


def test_tsv_keeps_each_row_one_line_and_each_field_one_column():
    rows = [{"a": "tab\there", "b": "two\nlines"}, {"a": None, "b": ["x", "y"]}, {"a": "c:\\d", "b": 3}]
    lines = console.tsv_lines(["a", "b"], rows)
    assert lines == ["a\tb", "tab\\there\ttwo\\nlines", '\t["x", "y"]', "c:\\\\d\t3"]


def test_a_table_on_a_narrow_terminal_wraps_and_loses_nothing(monkeypatch):
    names = ["sites_visited_by_office_in_a_very_long_name", "sites_visited_by_office_again_长名字的查询",
             "short"]
    screen = io.StringIO()
    monkeypatch.setattr(console, "out", Console(file=screen, width=30, force_terminal=True,
                                                color_system=None, soft_wrap=True))
    console.print_table(["name", "note"], [{"name": n, "note": "x" * 40} for n in names], "3 row(s)")
    text = screen.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 30
    body = [line for line in text.splitlines() if line.startswith("│")]  # the header has ┃
    first_column = "".join(line.split("│")[1].strip() for line in body)
    assert first_column == "".join(names)
    assert text.rstrip().endswith("3 row(s)")


def test_version(kg):
    import kg as package
    from importlib.metadata import version

    result = kg("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"kg (newskg) {package.__version__}"
    assert package.__version__ == version("newskg")  # the one in pyproject.toml


def test_choices_are_enums_that_name_every_choice(kg):
    result = kg("export", "--format", "rdfxml")
    assert result.exit_code == 2
    assert "'turtle'" in result.output and "'jsonld'" in result.output
    assert kg("serve", "--log-level", "loud").exit_code == 2
    from kg.cli.main import RdfFormat
    from kg.graph.export import FORMATS

    assert {f.value for f in RdfFormat} == set(FORMATS)  # the choices are what export can write


def test_reports_as_json(kg, tmp_path):
    loaded = kg("load", SAMPLE_ANNOTATIONS, "--json")
    assert loaded.exit_code == 0, loaded.output
    report = json.loads(loaded.stdout)
    assert report["loaded"] == 5 and report["triples"] > 0 and report["failed"] == []
    assert report["articles"] == [f"page-000-a{i}" for i in range(1, 6)]

    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    failed = kg("load", bad, "--json")
    assert failed.exit_code == 1
    [failure] = json.loads(failed.stdout)["failed"]
    assert failure["file"] == str(bad) and failure["line"] == 1 and failure["error"] == "InputError"

    out = tmp_path / "g.ttl"
    exported = kg("export", "-o", out, "--json")
    assert exported.exit_code == 0, exported.output
    report = json.loads(exported.stdout)
    assert report["format"] == "turtle" and report["triples"] > 1000 and out.stat().st_size > 0
    assert kg("export", "--json").exit_code == 2  # the report and the RDF cannot share stdout

    validated = json.loads(kg("ontology", "validate", "--json").stdout)
    assert validated["valid"] and validated["problems"] == []

    emptied = kg("reset", "--yes", "--json")
    assert json.loads(emptied.stdout) == {"emptied": True}
    assert json.loads(kg("stats", "--json").stdout)["nodes"] == 0


def _on_a_terminal(args: list, env: dict, columns: int = 100) -> tuple[int, str, str]:
    """Run `kg ARGS` with stderr on a pseudo-terminal and stdout on a pipe: (exit code, what
    the terminal showed, stdout)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", *map(str, args)], cwd=ROOT,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    shown = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        stdout, _ = proc.communicate(timeout=300)
    finally:
        reader.join(10)
        os.close(master)
    return proc.returncode, ANSI.sub("", shown.decode("utf-8", "replace")), stdout.decode()


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "KG_STORE": "embedded", "KG_DATA_DIR": str(tmp_path / "data"),
            "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}


def test_progress_with_its_total_on_a_terminal_only(env, kg, tmp_path):
    code, shown, stdout = _on_a_terminal(["load", SAMPLE_ANNOTATIONS], env)
    assert code == 0, shown
    assert "loading articles" in shown and "5/5" in shown
    assert stdout.strip().startswith("loaded 5 article(s)")  # the report, no bar in it
    code, shown, stdout = _on_a_terminal(["validate"], env)
    assert code == 0, shown
    nodes = json.loads(subprocess.run([sys.executable, "-m", "kg.cli", "stats", "--json"], cwd=ROOT,
                                      env=env, capture_output=True, check=True).stdout)
    assert "validating nodes" in shown
    assert re.search(r"(\d+)/\1\b", shown), shown  # done of the total, at the end
    assert nodes["nodes"] > 0
    code, shown, stdout = _on_a_terminal(["export", "-o", tmp_path / "g.ttl"], env)
    assert code == 0 and "exporting" in shown and re.search(r"(\d+)/\1\b", shown), shown
    code, shown, _ = _on_a_terminal(["annotate", SAMPLE_PAGE, "-o", tmp_path / "p.jsonl"], env)
    assert code == 0 and "annotating files" in shown and "1/1" in shown, shown
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "g1.json").write_text(json.dumps({"id": "g1", "text": ARTICLE, "facts": {
        "visits": [], "posts": [], "memberships": [], "entities": [],
        "bylines": {"reporters": [], "correspondents": []}}}, ensure_ascii=False), encoding="utf-8")
    code, shown, stdout = _on_a_terminal(["eval", gold], env)
    assert code == 0 and "reading gold articles" in shown and "1/1" in shown, shown
    assert "visits" in stdout
    # not on a terminal: the report alone
    assert "loading articles" not in kg("load", SAMPLE_ANNOTATIONS).output
