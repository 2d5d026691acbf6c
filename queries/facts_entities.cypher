// name: facts_entities
// description: Entities an article names: stored name, aliases, the article's mentions (evidence text), where the mentions are, and type (the class its type evidence asserts), first mention first.
// param: article: string -- article id
// columns: iri, name, aliases, mentions, type, first, spans
MATCH (ev:Evidence {articleId: $article})-[:subject]->(e:Resource)
WHERE ev.predicate = 'type' AND e.name IS NOT NULL
WITH e, ev.object AS type, min(ev.start) AS first, collect(DISTINCT ev.exact) AS mentions,
     collect(DISTINCT [ev.start, ev.end]) AS spans
RETURN e.iri AS iri, e.name AS name, coalesce(e.alias, []) AS aliases, mentions, type, first, spans
ORDER BY first, iri, type
