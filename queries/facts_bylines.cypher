// name: facts_bylines
// description: Reporters and correspondents in an article's byline, in byline order.
// param: article: string -- article id
// columns: role, iri, name, first
MATCH (ev:Evidence {articleId: $article})
WHERE ev.predicate = 'reporter' OR ev.predicate = 'correspondent'
MATCH (p:Person {iri: ev.object})
WITH ev.predicate AS role, p, min(ev.start) AS first
RETURN role, p.iri AS iri, p.name AS name, first
ORDER BY first, role, name, iri
