// name: officials_of
// description: The people who hold a post in an organisation, their titles, and the articles that say so.
// param: organisation: string -- name or alias of the organisation
// columns: organisation, person, title, article
OPTIONAL MATCH (hit:Resource) WHERE hit.name = $organisation
WITH collect(hit) AS hits
OPTIONAL MATCH (aka:Resource) WHERE size(hits) = 0 AND $organisation IN aka.alias AND aka.alias IS NOT NULL
WITH hits, collect(aka) AS akas
UNWIND hits + akas AS o
WITH DISTINCT o
MATCH (o)<-[:postIn]-(post:Post)<-[h:holdsPost]-(p:Person)
// the evidence from its subject, the person (a few per person), not by its fact key: FalkorDB
// joins `{fact: h.fact}` against every article's evidence
MATCH (p)<-[:subject]-(ev:Evidence)-[:derivedFrom]->(a:Article)
WHERE ev.fact = h.fact
RETURN DISTINCT o.name AS organisation, p.name AS person, post.title AS title, a.articleId AS article
ORDER BY person, title, article
