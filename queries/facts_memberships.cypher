// name: facts_memberships
// description: Memberships an article states (child partOf parent), first mention first.
// param: article: string -- article id
// columns: child_iri, child, parent_iri, parent, first
MATCH (ev:Evidence {articleId: $article})-[:subject]->(c:Resource)
WHERE ev.predicate = 'partOf'
MATCH (c)-[r:partOf]->(p:Resource)
WHERE r.fact = ev.fact
WITH c, p, min(ev.start) AS first
RETURN c.iri AS child_iri, c.name AS child, p.iri AS parent_iri, p.name AS parent, first
ORDER BY first, child, parent, child_iri, parent_iri
