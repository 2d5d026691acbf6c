// name: facts_entities
// description: Entities an article names: stored name, aliases, the article's mentions (evidence text) and type (the class its type evidence asserts), first mention first.
// param: article: string -- article id
// columns: iri, name, aliases, mentions, type, first
MATCH (ev:Evidence {articleId: $article})-[:subject]->(e:Resource)
WHERE ev.predicate = 'type' AND e.name IS NOT NULL
WITH e, ev.object AS type, min(ev.start) AS first, collect(DISTINCT ev.exact) AS mentions
RETURN e.iri AS iri, e.name AS name, coalesce(e.alias, []) AS aliases, mentions, type, first
ORDER BY first, iri, type
