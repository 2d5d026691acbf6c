"""Replace the stored ontology with the files' one, migrating instance data, in one transaction.

`plan_reload` reads the store and works out what a reload does (pure logic over two `Terms`
views plus counts): which classes and properties move to a replacement (owl:deprecated with
dcterms:isReplacedBy, or the steward's mapping file), which nodes need their superclass labels
recomputed because the hierarchy moved, and which removed terms would leave instance data with
nowhere to go (then the reload is refused). `apply_reload` performs the plan in one store
transaction, reading all it needs before its first write (so the embedded store sends the
writes as one MULTI/EXEC, atomic whatever dies): Evidence type facts and predicates,
relationship types and literal keys are migrated, labels recomputed, the stored ontology
replaced and the reload recorded as an (:OntologyReload) node (outcome "applied"; a
transaction that failed is rolled back and recorded too, outcome "rolled back" with the reason).
Afterwards the graph is validated against the new shapes and the violations are reported (not
undone).

Mapping file (docs/ontology-stewardship.md): one `old -> new` per line, terms as `kg:Name`,
`<full IRI>` or a prefixed name the new ontology binds; `#` starts a comment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.errors import KGError, OntologyError, OntologyRefused, StoreOutcomeUnknown
from kg.graph.stored_ontology import write_ontology
from kg.ontology import ONTOLOGY_FILE, SHAPES_FILE, Ontology
from kg.steward.check import require_valid
from kg.steward.validate_graph import validate_graph
from kg.steward.diff import (Change, Terms, class_instances, count_instances, diff,
                              property_instances, terms_from_ontology, terms_from_store,
                              type_facts)
from kg.graph.rows import RESOURCE
from kg.graph.stores.base import GraphStore, Tx
from kg.graph.cypher import ident

HISTORY_LABEL = "OntologyReload"
_MAPPING_LINE = re.compile(r"^\s*(\S+)\s*->\s*(\S+)\s*$")


# ----------------------------------------------------------------------------- mapping file

def parse_mapping(text: str, ontology: Ontology, *, source: str = "mapping") -> dict[str, str]:
    """`old -> new` lines to {old IRI: new IRI}; OntologyError naming the line otherwise."""
    nsm = ontology.graph.namespace_manager
    out: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = "" if raw.lstrip().startswith("#") else _strip_comment(raw)
        if not line.strip():
            continue
        match = _MAPPING_LINE.match(line)
        if not match:
            raise OntologyError(f"{source}:{number}: expected 'old -> new', got {raw.strip()!r}")
        old, new = (_expand(t, nsm, f"{source}:{number}") for t in match.groups())
        if old in out and out[old] != new:
            raise OntologyError(f"{source}:{number}: {old} is mapped twice")
        out[old] = new
    return out


def _strip_comment(raw: str) -> str:
    # IRIs may contain '#': only a '#' after whitespace outside <...> starts a comment
    return re.sub(r"\s#.*$", "", raw)


def _expand(term: str, nsm, where: str) -> str:
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    if ":" in term and not term.startswith(("http:", "https:")):
        prefix, local = term.split(":", 1)
        for bound, namespace in nsm.namespaces():
            if bound == prefix:
                return str(namespace) + local
        raise OntologyError(f"{where}: unknown prefix {prefix!r} in {term!r}")
    if term.startswith(("http://", "https://")):
        return term
    raise OntologyError(f"{where}: {term!r} is not a prefixed name or <IRI>")


def read_mapping(path: Path, ontology: Ontology) -> dict[str, str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read mapping file: {exc.strerror or exc}") from exc
    return parse_mapping(text, ontology, source=str(path))


# ------------------------------------------------------------------------------------ plan

def files_hash(directory: Path) -> str:
    digest = hashlib.sha256()
    for name in (ONTOLOGY_FILE, SHAPES_FILE):
        path = Path(directory) / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"") + b"\0")
    return digest.hexdigest()


@dataclass(slots=True)
class ReloadPlan:
    old: Terms
    new: Terms
    changes: list[Change]
    class_moves: dict[str, str] = field(default_factory=dict)
    property_moves: dict[str, str] = field(default_factory=dict)
    relabel_names: list[str] = field(default_factory=list)  # labels whose nodes get recomputed
    orphans: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict:
        return {
            "from_version": self.old.version, "to_version": self.new.version,
            "changes": [c.as_dict() for c in self.changes],
            "class_migrations": [{"from": k, "to": v} for k, v in sorted(self.class_moves.items())],
            "property_migrations": [{"from": k, "to": v}
                                    for k, v in sorted(self.property_moves.items())],
            "relabel_labels": self.relabel_names,
            "orphans": self.orphans,
            "counts": self.counts,
            "refused": bool(self.orphans),
        }


def _moves(old: Terms, new: Terms, mapping: dict[str, str]) -> tuple[dict, dict]:
    classes: dict[str, str] = {}
    properties: dict[str, str] = {}
    for term in [*new.classes.values(), *new.properties.values()]:
        if term.deprecated and term.replaced_by:
            (classes if term.is_class else properties)[term.iri] = term.replaced_by
    for src, dst in mapping.items():
        before = old.get(src) or new.get(src)
        after = new.get(dst)
        if before is None:
            raise OntologyError(f"mapping: {src} is not a term of the stored or the new ontology")
        if after is None:
            raise OntologyError(f"mapping: {dst} is not a term of the new ontology")
        if before.is_class != after.is_class or (not before.is_class and before.kind != after.kind):
            raise OntologyError(f"mapping: {src} ({before.kind}) cannot become {dst} ({after.kind})")
        (classes if before.is_class else properties)[src] = dst
    for moves, kind in ((classes, "class"), (properties, "property")):
        for src, dst in moves.items():
            seen = {src}
            while dst in moves:  # follow chains A -> B -> C, refuse cycles
                if dst in seen:
                    raise OntologyError(f"{kind} replacements form a cycle through {dst}")
                seen.add(dst)
                dst = moves[dst]
            moves[src] = dst
    return classes, properties


def plan_reload(store: GraphStore, ontology: Ontology, mapping: dict[str, str] | None = None) -> ReloadPlan:
    """What reloading `ontology` would do to this store; reads only."""
    old, new = terms_from_store(store), terms_from_ontology(ontology)
    changes = count_instances(store, diff(old, new), old, new)
    class_moves, property_moves = _moves(old, new, mapping or {})
    plan = ReloadPlan(old, new, changes, class_moves, property_moves)

    new_class_names, new_property_names = new.class_names(), new.property_names()
    for iri in sorted(old.classes.keys() - new.classes.keys() - class_moves.keys()):
        term = old.classes[iri]
        # the label stays meaningful if another vocabulary's class keeps the name
        n = max(class_instances(store, term.name) if term.name not in new_class_names else 0,
                type_facts(store, iri))
        if n:
            plan.orphans.append({"kind": "class", "iri": iri, "name": term.name, "instances": n})
    for iri in sorted(old.properties.keys() - new.properties.keys() - property_moves.keys()):
        term = old.properties[iri]
        if term.name in new_property_names:
            continue  # another vocabulary's term of the same name still covers the data
        n = property_instances(store, term.name, term.kind)
        if n:
            plan.orphans.append({"kind": "property", "iri": iri, "name": term.name, "instances": n})

    affected = {iri for iri in old.classes.keys() & new.classes.keys()
                if old.label_names(iri) != new.label_names(iri)}
    affected |= class_moves.keys() & old.classes.keys()
    affected |= old.classes.keys() - new.classes.keys()
    plan.relabel_names = sorted({old.classes[i].name for i in affected})
    plan.counts = {
        "nodes_to_relabel": _count_labelled(store, plan.relabel_names),
        "type_facts_to_migrate": sum(type_facts(store, s) for s in class_moves),
        "property_instances_to_migrate": sum(
            property_instances(store, (old.get(s) or new.get(s)).name, (old.get(s) or new.get(s)).kind)
            for s in property_moves),
    }
    return plan


def _count_labelled(store: GraphStore, names: list[str]) -> int:
    if not names:
        return 0
    return store.read(f"MATCH (n:{RESOURCE}) WHERE any(l IN labels(n) WHERE l IN $names) "
                      "RETURN count(n) AS n", {"names": names}).rows[0]["n"]


# ----------------------------------------------------------------------------------- apply

def count_migrations(tx: Tx, plan: ReloadPlan) -> dict[str, int]:
    """What the migrations below will change, read before any of them writes (replacements are
    followed to their end, so no write feeds another's count)."""
    counts = {"type_facts": 0, "relationships": 0, "literals": 0, "evidence": 0}
    for src in sorted(plan.class_moves):
        counts["type_facts"] += _count(tx, "MATCH (ev:Evidence {predicate: 'type', object: $src}) "
                                           "RETURN count(ev) AS n", {"src": src})
    for before, after in _property_renames(plan):
        old_name = ident(before.name)
        if before.kind == "object":
            counts["relationships"] += _count(tx, f"MATCH ()-[r:{old_name}]->() RETURN count(r) AS n")
        else:
            counts["literals"] += _count(tx, f"MATCH (n:{RESOURCE}) WHERE n.{old_name} IS NOT NULL "
                                             "RETURN count(n) AS n")
        counts["evidence"] += _count(tx, "MATCH (ev:Evidence {predicate: $src}) RETURN count(ev) AS n",
                                     {"src": before.name})
    return counts


def _count(tx: Tx, cypher: str, params: dict | None = None) -> int:
    rows = tx.run(cypher, params)
    return rows[0]["n"] if rows else 0


def _property_renames(plan: ReloadPlan) -> list[tuple]:
    """(old term, new term) of each replaced property whose name changes, a name once (the first
    move of a name takes its data, as when they ran one after another)."""
    out, seen = [], set()
    for src, dst in sorted(plan.property_moves.items()):
        before = plan.old.get(src) or plan.new.get(src)
        after = plan.new.get(dst)
        if ident(before.name) == ident(after.name) or before.name in seen:
            continue
        seen.add(before.name)
        out.append((before, after))
    return out


def migrate_classes(tx: Tx, plan: ReloadPlan) -> None:
    """Type facts of a replaced class now state its replacement (labels follow below)."""
    for src, dst in sorted(plan.class_moves.items()):
        tx.write("MATCH (ev:Evidence {predicate: 'type', object: $src}) SET ev.object = $dst",
                 {"src": src, "dst": dst})


def migrate_properties(tx: Tx, plan: ReloadPlan) -> None:
    """Relationships, literal keys and Evidence.predicate of a replaced property move over."""
    for before, after in _property_renames(plan):
        old_name, new_name = ident(before.name), ident(after.name)
        if before.kind == "object":
            tx.write(f"MATCH (a)-[r:{old_name}]->(b) CREATE (a)-[m:{new_name}]->(b) "
                     "SET m += properties(r) DELETE r")
        else:
            tx.write(f"MATCH (n:{RESOURCE}) WHERE n.{old_name} IS NOT NULL "
                     f"SET n.{new_name} = n.{old_name} SET n.{old_name} = NULL")
        tx.write("MATCH (ev:Evidence {predicate: $src}) SET ev.predicate = $dst",
                 {"src": before.name, "dst": after.name})


LabelChanges = dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]]


def label_changes(tx: Tx, plan: ReloadPlan) -> LabelChanges:
    """Superclass labels of the nodes whose classes moved, were replaced or removed: {(labels to
    remove, labels to add): node IRIs}. Reads only; type facts count through the migrations,
    so it reads the same before they are written as after."""
    if not plan.relabel_names:
        return {}
    old, new = plan.old, plan.new
    nodes = tx.run(
        f"MATCH (n:{RESOURCE}) WHERE any(l IN labels(n) WHERE l IN $names) "
        "OPTIONAL MATCH (ev:Evidence {predicate: 'type'})-[:subject]->(n) "
        "RETURN n.iri AS iri, labels(n) AS labels, collect(ev.object) AS types",
        {"names": plan.relabel_names})
    known = old.class_names() | new.class_names()
    by_name = {name: old.class_by_name(name) for name in old.class_names()}
    groups: LabelChanges = {}
    for node in nodes:
        labels = set(node["labels"])
        candidates = {by_name[l] for l in labels if by_name.get(l)}
        implied = set().union(*(old.ancestors(c) for c in candidates)) if candidates else set()
        classes = {plan.class_moves.get(c, c) for c in candidates - implied}
        classes |= {plan.class_moves.get(t, t) for t in node["types"] if t}
        wanted = {RESOURCE}
        for cls in classes:
            if cls in new.classes:
                wanted |= new.label_names(cls)
        remove = tuple(sorted((labels - wanted) & known))
        add = tuple(sorted(wanted - labels))
        if remove or add:
            groups.setdefault((remove, add), []).append(node["iri"])
    return groups


def recompute_labels(tx: Tx, changes: LabelChanges) -> int:
    """Writes the label changes; how many nodes they concern."""
    changed = 0
    for (remove, add), iris in sorted(changes.items()):
        clauses = ""
        if remove:
            clauses += f" REMOVE n:{':'.join(map(ident, remove))}"
        if add:
            clauses += f" SET n:{':'.join(map(ident, add))}"
        tx.write(f"UNWIND $iris AS iri MATCH (n:{RESOURCE} {{iri: iri}}){clauses}", {"iris": iris})
        changed += len(iris)
    return changed


def store_ontology(tx: Tx, ontology: Ontology, plan: ReloadPlan) -> None:
    write_ontology(tx, ontology)
    for label, terms in (("OntologyClass", plan.new.classes), ("OntologyProperty", plan.new.properties)):
        replaced = [{"iri": t.iri, "by": t.replaced_by} for t in terms.values() if t.replaced_by]
        if replaced:
            tx.write(f"UNWIND $rows AS row MATCH (t:{label} {{iri: row.iri}}) SET t.replacedBy = row.by",
                     {"rows": replaced})


_CREATE_HISTORY = f"CREATE (h:{HISTORY_LABEL}) SET h = $record"


def write_history(tx: Tx, record: dict) -> None:
    tx.write(_CREATE_HISTORY, {"record": record})


APPLIED, ROLLED_BACK, UNKNOWN = "applied", "rolled back", "unknown"


def apply_reload(store: GraphStore, ontology: Ontology, plan: ReloadPlan, *, file_hash: str) -> dict:
    """Perform the plan in one store transaction; refused (OntologyRefused) if it orphans data.

    Every read comes before the first write, so on the embedded store the writes (migrations,
    labels, the ontology and the history node) go as one MULTI/EXEC: whatever dies, the store
    holds the old ontology and data entirely, or the new ones with their history node. A
    transaction that fails while this process lives (a statement rejected, the connection lost)
    is rolled back, and then recorded as such in a history node of its own, with the reason."""
    if plan.orphans:
        raise OntologyRefused(plan.orphans)
    at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    attempt = {"version": plan.new.version, "previousVersion": plan.old.version or "",
               "fileHash": file_hash, "at": at}
    try:
        with store.transaction() as tx:
            moved = count_migrations(tx, plan)
            labels = label_changes(tx, plan)
            migrate_classes(tx, plan)  # from here on writes only
            migrate_properties(tx, plan)
            relabelled = recompute_labels(tx, labels)
            store_ontology(tx, ontology, plan)
            record = {
                **attempt, "outcome": APPLIED,
                "classesMigrated": len(plan.class_moves), "propertiesMigrated": len(plan.property_moves),
                "typeFactsMigrated": moved["type_facts"], "relationshipsMigrated": moved["relationships"],
                "literalsMigrated": moved["literals"], "evidenceMigrated": moved["evidence"],
                "nodesRelabelled": relabelled, "changes": len(plan.changes),
                "migrations": [f"{k} -> {v}" for k, v in sorted({**plan.class_moves,
                                                                     **plan.property_moves}.items())],
            }
            write_history(tx, record)
    except Exception as exc:
        # an outcome the store could not tell (no reply to the commit) is wholly in or out
        outcome = UNKNOWN if isinstance(exc, StoreOutcomeUnknown) else ROLLED_BACK
        _record_failure(store, {**attempt, "outcome": outcome, "reason": _reason(exc)})
        raise
    return record


def _reason(exc: Exception) -> str:
    return str(exc) if isinstance(exc, KGError) else f"{type(exc).__name__}: {exc}"


def _record_failure(store: GraphStore, record: dict) -> None:
    """The failed reload in the history, if the store takes it: a store that is gone cannot,
    and the failure itself is what the caller hears about."""
    try:
        with store.transaction() as tx:
            tx.write(_CREATE_HISTORY, {"record": record})  # (write_history may be what failed)
    except Exception:  # noqa: BLE001 - the reload's own failure is raised instead
        pass


# --------------------------------------------------------------------- indexes, constraints

def sync_schema(store: GraphStore, plan: ReloadPlan) -> list[str]:
    """Indexes and constraints follow the ontology: those on a label or relationship type the new
    ontology no longer has are dropped, and recreated on its replacement if it has one. Says
    what it did, a line each."""
    gone_classes = {plan.old.classes[i].name: i for i in plan.old.classes
                    if plan.old.classes[i].name not in plan.new.class_names()}
    gone_props = {plan.old.properties[i].name: i for i in plan.old.properties
                  if plan.old.properties[i].name not in plan.new.property_names()}
    moved_classes = {plan.old.get(s).name: plan.new.get(d).name
                     for s, d in plan.class_moves.items() if plan.old.get(s)}
    moved_props = {plan.old.get(s).name: plan.new.get(d).name
                   for s, d in plan.property_moves.items() if plan.old.get(s)}
    if not (gone_classes or gone_props or moved_classes or moved_props):
        return []
    existing = store.indexes()
    have = {index.key for index in existing}
    done: list[str] = []
    for index in existing:
        gone = gone_props if index.relationship else gone_classes
        moved = moved_props if index.relationship else moved_classes
        if index.label in moved:
            replacement = replace(index, label=moved[index.label])
            if replacement.key not in have:
                store.create_index(replacement)
                have.add(replacement.key)
                done.append(f"created {replacement}")
        if index.label in gone:
            store.drop_index(index)
            done.append(f"dropped {index}")
    return done


def reload_ontology(store: GraphStore, directory: Path, *, mapping_file: Path | None = None,
                    mapping_text: str | None = None, dry_run: bool = False,
                    validate: bool = True) -> dict:
    """The whole `kg ontology reload`: check, plan, (apply, validate). Returns the report."""
    ontology = Ontology.load(directory)
    require_valid(ontology, terms_from_store(store).version)
    mapping = read_mapping(mapping_file, ontology) if mapping_file else {}
    if mapping_text:
        mapping.update(parse_mapping(mapping_text, ontology))
    plan = plan_reload(store, ontology, mapping)
    report = {"dry_run": dry_run, "plan": plan.summary()}
    if dry_run:
        return report
    report["applied"] = apply_reload(store, ontology, plan, file_hash=files_hash(directory))
    store.ensure_schema()
    report["schema"] = sync_schema(store, plan)
    if validate:
        found = validate_graph(store, ontology)
        report["violations"] = found["violations"]
        with store.transaction() as tx:
            tx.write(f"MATCH (h:{HISTORY_LABEL} {{at: $at, fileHash: $hash, outcome: $applied}}) "
                     "SET h.violations = $n",
                     {"at": report["applied"]["at"], "hash": report["applied"]["fileHash"],
                      "n": len(found["violations"]), "applied": APPLIED})
        report["applied"]["violations"] = len(found["violations"])
    return report


def history(store: GraphStore) -> list[dict]:
    """Every reload tried, oldest first: applied ones (older ones, from before `outcome` was
    recorded, were all applied), and those rolled back, with the reason."""
    # (in one second, the attempts at a version that failed come before the one applied: after
    # it, that version cannot be reloaded again)
    rows = store.read(f"MATCH (h:{HISTORY_LABEL}) RETURN properties(h) AS h "
                      "ORDER BY h.at, h.version, h.outcome DESC").rows
    return [r["h"] for r in rows]
