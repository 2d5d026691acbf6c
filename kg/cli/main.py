"""`kg`: load articles, ask the graph, look at it, serve it.

Thin: every command reads settings, opens the configured store and calls the module that does
the work. Errors of the project (KGError) are printed as one clear message, exit code 1.

Each command imports the modules it uses when it runs: spaCy, rdflib, pyshacl and the store
drivers cost seconds of start-up that `kg --help`, `kg queries` or a load of annotation exports
should not pay for the others'.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator, Optional, TextIO

import typer

import kg
from kg.ask.analyst import run_analyst_query
from kg.cli.console import (err, fail as _fail, failure_json, out, print_json, print_table, progress,
                            report_failures as _report_failures, say)
from kg.config import Settings, get_settings
from kg.errors import KGError

app = typer.Typer(help="A knowledge graph of what offices and party organisations do, from local news.",
                  no_args_is_help=True, pretty_exceptions_enable=False)

JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable JSON instead of text")]


def _show_version(value: bool) -> None:
    if value:
        say(f"kg (newskg) {kg.__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option(
        "--version", callback=_show_version, is_eager=True,
        help="print the version and exit")] = False) -> None:
    """A knowledge graph of what offices and party organisations do, from local news."""


def _store(settings: Settings):
    from kg.graph.stores import open_store

    return open_store(settings)


def _on_store(work):
    """work(store) on the configured store; a KGError is the command's one-line failure."""
    try:
        with _store(get_settings()) as store:
            return work(store)
    except KGError as exc:
        _fail(exc)


def _ontology(settings: Settings):
    from kg.ontology import Ontology

    return Ontology.load(settings.ontology_dir)


def _print_rows(columns: list[str], rows: list[dict], as_json: bool, truncated: bool = False) -> None:
    if as_json:
        print_json({"columns": columns, "rows": rows, "truncated": truncated})
        return
    print_table(columns, rows, f"{len(rows)} row(s)" + (" (cut at the row cap)" if truncated else ""))


def _params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"expected key=value, got {pair!r}", param_hint="-p")
        params[key.strip()] = value
    return params


@app.command()
def load(paths: Annotated[list[Path], typer.Argument(
        help="annotation exports (doccano .jsonl, Label Studio .json), or raw text to annotate "
             "automatically: a newspaper page or article (.txt), article objects (.json)")],
         batch_size: Annotated[Optional[int], typer.Option(help="articles per transaction")] = None,
         as_json: JsonOpt = False) -> None:
    """Load articles into the graph; an article with bad input is reported and skipped.

    Raw pages and articles are read and annotated by the rule annotator; an annotation file for
    the same article id (a corrected `kg annotate` output) replaces what it contributed."""
    from kg.read.sources import read_all
    from loaders.pipeline import LoadPipeline

    settings = get_settings()
    started = time.perf_counter()
    items = read_all(paths)  # read lazily, article by article, as the pipeline asks
    try:
        ontology = _ontology(settings)
        with _store(settings) as store:  # connected when the first batch is written
            pipeline = LoadPipeline(store, ontology,
                                    batch_size=batch_size or settings.batch_articles)
            with progress("loading articles", _article_total(paths)) as bar:
                report = pipeline.run(items, on_article=bar.tick)
    except KGError as exc:
        _fail(exc)
    _report_failures(report.failed)
    if as_json:
        print_json({"loaded": len(report.loaded), "articles": list(dict.fromkeys(report.loaded)),
                    "triples": report.triples, "failed": [failure_json(f) for f in report.failed],
                    "seconds": round(time.perf_counter() - started, 3)})
    else:
        say(f"loaded {len(report.loaded)} article(s), {report.triples} triples; "
            f"{len(report.failed)} failed")
    if report.failed:
        raise typer.Exit(1)


def _article_total(paths: list[Path]) -> int | None:
    """The articles in the files, for the progress bar: read once more before the load (reading
    is a small part of a load), and only when there is a bar to show."""
    from kg.read.sources import read_all

    if not err.is_terminal:
        return None
    return sum(1 for item in read_all(paths) if not isinstance(item, KGError))


def _write(path: Path, text: str) -> None:
    """Write an output file, or stop with one line saying why not."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        err.print(f"[bold red]error:[/] cannot write {path}: {exc.strerror or exc}", markup=True)
        raise typer.Exit(1)


@app.command()
def annotate(paths: Annotated[list[Path], typer.Argument(
                 help="raw text: newspaper pages or articles (.txt), article objects (.json)")],
             output: Annotated[Path, typer.Option("-o", "--output",
                                                  help="doccano relation JSONL to write")],
             jobs: Annotated[Optional[int], typer.Option(
                 "--jobs", "-j", min=1, help="processes annotating (default: every core; 1: this "
                                             "one). One file or little text stays in this process")] = None,
             as_json: Annotated[bool, typer.Option("--json", help="print a JSON report on stdout")] = False,
             ) -> None:
    """Annotate raw articles automatically and write them as doccano JSONL, to correct and load.

    Article ids are the ones `kg load` gives the same files, so loading the corrected file
    replaces the automatic annotations of those articles. Many files are annotated by a pool of
    processes; the file is the same, in the order of the input, whatever --jobs."""
    from kg.cli.annotate import annotate_files

    started = time.perf_counter()
    with progress("annotating files", len(paths)) as bar:
        result = annotate_files(paths, jobs, on_files=bar.advance)
    _write(output, "".join(result.lines))
    seconds = time.perf_counter() - started
    written = len(result.lines)
    _report_failures(result.failed)
    err.print(f"annotated {written} article(s) into {output}; {len(result.failed)} failed")
    if as_json:
        sys.stdout.write(json.dumps({
            "output": str(output), "files": len(paths), "articles": written,
            "failed": len(result.failed), "chars": result.chars, "jobs": result.jobs,
            "seconds": round(seconds, 3),
            "articles_per_s": round(written / seconds, 1) if seconds else None,
            "chars_per_s_per_core": round(result.chars / seconds / result.jobs) if seconds else None,
            "failures": [failure_json(f) for f in result.failed],
        }, ensure_ascii=False) + "\n")
    if result.failed or not written:
        raise typer.Exit(1)


@app.command()
def extract(paths: Annotated[list[Path], typer.Argument(
                help="raw pages/articles (.txt, .json articles) or annotation exports")],
            as_json: JsonOpt = False) -> None:
    """Facts of each article, read back from a fresh temporary graph with the facts_* queries."""
    from kg.eval.readback import facts_via_store
    from kg.read.sources import read_all

    try:
        with progress("extracting articles", _article_total(paths)) as bar:
            facts, report = facts_via_store(read_all(paths), get_settings(), bar.tick)
    except KGError as exc:
        _fail(exc)
    _report_failures(report.failed)
    rows = [{"id": aid, "facts": f} for aid, f in facts.items()]
    if as_json:
        print_json(rows)
    else:
        for row in rows:
            f = row["facts"]
            say(f"{row['id']}: {len(f['visits'])} visit(s), {len(f['posts'])} post(s), "
                f"{len(f['memberships'])} membership(s), {len(f['entities'])} entities")
    if report.failed:
        raise typer.Exit(1)


def _gold(directories: list[Path]) -> tuple[dict[str, dict], dict[str, str]]:
    """Gold articles of the folders ({id: gold}, {id: file}); a folder without any, or an id
    given twice, is an error naming the file."""
    from kg.eval.gold import gold_files, gold_id
    from kg.errors import InputError

    gold: dict[str, dict] = {}
    origins: dict[str, str] = {}
    for directory in directories:
        found = list(gold_files(directory)) if directory.is_dir() else []
        if not found:
            raise InputError("no gold articles (*.json with text and facts)", file=str(directory))
        for path, obj in found:
            aid = gold_id(path, obj)
            if aid in gold:
                raise InputError(f"article id {aid} is also in {origins[aid]}", file=str(path))
            gold[aid], origins[aid] = obj, str(path)
    return gold, origins


@app.command("eval")
def evaluate(directories: Annotated[list[Path], typer.Argument(
                 help="folders of gold articles (*.json with text and facts)")],
             as_json: JsonOpt = False,
             errors: Annotated[bool, typer.Option(
                 "--errors", help="list missed and extra facts (not with --folds)")] = False,
             folds: Annotated[Optional[int], typer.Option(
                 "--folds", min=2,
                 help="K-fold cross-validation instead: per fold train a model on the other "
                      "folds' gold and score the held-out articles with rules only and with "
                      "rules + model. Facts are taken from the annotations directly, not through "
                      "a store, for speed")] = None,
             ) -> None:
    """Score the whole pipeline (annotate, load, read back) against gold facts (FACTS.md)."""
    from kg.eval.score import format_table, score
    from kg.model import Article

    try:
        gold, origins = _gold(directories)
    except KGError as exc:
        _fail(exc)
    if folds is not None:
        _cross_validate(gold, origins, folds, as_json)
        return
    from kg.eval.readback import facts_via_store

    arts = [Article(id=aid, text=g["text"], origin=origins[aid]) for aid, g in gold.items()]
    try:
        with progress("reading gold articles", len(arts)) as bar:
            facts, report = facts_via_store(arts, get_settings(), bar.tick)
    except KGError as exc:
        _fail(exc)
    _report_failures(report.failed)
    result = score({k: v["facts"] for k, v in gold.items()}, facts, errors=errors)
    if as_json:
        print_json(result)
    else:
        say(format_table(result))
        for kind, per in (result.get("errors") or {}).items():
            for aid, e in per.items():
                say(f"[{kind}] {aid}")
                for m in e["missed"]:
                    say("  - missed " + json.dumps(m, ensure_ascii=False))
                for x in e["extra"]:
                    say("  + extra  " + json.dumps(x, ensure_ascii=False))


def _cross_validate(gold: dict[str, dict], origins: dict[str, str], k: int, as_json: bool) -> None:
    from kg.train.folds import cross_validate, format_folds

    def fold_done(i: int, secs: float) -> None:
        bar.tick()
        err.print(f"fold {i}/{k} in {secs:.0f} s")

    try:
        with progress("cross-validating folds", k) as bar:
            result = cross_validate(gold, k, origins=origins, on_fold=fold_done)
    except KGError as exc:
        _fail(exc)
    _report_failures(result["failed"], "failed")
    if as_json:
        print_json(result)
    else:
        say(format_folds(result))


@app.command()
def train(paths: Annotated[list[Path], typer.Argument(
              help="what to learn from: doccano .jsonl / Label Studio .json exports (corrected "
                   "`kg annotate` output), gold article .json files, or folders of them")],
          name: Annotated[str, typer.Option("--name", help="the model's name (KG_READER_MODEL)")] = "reader",
          out_dir: Annotated[Optional[Path], typer.Option(
              "--out", help="the model's directory; default KG_MODELS_DIR/NAME")] = None,
          epochs: Annotated[Optional[int], typer.Option(min=1, help="passes over the data")] = None,
          as_json: JsonOpt = False) -> None:
    """Train the reader's statistical part (a spaCy ner over the backbone's words) on annotated
    articles; set KG_READER_MODEL=NAME to read with it. Gold articles teach by distant
    supervision: every occurrence of an entity's names is taken as a mention."""
    from kg.train.fit import EPOCHS, train as fit_model

    settings = get_settings()
    target = out_dir or settings.models_dir / name
    try:
        meta = fit_model(paths, target, name, epochs=epochs or EPOCHS)
    except KGError as exc:
        _fail(exc)
    if as_json:
        print_json({"path": str(target), **meta})
        return
    t = meta["training"]
    say(f"trained {meta['name']} {meta['version']} on {t['articles']} article(s), "
        f"{t['names']} names ({t['not_on_word_boundaries']} off word boundaries) in "
        f"{t['seconds']:.0f} s; training F1 {meta['score']['f1']:.3f} -> {target}")


@app.command()
def query(name: Annotated[str, typer.Argument(help="a named query from queries/")],
          param: Annotated[list[str], typer.Option("-p", "--param", help="key=value")] = [],
          as_json: JsonOpt = False) -> None:
    """Run a named query (see `kg queries`)."""
    from kg.ask.queries import QueryLibrary

    settings = get_settings()
    try:
        named = QueryLibrary.load(settings.queries_dir).get(name)
        with _store(settings) as store:
            result = named.run(store, _params(param), timeout=settings.query_timeout_s,
                               limit=settings.query_row_cap)
    except KGError as exc:
        _fail(exc)
    _print_rows(list(named.columns) or result.columns, result.rows, as_json, result.truncated)


@app.command("queries")
def list_queries(as_json: JsonOpt = False) -> None:
    """List the named queries with their parameters and columns."""
    from kg.ask.queries import QueryLibrary

    try:
        lib = QueryLibrary.load(get_settings().queries_dir)
    except KGError as exc:
        _fail(exc)
    rows = [{"name": q.name, "description": q.description,
             "parameters": ", ".join(f"{p.name}: {p.type}" + ("" if p.required else "?") for p in q.params),
             "columns": ", ".join(q.columns)} for q in lib.queries.values()]
    _print_rows(["name", "parameters", "columns", "description"], rows, as_json)


@app.command()
def cypher(statement: Annotated[str, typer.Argument(help="a read-only Cypher query")],
           param: Annotated[list[str], typer.Option("-p", "--param", help="key=value")] = [],
           as_json: JsonOpt = False) -> None:
    """Run ad-hoc read-only Cypher as the API's analysts do: writes, LOAD CSV, commands and
    procedures outside the allow-list refused; timeout and row cap (docs/analyst-cypher.md)."""
    settings = get_settings()
    try:
        with _store(settings) as store:
            result = run_analyst_query(store, statement, _params(param), settings)
    except KGError as exc:
        _fail(exc)
    _print_rows(result.columns, result.rows, as_json, result.truncated)


@app.command()
def stats(as_json: JsonOpt = False) -> None:
    """Counts per label and relationship type."""
    from kg.graph.stats import graph_stats

    counts = _on_store(graph_stats)
    if as_json:
        out.print_json(json.dumps(counts, ensure_ascii=False, sort_keys=True))
        return
    say(f"{counts['nodes']} nodes, {counts['relationships']} relationships")
    _print_rows(["label", "count"], [{"label": k, "count": v} for k, v in counts["labels"].items()], False)
    _print_rows(["type", "count"],
                [{"type": k, "count": v} for k, v in counts["relationship_types"].items()], False)


@app.command()
def doctor(repair: Annotated[bool, typer.Option(
               "--repair", help="repair what can be repaired, one transaction per kind, then "
                                "list the articles to load again")] = False,
           as_json: JsonOpt = False) -> None:
    """Look for what a half-written load would leave: duplicated IRIs, evidence without its
    article, subject or fact, events without their article, nodes no evidence supports.
    Exit 1 if anything is found (docs/durability.md says why nothing should be); with
    --repair, exit 1 if anything is left after repairing."""
    from kg.graph.integrity import integrity, problems

    if repair:
        _doctor_repair(as_json)
        return
    found = _on_store(integrity)
    if as_json:
        out.print_json(json.dumps(found, ensure_ascii=False))
    else:
        for name, check in found.items():
            examples = f" (e.g. {', '.join(map(str, check['examples'][:3]))})" if check["count"] else ""
            out.print(f"{check['count']:6d}  {check['what']}{examples}", highlight=False)
        out.print("sound: nothing half-written" if not problems(found) else
                  "reload the articles named (kg load replaces what an article contributed), "
                  "or repair: kg doctor --repair", highlight=False)
    if problems(found):
        raise typer.Exit(1)


def _doctor_repair(as_json: bool) -> None:
    from kg.graph.repair import repair

    settings = get_settings()
    try:
        ontology = _ontology(settings)
        with _store(settings) as store:
            report = repair(store, ontology)
    except KGError as exc:
        _fail(exc)
    if as_json:
        out.print_json(json.dumps(report, ensure_ascii=False))
    else:
        out.print(f"{'before':>6}  {'after':>6}  found", highlight=False)
        for name, check in report["before"].items():
            after = report["after"][name]
            examples = f" (e.g. {', '.join(map(str, after['examples'][:3]))})" if after["count"] else ""
            out.print(f"{check['count']:6d}  {after['count']:6d}  {check['what']}{examples}",
                      highlight=False)
        for name, counts in report["repaired"].items():
            did = ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in counts.items() if n)
            out.print(f"repaired {name.replace('_', ' ')}: {did or 'nothing'}", highlight=False)
        for line in report["left"]:
            out.print(f"not repaired: {line}", highlight=False)
        if report["articles"]:
            out.print(f"{len(report['articles'])} article(s) lost part of what they contributed; "
                      "load them again (kg load <their files>) to restore it: "
                      f"{' '.join(report['articles'])}", highlight=False)
        out.print("sound: nothing half-written" if report["sound"] else
                  "still unsound: see the counts after", highlight=False)
    if not report["sound"]:
        raise typer.Exit(1)


class RdfFormat(str, Enum):
    """The RDF syntaxes of kg export and kg import (kg.graph.export.FORMATS)."""

    turtle = "turtle"
    ntriples = "ntriples"
    trig = "trig"
    jsonld = "jsonld"


@app.command()
def export(fmt: Annotated[Optional[RdfFormat], typer.Option(
               "--format", help="default: the output's suffix (.ttl, .nt, .trig, .jsonld), "
                                "else turtle")] = None,
           output: Annotated[Optional[Path], typer.Option("-o", "--output",
                                                          help="file to write (default: stdout)")] = None,
           as_json: Annotated[bool, typer.Option("--json", help="a JSON report on stdout (needs -o)")] = False,
           ) -> None:
    """The graph back to RDF, dates typed (xsd:date, xsd:gMonthDay); JSON-LD is compact, with
    the ontology's @context. `kg import` reads any of these back."""
    from kg.graph.export import SUFFIXES, export_size, export_triples, write_rdf

    if as_json and not output:
        raise typer.BadParameter("--json reports on stdout, so the RDF needs a file: give -o",
                                 param_hint="--json")
    fmt = fmt or RdfFormat((SUFFIXES.get(output.suffix.lower()) if output else None) or "turtle")
    settings = get_settings()
    try:
        ontology = _ontology(settings)
        with _store(settings) as store, _output(output) as stream:
            with progress("exporting nodes and relationships",
                          export_size(store) if err.is_terminal else None) as bar:
                count = write_rdf(export_triples(store, ontology, on_rows=bar.advance, typed=True),
                                  fmt.value, ontology, stream)
    except KGError as exc:
        _fail(exc)
    if not output:
        return
    if as_json:
        print_json({"output": str(output), "format": fmt.value, "triples": count})
    else:
        say(f"exported {count} triples to {output}")


@contextlib.contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """stdout, or a file written beside `path` and renamed onto it when complete (a failed
    export leaves no half file); one line saying why if it cannot be written."""
    if path is None:
        yield sys.stdout
        return
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(partial, "w", encoding="utf-8") as stream:
            yield stream
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        err.print(f"[bold red]error:[/] cannot write {path}: {exc.strerror or exc}", markup=True)
        raise typer.Exit(1)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


class LogLevel(str, Enum):
    critical = "critical"
    error = "error"
    warning = "warning"
    info = "info"
    debug = "debug"
    trace = "trace"


@app.command("import")
def import_(path: Annotated[Path, typer.Argument(help="an RDF file `kg export` wrote")],
            fmt: Annotated[Optional[RdfFormat], typer.Option(
                "--format", help="default: the file's suffix")] = None,
            batch_size: Annotated[Optional[int], typer.Option(help="articles per transaction")] = None,
            as_json: Annotated[bool, typer.Option("--json", help="print a JSON report")] = False,
            ) -> None:
    """Load an export back: its articles replace their stored versions, in batches of articles
    (one transaction each), after the whole file passed the shapes. An export imported into an
    empty store gives the same `kg stats`."""
    from loaders.rdf_import import import_rdf, read_rdf

    settings = get_settings()
    try:
        graph = read_rdf(path, fmt.value if fmt else None)
        ontology = _ontology(settings)
        with _store(settings) as store:
            report = import_rdf(store, ontology, graph, origin=str(path),
                                batch_size=batch_size or settings.batch_articles)
    except KGError as exc:
        _fail(exc)
    if as_json:
        print_json({"file": str(path), "articles": len(report.articles), "triples": report.triples})
        return
    say(f"imported {len(report.articles)} article(s), {report.triples} triples from {path}")


@app.command()
def serve(host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
          workers: Annotated[int | None, typer.Option(help="worker processes (neo4j store only; the embedded "
                                                          "store is one process); default KG_API_WORKERS, "
                                                          "else two per CPU on neo4j")] = None,
          log_level: Annotated[LogLevel, typer.Option(help="uvicorn log level")] = LogLevel.info) -> None:
    """Serve the query API (FastAPI under uvicorn) on the configured store; docs at /docs."""
    import uvicorn

    settings = get_settings()
    workers = workers or settings.serve_workers()
    if workers > 1 and settings.kg_store == "embedded":
        raise typer.BadParameter("the embedded store serves from one process; use --workers 1",
                                 param_hint="--workers")
    if workers > 1:
        uvicorn.run("api.main:app", host=host, port=port, workers=workers, log_level=log_level.value)
    else:
        from api.main import create_app

        uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level.value)


@app.command()
def reset(yes: Annotated[bool, typer.Option("--yes", help="do not ask")] = False,
          as_json: JsonOpt = False) -> None:
    """Delete everything in the configured store."""
    if not yes:
        typer.confirm("Delete every node and relationship in the configured store?", abort=True)
    try:
        with _store(get_settings()) as store:
            store.clear()
    except KGError as exc:
        _fail(exc)
    if as_json:
        print_json({"emptied": True})
    else:
        say("store emptied")


@app.command("settings")
def list_settings(as_json: JsonOpt = False) -> None:
    """Every setting, read from the environment (and .env): variable, value, default, meaning."""
    from kg.config import describe

    rows = describe(get_settings())
    _print_rows(["variable", "value", "default", "description"], rows, as_json)


from kg.cli.ontology import app as ontology_app, validate_command  # noqa: E402  (stewardship)

app.add_typer(ontology_app, name="ontology")
app.command("validate")(validate_command)


def main() -> None:
    """The `kg` command: a project error anywhere (a bad setting included) is one line, exit 1."""
    try:
        app()
    except KGError as exc:
        err.print(f"[bold red]error:[/] {exc}", markup=True)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
