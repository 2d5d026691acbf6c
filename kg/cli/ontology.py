"""`kg ontology ...` (validate, diff, reload, history) and `kg validate`, for data stewards.

Registered in kg/cli/main.py. Thin like the rest of the CLI, and like it importing what each
command uses when it runs: the work is in kg/steward/ (check, diff, reload, validate_graph).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli.console import err, fail as _fail, print_json as _json, progress, say as _print, warn
from kg.config import get_settings
from kg.errors import KGError, StoreError

app = typer.Typer(help="Ontology stewardship: check, compare and reload ontology/ without losing data.",
                  no_args_is_help=True, pretty_exceptions_enable=False)

JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable JSON")]
DirOpt = Annotated[Optional[Path], typer.Option("--ontology", help="directory with kg.ttl and "
                                                "shapes.ttl (default: KG_ONTOLOGY_DIR)")]


def _store():
    from kg.graph.stores import open_store

    return open_store(get_settings())


@app.command("validate")
def validate_files(path: Annotated[Optional[Path], typer.Argument(
        help="ontology directory (kg.ttl, shapes.ttl); default KG_ONTOLOGY_DIR")] = None,
        as_json: JsonOpt = False) -> None:
    """Check ontology files: Turtle syntax, labels and definitions, domains and ranges,
    subclass cycles, shape targets and paths. Compares the version with the store's and says
    whether `kg ontology reload` would take it (reload needs a higher one; validating does not)."""
    from kg.graph.stored_ontology import stored_version
    from kg.ontology import Ontology
    from kg.steward.check import check, version_key

    directory = path or get_settings().ontology_dir
    try:
        ontology = Ontology.load(directory)
    except KGError as exc:
        _fail(exc)
    loaded = None
    try:
        with _store() as store:
            loaded = stored_version(store)
    except StoreError as exc:
        warn(f"note: store not reachable, version not compared: {exc}")
    problems = check(ontology)
    reloadable = None if loaded is None else version_key(ontology.version) > version_key(loaded)
    if as_json:
        _json({"directory": str(directory), "version": ontology.version, "valid": not problems,
               "problems": problems, "stored_version": loaded, "version_above_stored": reloadable})
    for problem in problems:
        warn(f"{directory}: {problem}")
    if problems:
        raise typer.Exit(1)
    if as_json:
        return
    _print(f"{directory}: ontology {ontology.version} is valid"
           + (f" (store has {loaded})" if loaded else ""))
    if reloadable is False:
        _print(f"note: `kg ontology reload` needs an owl:versionInfo higher than the store's "
               f"{loaded!r}")


def _format_change(c: dict) -> str:
    details = ""
    if c["change"] == "relabelled":
        details = "; ".join(f"{k}: {v[0]!r} -> {v[1]!r}" for k, v in c["details"].items())
    elif c["change"] == "moved":
        details = "; ".join(f"{k}: {v[0]} -> {v[1]}" for k, v in c["details"].items() if k != "labels")
    elif c["change"] == "deprecated":
        details = f"replaced by {c['details'].get('replaced_by') or 'nothing'}"
    elif c["change"] == "added" and c["details"].get("parents"):
        details = f"under {', '.join(c['details']['parents'])}"
    return f"{c['change']:<10} {c['kind']:<8} {c['name']:<22} {c['instances'] or 0:>7} instance(s)  {details}"


@app.command("diff")
def diff_command(ontology_dir: DirOpt = None, as_json: JsonOpt = False) -> None:
    """The files vs the ontology in the store: terms added, removed, relabelled, moved,
    deprecated, and how many instances each touches."""
    from kg.ontology import Ontology
    from kg.steward.diff import ontology_diff

    try:
        ontology = Ontology.load(ontology_dir or get_settings().ontology_dir)
        with _store() as store:
            result = ontology_diff(store, ontology)
    except KGError as exc:
        _fail(exc)
    if as_json:
        _json(result)
        return
    _print(f"store {result['stored_version']} -> files {result['file_version']}: "
           f"{len(result['changes'])} change(s)")
    for change in result["changes"]:
        _print("  " + _format_change(change))


@app.command("reload")
def reload_command(ontology_dir: DirOpt = None,
                   mapping: Annotated[Optional[Path], typer.Option(
                       "--mapping", help="old -> new term mapping (docs/ontology-stewardship.md)")] = None,
                   dry_run: Annotated[bool, typer.Option("--dry-run", help="print the plan, write nothing")] = False,
                   validate: Annotated[bool, typer.Option(
                       "--validate/--no-validate",
                       help="validate the instance data against the new shapes afterwards")] = True,
                   as_json: JsonOpt = False) -> None:
    """Replace the stored ontology in one transaction, migrating instances of replaced terms
    and recomputing superclass labels; refused if instance data would be orphaned."""
    from kg.steward.reload import reload_ontology

    try:
        with _store() as store:
            report = reload_ontology(store, ontology_dir or get_settings().ontology_dir,
                                     mapping_file=mapping, dry_run=dry_run, validate=validate)
    except KGError as exc:
        _fail(exc)
    if as_json:
        _json(report)
        return
    plan = report["plan"]
    _print(f"{'plan' if dry_run else 'reloaded'}: ontology {plan['from_version']} -> {plan['to_version']}")
    for change in plan["changes"]:
        _print("  " + _format_change(change))
    for m in plan["class_migrations"] + plan["property_migrations"]:
        _print(f"  migrate {m['from']} -> {m['to']}")
    _print("  " + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in plan["counts"].items()))
    if plan["orphans"]:
        for o in plan["orphans"]:
            _print(f"  would orphan {o['kind']} {o['iri']}: {o['instances']} instance(s)")
        _print("  the reload would be refused: give a --mapping for these terms")
    if dry_run:
        return
    applied = report["applied"]
    _print("  " + ", ".join(f"{k}: {v}" for k, v in applied.items() if isinstance(v, int)))
    if validate:
        _print_violations(report.get("violations", []))
    if report.get("violations"):
        raise typer.Exit(2)


def _print_violations(violations: list[dict]) -> None:
    if not violations:
        _print("instance data conforms to the shapes")
        return
    _print(f"{len(violations)} SHACL violation(s) in the instance data (not undone):")
    for v in violations:
        _print(f"  node {v['focus']} shape {v['shape']} path {v['path'] or '-'}: {v['message']}"
               + (f" [articles: {', '.join(v['articles'])}]" if v.get("articles") else ""))


@app.command("history")
def history_command(as_json: JsonOpt = False) -> None:
    """Every reload recorded in the graph: version, file hash, time and counts migrated; a
    reload rolled back says so, with the reason."""
    from kg.steward.reload import history

    try:
        with _store() as store:
            rows = history(store)
    except KGError as exc:
        _fail(exc)
    if as_json:
        _json(rows)
        return
    for r in rows:
        if r.get("outcome", "applied") != "applied":  # tried, and not in the graph
            _print(f"{r['at']}  {r.get('previousVersion') or '-'} -> {r['version']}  "
                   f"sha256 {r['fileHash'][:12]}  {r['outcome']}: {r.get('reason', '')}")
            continue
        _print(f"{r['at']}  {r.get('previousVersion') or '-'} -> {r['version']}  "
               f"sha256 {r['fileHash'][:12]}  migrated: {r.get('typeFactsMigrated', 0)} type fact(s), "
               f"{r.get('relationshipsMigrated', 0)} relationship(s), {r.get('literalsMigrated', 0)} "
               f"literal(s), {r.get('nodesRelabelled', 0)} node(s) relabelled; "
               f"{r.get('violations', 0)} violation(s)")
    _print(f"{len(rows)} reload(s)")


def validate_command(as_json: JsonOpt = False) -> None:
    """SHACL validation of the whole graph against the shapes, a page of nodes at a time."""
    from kg.steward.validate_graph import resource_count, validate_graph
    from kg.ontology import Ontology

    settings = get_settings()
    started = time.perf_counter()
    try:
        ontology = Ontology.load(settings.ontology_dir)
        with _store() as store:
            with progress("validating nodes", resource_count(store) if err.is_terminal else None) as bar:
                result = validate_graph(store, ontology, on_page=bar.update)
    except KGError as exc:
        _fail(exc)
    result["seconds"] = round(time.perf_counter() - started, 2)
    if as_json:
        _json(result)
    else:
        _print(f"checked {result['nodes']} node(s) in {result['seconds']} s")
        _print_violations(result["violations"])
    if result["violations"]:
        raise typer.Exit(1)
