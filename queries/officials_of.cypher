// name: officials_of
// description: The people who hold a post in an organisation, their titles, and the articles that say so.
// param: organisation: string -- name or alias of the organisation
// columns: organisation, person, title, article
MATCH (o:Resource)<-[:postIn]-(post:Post)<-[h:holdsPost]-(p:Person)
WHERE o.name = $organisation OR $organisation IN coalesce(o.alias, [])
MATCH (ev:Evidence {fact: h.fact})-[:derivedFrom]->(a:Article)
RETURN DISTINCT o.name AS organisation, p.name AS person, post.title AS title, a.articleId AS article
ORDER BY person, title, article
