"""Response and request models: what /docs shows a frontend developer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api import examples as ex

ID_DOC = "short stable id for URLs (kg.rdf.identity.short_id of the IRI; an article's articleId)"


def _example(value: Any) -> ConfigDict:
    """A model's example (from the sample page), shown by /docs and generated clients."""
    return ConfigDict(json_schema_extra={"examples": [value]})


class ParameterError(BaseModel):
    """One bad or unknown parameter of a request."""

    model_config = ConfigDict(populate_by_name=True)

    parameter: str = Field(description="the parameter's name (a dotted path inside a JSON body)")
    in_: str | None = Field(None, alias="in", description="where it was: query, path, header or "
                            "body; null when the parameter is a named query's")
    message: str = Field(description="what is wrong with it")


class Problem(BaseModel):
    """An error, as RFC 9457 problem details (media type application/problem+json)."""

    type: str = Field(description="URI naming the kind of problem, "
                      "https://w3id.org/newskg/problems/ + a slug: not-found, invalid-parameter, "
                      "unauthorized, read-only, query-error, ontology-refused, ontology-invalid, "
                      "store-unavailable, store-error, internal, method-not-allowed...")
    title: str = Field(description="short summary of the kind of problem")
    status: int = Field(description="HTTP status code")
    detail: str = Field(description="what went wrong this time")
    instance: str = Field(description="the request path")
    errors: list[ParameterError] | None = Field(None, description="per-parameter errors (422)")
    problems: list[str] | None = Field(None, description="ontology files breaking the rules "
                                       "(422 ontology-invalid): one line each")
    orphans: list[dict[str, Any]] | None = Field(None, description="terms a refused reload would "
                                                 "orphan (409): kind, iri, instances")


class Health(BaseModel):
    model_config = _example({"status": "ok", "store": "embedded"})

    status: Literal["ok"] = "ok"
    store: str | None = Field(None, description="the store kind (embedded or neo4j)")


class Ref(BaseModel):
    """A node referred to from elsewhere."""

    id: str = Field(description=ID_DOC)
    iri: str = Field(description="the node's IRI")
    name: str | None = Field(None, description="its name (headline for articles, title for posts)")


class TypedRef(Ref):
    type: str | None = Field(None, description="most specific ontology class, e.g. Office, Village, Observation")


class ArticleRef(BaseModel):
    id: str = Field(description="the article's articleId")
    headline: str | None = None


class EntitySummary(TypedRef):
    labels: list[str] = Field(description="all labels: the class and its superclasses")
    aliases: list[str] = Field(default_factory=list, description="other names it goes by")


class EntityPage(BaseModel):
    model_config = _example(ex.ENTITY_PAGE)

    items: list[EntitySummary]
    next_cursor: str | None = Field(None, description="pass as `cursor` for the next page; null on the last page")


class Link(BaseModel):
    """A typed relationship of the entity, with the articles that support it."""

    type: str = Field(description="relationship type (ontology property), e.g. organizer, visitedSite, partOf")
    direction: Literal["out", "in"] = Field(description="out: entity -> target; in: target -> entity")
    fact: str | None = Field(None, description="fact key shared by the relationship and its evidence")
    position: int | None = Field(None, description="order of a visited site within its trip")
    target: TypedRef
    articles: list[ArticleRef] = Field(description="articles with evidence for this link")


class Entity(EntitySummary):
    model_config = _example(ex.ENTITY)

    properties: dict[str, Any] = Field(description="other properties (date, participants, title...)")
    links: list[Link]
    links_truncated: bool = Field(False, description="true when the entity has more links than are listed")


class SiteStop(Ref):
    position: int | None = Field(None, description="order within the trip, from 1")


class Visit(Ref):
    kind: Literal["visit", "observation", "inspection"]
    date: str | None = Field(None, description="YYYY-MM-DD, or --MM-DD when the article gives no year")
    organizers: list[Ref]
    sites: list[SiteStop] = Field(description="visited sites in trip order")
    leaders: list[Ref]
    participants: str | None = Field(None, description="participants as written, e.g. 30余人")
    participant_count: int | None = Field(None, description="participants as a number, when the text gives one")
    articles: list[ArticleRef]


class VisitPage(BaseModel):
    model_config = _example(ex.VISIT_PAGE)

    items: list[Visit]
    next_cursor: str | None = Field(None, description="pass as `cursor` for the next page; null on the last page")


class VisitedSite(BaseModel):
    site: Ref
    position: int | None
    date: str | None
    kind: str
    visit: Ref
    article: str | None = Field(None, description="articleId of the report")


class VisitedSites(BaseModel):
    model_config = _example(ex.VISITED_SITES)

    office: Ref
    sites: list[VisitedSite]


class Visitor(BaseModel):
    office: Ref
    date: str | None
    position: int | None
    visit: Ref
    article: str | None = Field(None, description="articleId of the report")


class Visitors(BaseModel):
    model_config = _example(ex.VISITORS)

    site: Ref
    visitors: list[Visitor]


class TypedSiteStop(SiteStop):
    type: str | None = Field(None, description="most specific ontology class of the site, e.g. Village")


class OfficeVisit(BaseModel):
    """One visit of an office: when, what kind, the sites in trip order, the article."""

    visit: Ref
    date: str | None = Field(None, description="YYYY-MM-DD, or --MM-DD when the article gives no year")
    kind: Literal["visit", "observation", "inspection"]
    article: ArticleRef | None = Field(None, description="the article that reports the visit")
    sites: list[TypedSiteStop] = Field(description="visited sites in trip order")


class OfficeVisits(BaseModel):
    office: Ref
    type: str | None = Field(None, description="most specific ontology class of the office")
    visits: list[OfficeVisit] = Field(description="by date (undated last), then visit")
    visit_count: int = Field(description="visits the office made (with or without sites)")
    visits_truncated: bool = Field(description="true when only the first visits are listed "
                                               "(GET /api/v1/visits?organizer= has them all)")


class OfficePage(BaseModel):
    model_config = _example(ex.OFFICE_PAGE)

    items: list[OfficeVisits]
    next_cursor: str | None = Field(None, description="pass as `cursor` for the next page; null on the last page")


class Span(BaseModel):
    start: int | None = Field(None, description="character offset of the span's start")
    end: int | None = Field(None, description="character offset of the span's end (exclusive)")
    text: str | None = Field(None, description="the annotated text")
    annotated_by: str | None = Field(None, description="who made the annotation: human, rules or model")
    confidence: float | None = None
    position: int | None = None


class FactObject(BaseModel):
    iri: str | None = Field(None, description="IRI when the object is a node")
    id: str | None = None
    name: str | None = None
    value: Any = Field(None, description="the literal value when the object is not a node")


class Fact(BaseModel):
    fact: str = Field(description="fact key")
    subject: Ref | None
    predicate: str
    object: FactObject
    evidence: list[Span]


class Article(BaseModel):
    model_config = _example(ex.ARTICLE)

    id: str = Field(description="the articleId")
    iri: str | None
    headline: str | None
    byline: str | None
    published: str | None
    source: str | None
    text: str | None
    reporters: list[Ref]
    correspondents: list[Ref]
    facts: list[Fact]


class CyNodeData(BaseModel):
    id: str
    label: str = Field(description="display text")
    iri: str
    type: str | None = None
    labels: list[str] = []
    article_id: str | None = None


class CyEdgeData(BaseModel):
    id: str
    source: str
    target: str
    label: str = Field(description="relationship type")
    fact: str | None = None
    position: int | None = None


class CyNode(BaseModel):
    data: CyNodeData


class CyEdge(BaseModel):
    data: CyEdgeData


class CyElements(BaseModel):
    nodes: list[CyNode]
    edges: list[CyEdge]


class Graph(BaseModel):
    """A neighbourhood in the shape Cytoscape.js takes (`cy.add(response.elements)`)."""

    model_config = _example(ex.GRAPH)

    elements: CyElements
    truncated: bool = Field(False, description="true when the node limit cut the neighbourhood")


class QueryParam(BaseModel):
    name: str
    type: Literal["string", "integer", "float", "boolean"]
    required: bool
    default: Any = None
    description: str = ""


class NamedQuery(BaseModel):
    model_config = _example(ex.NAMED_QUERY)

    name: str
    description: str
    parameters: list[QueryParam]
    columns: list[str]


class QueryRun(BaseModel):
    parameters: dict[str, Any] = Field(default_factory=dict, description="parameter values by name")


class CypherRequest(BaseModel):
    query: str = Field(min_length=1, max_length=20_000, description="a read-only Cypher query")
    parameters: dict[str, Any] = Field(default_factory=dict, description="query parameters ($name)")


class Rows(BaseModel):
    model_config = _example(ex.ROWS)

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = Field(description="true when the row cap (KG_QUERY_ROW_CAP) cut the result")


class OntologyTerm(BaseModel):
    """A class or property of the ontology, with the terms under it."""

    iri: str
    name: str = Field(description="local name, as labels and relationship types spell it")
    label_zh: str | None = None
    label_en: str | None = None
    definition: str | None = None
    deprecated: bool = False
    replaced_by: str | None = Field(None, description="the term that replaces a deprecated one")
    kind: str | None = Field(None, description="properties: object, datatype or annotation")
    domain: list[str] | None = Field(None, description="properties: the classes they start from")
    range: list[str] | None = Field(None, description="properties: the classes or datatypes they reach")
    children: list[OntologyTerm] = Field(description="subclasses or subproperties")


class OntologyTree(BaseModel):
    model_config = _example(ex.ONTOLOGY)

    version: str | None = Field(description="owl:versionInfo of the ontology shown")
    source: Literal["store", "files"] = Field(description="store: the loaded ontology; files: "
                                              "nothing is loaded yet, KG_ONTOLOGY_DIR is shown")
    classes: list[OntologyTerm]
    properties: list[OntologyTerm]


class OntologyChange(BaseModel):
    change: Literal["added", "removed", "relabelled", "moved", "deprecated"]
    kind: Literal["class", "property"]
    iri: str
    name: str
    details: dict[str, Any] = Field(default_factory=dict, description="what changed: labels, "
                                    "parents, replaced_by...")
    instances: int | None = Field(None, description="instances in the store the change touches")


class OntologyDiff(BaseModel):
    model_config = _example(ex.ONTOLOGY_DIFF)

    stored_version: str | None
    file_version: str | None
    changes: list[OntologyChange]


class OntologyReload(BaseModel):
    """One reload, as recorded in the graph."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [ex.ONTOLOGY_RELOAD]})

    version: str
    previous_version: str = Field(description="empty for the first reload")
    file_hash: str = Field(description="sha256 of the ontology files")
    at: str = Field(description="when, ISO 8601 UTC")
    classes_migrated: int = 0
    properties_migrated: int = 0
    type_facts_migrated: int = 0
    relationships_migrated: int = 0
    literals_migrated: int = 0
    evidence_migrated: int = 0
    nodes_relabelled: int = 0
    changes: int = 0
    migrations: list[str] = Field(default_factory=list, description="old -> new terms")
    violations: int | None = Field(None, description="SHACL violations found after the reload")
    outcome: Literal["applied", "rolled back", "unknown"] = Field(
        "applied", description="applied; rolled back (nothing of it stayed, see reason); or "
                               "unknown (no answer to the commit: wholly in or out)")
    reason: str | None = Field(None, description="why it was rolled back")
