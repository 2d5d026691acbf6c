"""The automatic reader: a spaCy pipeline for Chinese that runs offline, assembled from small
rule components, and `annotate()` turning its output into an AnnotatedArticle in the scheme of
kg/scheme.py.

    nlp = build_pipeline()                       # or build_pipeline({"components": [...]})
    annotated = annotate(nlp, Article(id="a1", text=...))

The tokenizer is the lexical backbone (kg/extract/backbone.py: LAC's words, tags and names).
Components (one module each): kg_organisations (organisation and place mentions over words,
nesting, list prefixes, the article's own unit), kg_people (the analyser's names, bylines),
kg_posts (titles and the organisation of each), kg_values (dates, head counts, campaigns),
kg_events (trips, meetings, lectures from kg/extract/data/events.tsv: organiser, stops, date,
leaders, head count).
"""

from __future__ import annotations

from typing import Any

import spacy
from spacy.language import Language

import kg
from kg.extract import backbone as _backbone  # noqa: F401  (registers the tokenizer)
from kg.extract import events as _events  # noqa: F401  (registers the components)
from kg.extract import organisations as _organisations  # noqa: F401
from kg.extract import people as _people  # noqa: F401
from kg.extract import posts as _posts  # noqa: F401
from kg.extract import values as _values  # noqa: F401
from kg.extract.state import COMMITTEES, state
from kg.model import AnnotatedArticle, Annotator, Article, Relation, Span
from kg.names import entity_names

COMPONENTS = ("kg_organisations", "kg_people", "kg_posts", "kg_values", "kg_events")
DEFAULT_CONFIG: dict[str, Any] = {"components": list(COMPONENTS)}

# confidence per source of a span, as annotator confidence (rules measured on the dev corpus)
CONFIDENCE = 0.8
ANNOTATOR = Annotator(name="kg-rules", version=kg.__version__, confidence=CONFIDENCE)


def build_pipeline(config: dict[str, Any] | None = None) -> Language:
    """A Chinese pipeline on the LAC backbone (kg/extract/backbone.py) with the rule
    components named in config["components"], in order."""
    cfg = {**DEFAULT_CONFIG, **(config or {})}
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.lac_tokenizer.v1"}}})
    for name in cfg["components"]:
        nlp.add_pipe(name)
    return nlp


def annotate(nlp: Language, article: Article) -> AnnotatedArticle:
    """Run the pipeline on the article text: the article with spans and relations."""
    text = article.text
    doc = nlp.make_doc(text)
    st = state(doc, text)  # the components read the text from here, not from doc.text
    doc = nlp(doc)
    spans: list[Span] = []
    rels: list[Relation] = []
    # Span/Relation are NamedTuples: _make skips the generated __new__ (readers build tens each)
    new_span, new_rel = Span._make, Relation._make
    span_append, rel_append = spans.append, rels.append
    units = st.units

    def add_span(label: str, start: int, end: int, ref: str | None = None) -> str:
        sid = f"T{len(spans) + 1}"
        span_append(new_span((sid, label, start, end, text[start:end], ref)))
        return sid

    def rel(typ: str, a: str | None, b: str | None) -> None:
        if a and b:
            rel_append(new_rel((typ, a, b, f"R{len(rels) + 1}")))

    unit_ids: dict[int, str] = {}
    resolve = _posts.resolve

    def unit_id(k: int | None) -> str | None:
        if k is None:
            return None
        if units[k].generic:
            k = resolve(st, k)
            if k is None:
                return None
        sid = unit_ids.get(k)
        if sid is None:
            u = units[k]
            sid = unit_ids[k] = add_span(u.label, u.start, u.end)
        return sid

    # every unit that is not a reference or inside a post title, in order (unit_id of each);
    # a bare name the analyser took for an organisation only when something refers to it
    # (a stop, an organiser): alone it is as often a brand or a slogan as a company
    for k, u in enumerate(units):
        if u.generic or u.in_title or (u.bare and u.label == "Enterprise"):
            continue
        sid = f"T{len(spans) + 1}"
        span_append(new_span((sid, u.label, u.start, u.end, text[u.start:u.end], None)))
        unit_ids[k] = sid
    # nesting by name, between units that have their spans; a committee is no member of its
    # place, nor a committee's department of the committee (FACTS.md)
    for k, u in enumerate(units):
        if k not in unit_ids or u.parent is None or u.label in COMMITTEES or \
                units[u.parent].label in COMMITTEES:
            continue
        parent = _posts.resolve(st, u.parent)  # (该县丙镇: in the county 该县 stands for)
        if parent is not None and parent != k:
            rel("partOf", unit_ids[k], unit_id(parent))
    person_ids = [add_span(_PERSON_LABEL.get(p.role, "Person"), p.start, p.end, p.ref)
                  for p in st.people]
    for post in st.posts:
        pid = add_span("Post", post.start, post.end)
        rel("holdsPost", person_ids[post.person], pid)
        rel("postIn", pid, unit_id(post.org))
    value_ids = [add_span(v.label, v.start, v.end) for v in st.values]
    for ev in st.events:
        eid = add_span(ev.label, ev.start, ev.end)
        rel("organizer", eid, unit_id(ev.organizer))
        for s in ev.sites:
            rel("visitedSite", eid, unit_id(s))
        for pi in ev.leaders:
            rel("leader", eid, person_ids[pi])
        if ev.date is not None:
            rel("date", eid, value_ids[ev.date])
        if ev.participants is not None:
            rel("participants", eid, value_ids[ev.participants])
        if ev.campaign is not None:
            rel("aboutCampaign", eid, value_ids[ev.campaign])
    for a, b in st.memberships:
        rel("partOf", unit_id(a), unit_id(b))
    out = article.annotated(spans, rels, ANNOTATOR)
    # one entity, one name: a mention the article writes differently from the entity's name
    # (街道 / 办事处 forms, a district's short form, a bare 党工委) refers to it by `ref`
    names = entity_names(out)
    get = names.get
    out.spans = [new_span((s.id, s.label, s.start, s.end, s.text, names[s.id]))
                 if get(s.id, s.text) != s.text else s for s in spans]
    return out


_PERSON_LABEL = {"Reporter": "Reporter", "Correspondent": "Correspondent"}
