"""Ontology stewardship: the loaded ontology as a tree, the diff to the files, reload, history.

Reading is open like the rest of the API; POST /ontology/reload needs a steward key (header
X-API-Key, one of KG_STEWARD_KEYS). A refused reload (it would orphan instance data) is a 409
problem naming the terms; ontology files that do not parse or break the rules are a 422.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Security
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field

from api.deps import SettingsDep, StoreDep, Unauthorized
from api.problems import problem, problem_responses
from kg.config import Settings
from kg.errors import OntologyCheckError, OntologyError, OntologyRefused

router = APIRouter(prefix="/api/v1", tags=["ontology"])

_steward_header = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="StewardKey",
                               description="one of the keys in the KG_STEWARD_KEYS setting")


def require_steward_key(request: Request,
                        key: Annotated[str | None, Security(_steward_header)] = None) -> str:
    settings: Settings = request.app.state.settings
    keys = getattr(settings, "steward_keys", []) or []
    if not keys:
        raise Unauthorized("reloading the ontology needs a steward key and none is configured "
                           "(KG_STEWARD_KEYS)")
    if not key or not any(secrets.compare_digest(key.encode(), k.encode()) for k in keys):
        raise Unauthorized("missing or wrong steward key (header X-API-Key)")
    return key


StewardDep = Annotated[str, Depends(require_steward_key)]


class ReloadRequest(BaseModel):
    dry_run: bool = Field(False, description="plan and count only, write nothing")
    mapping: str | None = Field(None, description="old -> new term lines "
                                "(docs/ontology-stewardship.md), for removed terms with instances")


def _ontology_problem(request: Request, exc: OntologyError):
    if isinstance(exc, OntologyRefused):
        return problem(request, 409, str(exc), kind="ontology-refused", orphans=exc.orphans)
    extra: dict[str, Any] = {}
    if isinstance(exc, OntologyCheckError):
        extra["problems"] = exc.problems
    return problem(request, 422, str(exc), kind="ontology-invalid", **extra)


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


@router.get("/ontology", summary="The loaded ontology: classes and properties as trees, with labels",
            responses=problem_responses(503))
def get_ontology(store: StoreDep, settings: SettingsDep) -> dict:
    from kg.ontology import Ontology
    from kg.steward.diff import terms_from_ontology, terms_from_store

    terms = terms_from_store(store)
    source = "store"
    if terms.version is None:  # nothing loaded yet: show the files
        terms, source = terms_from_ontology(Ontology.load(settings.ontology_dir)), "files"
    return {"version": terms.version, "source": source,
            "classes": _tree(terms.classes, "class"),
            "properties": _tree(terms.properties, "property")}


@router.get("/ontology/diff", summary="The ontology files vs the loaded ontology, with instance counts",
            responses=problem_responses(422, 503))
def get_diff(request: Request, store: StoreDep, settings: SettingsDep):
    from kg.ontology import Ontology
    from kg.steward.diff import ontology_diff

    try:
        return ontology_diff(store, Ontology.load(settings.ontology_dir))
    except OntologyError as exc:
        return _ontology_problem(request, exc)


@router.post("/ontology/reload", summary="Reload the ontology files, migrating instance data (steward key)",
             responses=problem_responses(401, 409, 422, 503))
def post_reload(request: Request, store: StoreDep, settings: SettingsDep, _key: StewardDep,
                body: ReloadRequest | None = None):
    from kg.steward.reload import reload_ontology

    body = body or ReloadRequest()
    try:
        return reload_ontology(store, settings.ontology_dir, mapping_text=body.mapping,
                               dry_run=body.dry_run)
    except OntologyError as exc:
        return _ontology_problem(request, exc)


@router.get("/ontology/history", summary="Every ontology reload: version, file hash, time, counts",
            responses=problem_responses(503))
def get_history(store: StoreDep) -> list[dict]:
    from kg.steward.reload import history

    return history(store)
