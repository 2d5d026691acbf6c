// name: facts_posts
// description: Posts an article gives people: person, title and organisation (null when the article names none), first mention first.
// param: article: string -- article id
// columns: person_iri, person, title, organization_iri, organization, first
MATCH (ev:Evidence {articleId: $article})-[:subject]->(p:Person)
WHERE ev.predicate = 'holdsPost'
MATCH (p)-[h:holdsPost]->(post:Post)
WHERE h.fact = ev.fact
OPTIONAL MATCH (post)-[:postIn]->(o:Resource)
WITH p, post, o, min(ev.start) AS first
RETURN p.iri AS person_iri, p.name AS person, post.title AS title, o.iri AS organization_iri,
       o.name AS organization, first
ORDER BY first, person, title, coalesce(organization, ''), person_iri, coalesce(organization_iri, '')
