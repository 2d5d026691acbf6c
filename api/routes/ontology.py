"""Ontology stewardship: the loaded ontology as a tree, the diff to the files, reload, history.

Reading is open like the rest of the API; POST /ontology/reload needs a steward key (header
X-API-Key, one of KG_STEWARD_KEYS). A refused reload (it would orphan instance data) is a 409
problem naming the terms; ontology files that do not parse or break the rules are a 422.
"""

from __future__ import annotations

import re

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import SettingsDep, StewardKeyDep, StoreDep
from api.problems import problem_responses
from api.schemas import OntologyDiff, OntologyReload, OntologyTree
from kg.ontology import Ontology
from kg.steward.diff import ontology_diff, terms_from_ontology, terms_from_store
from kg.steward.reload import history, reload_ontology

router = APIRouter(prefix="/api/v1", tags=["ontology"])


class ReloadRequest(BaseModel):
    dry_run: bool = Field(False, description="plan and count only, write nothing")
    mapping: str | None = Field(None, description="old -> new term lines "
                                "(docs/ontology-stewardship.md), for removed terms with instances")


def _snake(record: dict) -> dict:
    """A reload record's keys (graph properties, camelCase: fileHash) as the API spells its
    fields (file_hash)."""
    return {re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", k).lower(): v for k, v in record.items()}


def _tree(terms: dict, kind: str) -> list[dict]:
    """Terms nested under their parents (a term with two parents appears under both)."""
    children: dict[str, list[str]] = {}
    roots = []
    for iri, t in sorted(terms.items()):
        parents = [p for p in t.parents if p in terms]
        for p in parents:
            children.setdefault(p, []).append(iri)
        if not parents:
            roots.append(iri)

    def node(iri: str, path: frozenset) -> dict:
        t = terms[iri]
        out = {"iri": t.iri, "name": t.name, "label_zh": t.label_zh, "label_en": t.label_en,
               "definition": t.definition, "deprecated": t.deprecated}
        if t.replaced_by:
            out["replaced_by"] = t.replaced_by
        if kind == "property":
            out.update(kind=t.kind, domain=list(t.domain), range=list(t.range))
        out["children"] = [node(c, path | {iri}) for c in children.get(iri, []) if c not in path]
        return out

    return [node(r, frozenset()) for r in roots]


@router.get("/ontology", response_model=OntologyTree, summary="The loaded ontology: classes and properties as trees, with labels",
            responses=problem_responses(503))
def get_ontology(store: StoreDep, settings: SettingsDep) -> dict:
    terms = terms_from_store(store)
    source = "store"
    if terms.version is None:  # nothing loaded yet: show the files
        terms, source = terms_from_ontology(Ontology.load(settings.ontology_dir)), "files"
    return {"version": terms.version, "source": source,
            "classes": _tree(terms.classes, "class"),
            "properties": _tree(terms.properties, "property")}


@router.get("/ontology/diff", response_model=OntologyDiff, summary="The ontology files vs the loaded ontology, with instance counts",
            responses=problem_responses(422, 503))
def get_ontology_diff(store: StoreDep, settings: SettingsDep):
    return ontology_diff(store, Ontology.load(settings.ontology_dir))


@router.post("/ontology/reload", name="reload_ontology",
             summary="Reload the ontology files, migrating instance data (steward key)",
             responses=problem_responses(401, 409, 422, 503))
def post_reload(store: StoreDep, settings: SettingsDep, _key: StewardKeyDep,
                body: ReloadRequest | None = None):
    body = body or ReloadRequest()
    report = reload_ontology(store, settings.ontology_dir, mapping_text=body.mapping,
                             dry_run=body.dry_run)
    if "applied" in report:
        report["applied"] = _snake(report["applied"])
    return report


@router.get("/ontology/history", response_model=list[OntologyReload], summary="Every ontology reload: version, file hash, time, counts",
            responses=problem_responses(503))
def get_ontology_history(store: StoreDep) -> list[dict]:
    return [_snake(record) for record in history(store)]
