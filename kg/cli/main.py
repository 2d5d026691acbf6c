"""`kg`: load articles, ask the graph, look at it, serve it.

Thin: every command reads settings, opens the configured store and calls the module that does
the work. Errors of the project (KGError) are printed as one clear message, exit code 1.

Each command imports the modules it uses when it runs: spaCy, rdflib, pyshacl and the store
drivers cost seconds of start-up that `kg --help`, `kg queries` or a load of annotation exports
should not pay for the others'.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.ask.analyst import run_analyst_query
from kg.config import Settings, get_settings
from kg.errors import KGError

app = typer.Typer(help="A knowledge graph of what offices and party organisations do, from local news.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
out = Console()
err = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable JSON instead of a table")]


def _fail(exc: KGError) -> None:
    err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(1)


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
        out.print_json(json.dumps({"columns": columns, "rows": rows, "truncated": truncated},
                                  ensure_ascii=False))
        return
    table = Table(*columns, show_lines=False)
    for row in rows:
        table.add_row(*("" if row.get(c) is None else
                        json.dumps(row[c], ensure_ascii=False) if isinstance(row[c], (dict, list))
                        else str(row[c]) for c in columns))
    out.print(table)
    out.print(f"{len(rows)} row(s)" + (" (cut at the row cap)" if truncated else ""))


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
         batch_size: Annotated[Optional[int], typer.Option(help="articles per transaction")] = None) -> None:
    """Load articles into the graph; an article with bad input is reported and skipped.

    Raw pages and articles are read and annotated by the rule annotator; an annotation file for
    the same article id (a corrected `kg annotate` output) replaces what it contributed."""
    from kg.read.sources import read_all
    from loaders.pipeline import LoadPipeline

    settings = get_settings()
    items = read_all(paths)  # read lazily, article by article, as the pipeline asks
    try:
        ontology = _ontology(settings)
        with _store(settings) as store:  # connected when the first batch is written
            pipeline = LoadPipeline(store, ontology,
                                    batch_size=batch_size or settings.batch_articles)
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), console=err, transient=True) as progress:
                task = progress.add_task("loading articles", total=None)
                report = pipeline.run(items,
                                      on_article=lambda _id: progress.advance(task))
    except KGError as exc:
        _fail(exc)
    for failure in report.failed:
        err.print(f"[red]skipped:[/] {failure}", highlight=False, soft_wrap=True)
    out.print(f"loaded {len(report.loaded)} article(s), {report.triples} triples; "
              f"{len(report.failed)} failed", highlight=False)
    if report.failed:
        raise typer.Exit(1)


def _report_failures(failed) -> None:
    for failure in failed:
        err.print(f"[red]skipped:[/] {failure}", highlight=False, markup=True, soft_wrap=True)


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
    import time

    from kg.cli.annotate import annotate_files

    started = time.perf_counter()
    result = annotate_files(paths, jobs)
    try:
        output.write_text("".join(result.lines), encoding="utf-8")
    except OSError as exc:
        err.print(f"[bold red]error:[/] cannot write {output}: {exc.strerror or exc}",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    seconds = time.perf_counter() - started
    written = len(result.lines)
    _report_failures(result.failed)
    err.print(f"annotated {written} article(s) into {output}; {len(result.failed)} failed",
              highlight=False)
    if as_json:
        sys.stdout.write(json.dumps({
            "output": str(output), "files": len(paths), "articles": written,
            "failed": len(result.failed), "chars": result.chars, "jobs": result.jobs,
            "seconds": round(seconds, 3),
            "articles_per_s": round(written / seconds, 1) if seconds else None,
            "chars_per_s_per_core": round(result.chars / seconds / result.jobs) if seconds else None,
        }) + "\n")
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
        facts, report = facts_via_store(read_all(paths), get_settings())
    except KGError as exc:
        _fail(exc)
    _report_failures(report.failed)
    rows = [{"id": aid, "facts": f} for aid, f in facts.items()]
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        for row in rows:
            f = row["facts"]
            out.print(f"{row['id']}: {len(f['visits'])} visit(s), {len(f['posts'])} post(s), "
                      f"{len(f['memberships'])} membership(s), {len(f['entities'])} entities",
                      highlight=False)
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
        facts, report = facts_via_store(arts, get_settings())
    except KGError as exc:
        _fail(exc)
    _report_failures(report.failed)
    result = score({k: v["facts"] for k, v in gold.items()}, facts, errors=errors)
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        out.print(format_table(result), highlight=False)
        for kind, per in (result.get("errors") or {}).items():
            for aid, e in per.items():
                out.print(f"[{kind}] {aid}", highlight=False, markup=False)
                for m in e["missed"]:
                    out.print("  - missed " + json.dumps(m, ensure_ascii=False), highlight=False, markup=False)
                for x in e["extra"]:
                    out.print("  + extra  " + json.dumps(x, ensure_ascii=False), highlight=False, markup=False)


def _cross_validate(gold: dict[str, dict], origins: dict[str, str], k: int, as_json: bool) -> None:
    from kg.train.folds import cross_validate, format_folds

    try:
        result = cross_validate(gold, k, origins=origins, on_fold=lambda i, secs: err.print(
            f"fold {i}/{k} in {secs:.0f} s", highlight=False))
    except KGError as exc:
        _fail(exc)
    for failure in result["failed"]:
        err.print(f"[red]failed:[/] {failure}", highlight=False, soft_wrap=True)
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        out.print(format_folds(result), highlight=False, markup=False)


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
        sys.stdout.write(json.dumps({"path": str(target), **meta}, ensure_ascii=False,
                                    indent=2) + "\n")
        return
    t = meta["training"]
    out.print(f"trained {meta['name']} {meta['version']} on {t['articles']} article(s), "
              f"{t['names']} names ({t['not_on_word_boundaries']} off word boundaries) in "
              f"{t['seconds']:.0f} s; training F1 {meta['score']['f1']:.3f} -> {target}",
              highlight=False, markup=False, soft_wrap=True)


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
    out.print(f"{counts['nodes']} nodes, {counts['relationships']} relationships")
    _print_rows(["label", "count"], [{"label": k, "count": v} for k, v in counts["labels"].items()], False)
    _print_rows(["type", "count"],
                [{"type": k, "count": v} for k, v in counts["relationship_types"].items()], False)


@app.command()
def doctor(as_json: JsonOpt = False) -> None:
    """Look for what a half-written load would leave: duplicated IRIs, evidence without its
    article, subject or fact, events without their article, nodes no evidence supports.
    Exit 1 if anything is found (docs/durability.md says why nothing should be)."""
    from kg.graph.integrity import integrity, problems

    found = _on_store(integrity)
    if as_json:
        out.print_json(json.dumps(found, ensure_ascii=False))
    else:
        for name, check in found.items():
            examples = f" (e.g. {', '.join(map(str, check['examples'][:3]))})" if check["count"] else ""
            out.print(f"{check['count']:6d}  {check['what']}{examples}", highlight=False)
        out.print("sound: nothing half-written" if not problems(found) else
                  "reload the articles named (kg load replaces what an article contributed)",
                  highlight=False)
    if problems(found):
        raise typer.Exit(1)


_RDF_FORMATS = "turtle, ntriples, trig or jsonld"


@app.command()
def export(fmt: Annotated[Optional[str], typer.Option(
               "--format", help=f"{_RDF_FORMATS}; default: the output's suffix (.ttl, .nt, "
                                ".trig, .jsonld), else turtle")] = None,
           output: Annotated[Optional[Path], typer.Option("-o", "--output")] = None) -> None:
    """The graph back to RDF, dates typed (xsd:date, xsd:gMonthDay); JSON-LD is compact, with
    the ontology's @context. `kg import` reads any of these back."""
    from kg.graph.export import FORMATS, SUFFIXES, export_graph, serialize

    fmt = fmt or (SUFFIXES.get(output.suffix.lower()) if output else None) or "turtle"
    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose {_RDF_FORMATS}", param_hint="--format")
    settings = get_settings()
    try:
        ontology = _ontology(settings)
        with _store(settings) as store:
            graph = export_graph(store, ontology)
    except KGError as exc:
        _fail(exc)
    text = serialize(graph, fmt, ontology)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@app.command("import")
def import_(path: Annotated[Path, typer.Argument(help="an RDF file `kg export` wrote")],
            fmt: Annotated[Optional[str], typer.Option(
                "--format", help=f"{_RDF_FORMATS}; default: the file's suffix")] = None,
            batch_size: Annotated[Optional[int], typer.Option(help="articles per transaction")] = None,
            as_json: Annotated[bool, typer.Option("--json", help="print a JSON report")] = False,
            ) -> None:
    """Load an export back: its articles replace their stored versions, in batches of articles
    (one transaction each), after the whole file passed the shapes. An export imported into an
    empty store gives the same `kg stats`."""
    from loaders.rdf_import import import_rdf, read_rdf

    settings = get_settings()
    try:
        graph = read_rdf(path, fmt)
        ontology = _ontology(settings)
        with _store(settings) as store:
            report = import_rdf(store, ontology, graph, origin=str(path),
                                batch_size=batch_size or settings.batch_articles)
    except KGError as exc:
        _fail(exc)
    if as_json:
        sys.stdout.write(json.dumps({"file": str(path), "articles": len(report.articles),
                                     "triples": report.triples}, ensure_ascii=False) + "\n")
        return
    out.print(f"imported {len(report.articles)} article(s), {report.triples} triples from {path}",
              highlight=False, soft_wrap=True)


@app.command()
def serve(host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
          workers: Annotated[int | None, typer.Option(help="worker processes (neo4j store only; the embedded "
                                                          "store is one process); default KG_API_WORKERS, "
                                                          "else two per CPU on neo4j")] = None,
          log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info") -> None:
    """Serve the query API (FastAPI under uvicorn) on the configured store; docs at /docs."""
    import uvicorn

    settings = get_settings()
    workers = workers or settings.serve_workers()
    if workers > 1 and settings.kg_store == "embedded":
        raise typer.BadParameter("the embedded store serves from one process; use --workers 1",
                                 param_hint="--workers")
    if workers > 1:
        uvicorn.run("api.main:app", host=host, port=port, workers=workers, log_level=log_level)
    else:
        from api.main import create_app

        uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level)


@app.command()
def reset(yes: Annotated[bool, typer.Option("--yes", help="do not ask")] = False) -> None:
    """Delete everything in the configured store."""
    if not yes:
        typer.confirm("Delete every node and relationship in the configured store?", abort=True)
    try:
        with _store(get_settings()) as store:
            store.clear()
    except KGError as exc:
        _fail(exc)
    out.print("store emptied")


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
        err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
