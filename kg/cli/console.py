"""What every `kg` command prints, and where: reports on stdout, errors and progress on stderr.

Nothing is ever cut to fit: on a terminal a table wraps its cells within the width; piped or
redirected, a table is tab-separated lines (a header, then one line per row) that `cut`, `awk`
or a spreadsheet take as they are. Progress shows only when stderr is a terminal, so a log or a
pipe gets the report and nothing else.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from rich.table import Table

from kg.errors import KGError

# soft_wrap: a long line is the terminal's to wrap; rich would otherwise break it at 80 columns
# when the output is not a terminal, with newlines of its own in the middle of a value
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def fail(exc: KGError) -> None:
    """A project error: one line on stderr, exit code 1."""
    err.print(f"[bold red]error:[/] {exc}", markup=True)
    raise typer.Exit(1)


def say(text: str) -> None:
    """A line of a report, printed as it is (no markup, no highlighting)."""
    out.print(text, markup=False)


def warn(text: str) -> None:
    err.print(text, markup=False)


def report_failures(failed: Sequence[Exception], verb: str = "skipped") -> None:
    for failure in failed:
        err.print(f"[red]{verb}:[/] ", markup=True, end="")
        err.print(str(failure), markup=False)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def failure_json(exc: Exception) -> dict:
    """An error of an article or a file as JSON: its kind, its message and where, when known."""
    data: dict[str, Any] = {"error": type(exc).__name__, "message": str(exc)}
    for key in ("file", "line", "field", "article"):
        value = getattr(exc, key, None)
        if value is not None:
            data[key] = value
    return data


def cell(value: Any) -> str:
    """A value as table text: nothing for null, JSON for lists and objects."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def tsv_field(text: str) -> str:
    """A field of a tab-separated line: a tab, newline or backslash in it is escaped, so each
    row stays one line and each field one column."""
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def tsv_lines(columns: Sequence[str], rows: Sequence[dict]) -> list[str]:
    return ["\t".join(tsv_field(c) for c in columns)] + [
        "\t".join(tsv_field(cell(row.get(c))) for c in columns) for row in rows]


def print_table(columns: Sequence[str], rows: Sequence[dict], footer: str | None = None) -> None:
    """Rows under their column names, every value whole. The footer (a count, a note) goes
    under the table on a terminal, to stderr otherwise: stdout stays the rows alone."""
    if not out.is_terminal:
        sys.stdout.write("".join(line + "\n" for line in tsv_lines(columns, rows)))
        sys.stdout.flush()
        if footer:
            warn(footer)
        return
    cells = [[cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([cell_len(c)] + [cell_len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    wraps = sum(widths) + 3 * len(columns) + 1 > out.width
    table = Table(show_lines=wraps)  # wrapped rows would run together unless ruled apart
    for column in columns:
        table.add_column(column, overflow="fold")  # wrapped, even inside a word: never cut
    for row in cells:
        table.add_row(*row)
    out.print(table, soft_wrap=False, crop=False)  # too narrow even so: the terminal wraps
    if footer:
        say(footer)


class Ticker:
    """Advances a progress bar; does nothing when there is none to show."""

    def __init__(self, progress: Progress | None = None, task=None) -> None:
        self._progress, self._task = progress, task

    def advance(self, n: int) -> None:
        """n more done."""
        if self._progress is not None:
            self._progress.advance(self._task, n)

    def tick(self, *_what) -> None:
        """One more done (whatever the callback says about it)."""
        self.advance(1)

    def update(self, done: int) -> None:
        """Set how much is done (for work that reports a running count)."""
        if self._progress is not None:
            self._progress.update(self._task, completed=done)


@contextmanager
def progress(description: str, total: int | None) -> Iterator[Ticker]:
    """A bar with the known total on stderr, gone when the work ends; on a terminal only."""
    if not total or not err.is_terminal:
        yield Ticker()
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=err,
                  transient=True) as bar:
        yield Ticker(bar, bar.add_task(description, total=total))
