"""Response and request models: what /docs shows a frontend developer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

ID_DOC = "short stable id for URLs (kg.rdf.identity.short_id of the IRI; an article's articleId)"


class Problem(BaseModel):
    """An error, as RFC 9457 problem details."""

    type: str = Field(description="URI naming the kind of problem")
    title: str = Field(description="short summary of the kind of problem")
    status: int = Field(description="HTTP status code")
    detail: str = Field(description="what went wrong this time")
    instance: str = Field(description="the request path")
    errors: list[dict[str, Any]] | None = Field(None, description="per-parameter errors (422): parameter, message")


class Health(BaseModel):
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
    office: Ref
    sites: list[VisitedSite]


class Visitor(BaseModel):
    office: Ref
    date: str | None
    position: int | None
    visit: Ref
    article: str | None = Field(None, description="articleId of the report")


class Visitors(BaseModel):
    site: Ref
    visitors: list[Visitor]


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

    elements: CyElements
    truncated: bool = Field(False, description="true when the node limit cut the neighbourhood")


class QueryParam(BaseModel):
    name: str
    type: Literal["string", "integer", "float", "boolean"]
    required: bool
    default: Any = None
    description: str = ""


class NamedQuery(BaseModel):
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
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = Field(description="true when the row cap (KG_QUERY_ROW_CAP) cut the result")
