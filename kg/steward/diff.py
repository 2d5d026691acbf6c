"""What changes between the ontology in the store and the one in the files (`kg ontology diff`).

Both sides become a `Terms` view: classes and properties by IRI, with labels, definition,
parents, domain/range, deprecation and replacement. `diff` compares two views (pure);
`count_instances` adds, per change, how much instance data in the store it touches.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from rdflib import URIRef

from kg.ontology import Ontology, _in_kg, local_name
from kg.steward.check import replacements
from kg.graph.stores.base import GraphStore
from kg.graph.cypher import ident

_ANNOTATIONS = ("label_zh", "label_en", "definition")


@dataclass(frozen=True, slots=True)
class Term:
    iri: str
    name: str
    kind: str  # class | object | datatype | annotation
    label_zh: str | None = None
    label_en: str | None = None
    definition: str | None = None
    parents: tuple[str, ...] = ()
    domain: tuple[str, ...] = ()
    range: tuple[str, ...] = ()
    deprecated: bool = False
    replaced_by: str | None = None

    @property
    def is_class(self) -> bool:
        return self.kind == "class"


@dataclass(slots=True)
class Terms:
    """An ontology as plain terms, whether read from files or from the store."""

    version: str | None
    classes: dict[str, Term] = field(default_factory=dict)
    properties: dict[str, Term] = field(default_factory=dict)

    def __hash__(self) -> int:  # cached_property needs no slots; keep identity semantics
        return id(self)

    def get(self, iri: str) -> Term | None:
        return self.classes.get(iri) or self.properties.get(iri)

    def ancestors(self, iri: str) -> set[str]:
        seen: set[str] = set()
        todo = list(self.classes[iri].parents) if iri in self.classes else []
        while todo:
            parent = todo.pop()
            if parent in seen or parent == iri:
                continue
            seen.add(parent)
            if parent in self.classes:
                todo.extend(self.classes[parent].parents)
        return seen

    def label_names(self, iri: str) -> frozenset[str]:
        """The property-graph labels an instance of class `iri` carries under this ontology."""
        return frozenset(local_name(t) for t in (iri, *self.ancestors(iri)))

    def class_by_name(self, name: str) -> str | None:
        """Label -> class, the kg term first (as Ontology.term_for_name)."""
        found = sorted((c for c in self.classes.values() if c.name == name),
                       key=lambda c: (not _in_kg(URIRef(c.iri)), c.iri))
        return found[0].iri if found else None

    def class_names(self) -> set[str]:
        return {c.name for c in self.classes.values()}

    def property_names(self) -> set[str]:
        return {p.name for p in self.properties.values()}


def terms_from_ontology(ontology: Ontology) -> Terms:
    rows = ontology.ontology_rows()
    replaced = replacements(ontology)
    parents: dict[str, list[str]] = {}
    for edge in rows["subclass"] + rows.get("subproperty", []):
        parents.setdefault(edge["child"], []).append(edge["parent"])
    class_iris = {c["iri"] for c in rows["classes"]}
    terms = Terms(rows["version"])
    for c in rows["classes"]:
        terms.classes[c["iri"]] = Term(
            c["iri"], c["name"], "class", c["label_zh"], c["label_en"], c["definition"],
            tuple(sorted(p for p in parents.get(c["iri"], []) if p in class_iris)),
            deprecated=bool(c["deprecated"]), replaced_by=replaced.get(c["iri"]))
    for p in rows["properties"]:
        domain = [p["domain"]] if p["domain"] else p["domain_any"]
        range_ = [p["range"]] if p["range"] else p["range_any"]
        terms.properties[p["iri"]] = Term(
            p["iri"], p["name"], p["kind"], p["label_zh"], p["label_en"], p["definition"],
            tuple(sorted(parents.get(p["iri"], []))),
            tuple(sorted(d for d in domain if d in class_iris)),
            tuple(sorted(r for r in range_ if r in class_iris)),
            bool(p["deprecated"]), replaced.get(p["iri"]))
    return terms


def terms_from_store(store: GraphStore) -> Terms:
    """The ontology the store holds (graph_ontology.write_ontology wrote it)."""
    version = store.read("MATCH (o:Ontology) RETURN o.version AS v").rows
    terms = Terms(version[0]["v"] if version else None)
    classes = store.read(
        "MATCH (c:OntologyClass) OPTIONAL MATCH (c)-[:subClassOf]->(p:OntologyClass) "
        "RETURN c.iri AS iri, c.name AS name, c.label_zh AS label_zh, c.label_en AS label_en, "
        "c.definition AS definition, c.deprecated AS deprecated, c.replacedBy AS replaced_by, "
        "collect(p.iri) AS parents").rows
    for c in classes:
        terms.classes[c["iri"]] = Term(c["iri"], c["name"], "class", c["label_zh"], c["label_en"],
                                       c["definition"], tuple(sorted(c["parents"])),
                                       deprecated=bool(c["deprecated"]),
                                       replaced_by=c["replaced_by"])
    props = store.read(
        "MATCH (p:OntologyProperty) "
        "OPTIONAL MATCH (p)-[:subPropertyOf]->(s:OntologyProperty) "
        "WITH p, collect(DISTINCT s.iri) AS parents "
        "OPTIONAL MATCH (p)-[:domain]->(d:OntologyClass) "
        "WITH p, parents, collect(DISTINCT d.iri) AS domain "
        "OPTIONAL MATCH (p)-[:range]->(r:OntologyClass) "
        "RETURN p.iri AS iri, p.name AS name, p.kind AS kind, p.label_zh AS label_zh, "
        "p.label_en AS label_en, p.definition AS definition, p.deprecated AS deprecated, "
        "p.replacedBy AS replaced_by, parents, domain, collect(DISTINCT r.iri) AS range").rows
    for p in props:
        terms.properties[p["iri"]] = Term(
            p["iri"], p["name"], p["kind"], p["label_zh"], p["label_en"], p["definition"],
            tuple(sorted(p["parents"])), tuple(sorted(p["domain"])), tuple(sorted(p["range"])),
            bool(p["deprecated"]), p["replaced_by"])
    return terms


@dataclass(slots=True)
class Change:
    change: str  # added | removed | relabelled | moved | deprecated
    kind: str  # class | property
    iri: str
    name: str
    details: dict = field(default_factory=dict)
    instances: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def diff(old: Terms, new: Terms) -> list[Change]:
    """The changes from `old` to `new`, classes first, each kind in IRI order."""
    changes: list[Change] = []
    for kind, before, after in (("class", old.classes, new.classes),
                                ("property", old.properties, new.properties)):
        for iri in sorted(after.keys() - before.keys()):
            t = after[iri]
            changes.append(Change("added", kind, iri, t.name,
                                  {"parents": list(t.parents)} if kind == "class" else
                                  {"domain": list(t.domain), "range": list(t.range)}))
        for iri in sorted(before.keys() - after.keys()):
            changes.append(Change("removed", kind, iri, before[iri].name))
        for iri in sorted(before.keys() & after.keys()):
            a, b = before[iri], after[iri]
            labels = {k: [getattr(a, k), getattr(b, k)] for k in _ANNOTATIONS
                      if getattr(a, k) != getattr(b, k)}
            if labels:
                changes.append(Change("relabelled", kind, iri, b.name, labels))
            moved = {k: [list(getattr(a, k)), list(getattr(b, k))]
                     for k in ("parents", "domain", "range") if getattr(a, k) != getattr(b, k)}
            if kind == "class" and old.label_names(iri) != new.label_names(iri):
                moved["labels"] = [sorted(old.label_names(iri)), sorted(new.label_names(iri))]
            if moved:
                changes.append(Change("moved", kind, iri, b.name, moved))
            if b.deprecated and (not a.deprecated or a.replaced_by != b.replaced_by):
                changes.append(Change("deprecated", kind, iri, b.name,
                                      {"replaced_by": b.replaced_by}))
    return changes


# ------------------------------------------------------------------------ instance counts

def class_instances(store: GraphStore, name: str) -> int:
    """Nodes carrying the class's label (its instances and its subclasses')."""
    return store.read(f"MATCH (n:Resource:{ident(name)}) RETURN count(n) AS n").rows[0]["n"]


def type_facts(store: GraphStore, iri: str) -> int:
    """Evidence stating that something is of class `iri`."""
    return store.read("MATCH (ev:Evidence {predicate: 'type', object: $iri}) RETURN count(ev) AS n",
                      {"iri": iri}).rows[0]["n"]


def property_instances(store: GraphStore, name: str, kind: str) -> int:
    """Relationships (object property) or nodes holding it (datatype); its Evidence if more."""
    if kind == "object":
        used = store.read(f"MATCH ()-[r:{ident(name)}]->() RETURN count(r) AS n").rows[0]["n"]
    else:
        used = store.read(f"MATCH (n:Resource) WHERE n.{ident(name)} IS NOT NULL "
                          "RETURN count(n) AS n").rows[0]["n"]
    facts = store.read("MATCH (ev:Evidence {predicate: $p}) RETURN count(ev) AS n",
                       {"p": name}).rows[0]["n"]
    return max(used, facts)


def count_instances(store: GraphStore, changes: list[Change], old: Terms, new: Terms) -> list[Change]:
    """Fill `instances` of each change: what of the graph it touches."""
    cache: dict[tuple, int] = {}
    for ch in changes:
        term = new.get(ch.iri) or old.get(ch.iri)
        if ch.kind == "class":
            key = ("class", ch.name)
            if key not in cache:
                cache[key] = class_instances(store, ch.name)
        else:
            key = ("property", ch.name, term.kind)
            if key not in cache:
                cache[key] = property_instances(store, ch.name, term.kind)
        ch.instances = cache[key]
    return changes


def ontology_diff(store: GraphStore, ontology: Ontology) -> dict:
    """Files vs store, with instance counts: what `kg ontology diff` and the API show."""
    old, new = terms_from_store(store), terms_from_ontology(ontology)
    changes = count_instances(store, diff(old, new), old, new)
    return {"stored_version": old.version, "file_version": new.version,
            "changes": [c.as_dict() for c in changes]}
