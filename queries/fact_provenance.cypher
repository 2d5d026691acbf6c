// name: fact_provenance
// description: Where a fact comes from: every evidence of it, with the article, the annotated span (start, end exclusive, text), who annotated it and how sure. A fact is named by the key `fact` that its relationship and evidences carry.
// param: fact: string -- the fact key (the `fact` property of a relationship or an Evidence)
// columns: fact, subject, subject_name, predicate, object, article, headline, start, end, text, annotated_by, confidence
MATCH (ev:Evidence {fact: $fact})
OPTIONAL MATCH (ev)-[:subject]->(s:Resource)
OPTIONAL MATCH (ev)-[:derivedFrom]->(a:Article)
RETURN ev.fact AS fact, s.iri AS subject, s.name AS subject_name, ev.predicate AS predicate,
       ev.object AS object, a.articleId AS article, a.headline AS headline, ev.start AS start,
       ev.end AS end, ev.exact AS text, ev.annotatedBy AS annotated_by, ev.confidence AS confidence
ORDER BY coalesce(article, ''), coalesce(start, 0), coalesce(end, 0), coalesce(annotated_by, '')
