// name: person_activities
// description: What a person does according to the news: the posts they hold (title, organisation) and the activities they lead, each with its article.
// param: person: string -- IRI, name or alias of the person
// columns: person, role, title, organisation, kind, date, activity, article
OPTIONAL MATCH (hit:Resource) WHERE (hit.iri = $person OR hit.name = $person) AND hit:Person
WITH collect(hit) AS hits
OPTIONAL MATCH (aka:Resource) WHERE size(hits) = 0 AND $person IN aka.alias AND aka.alias IS NOT NULL AND aka:Person
WITH hits, collect(aka) AS akas
UNWIND hits + akas AS p
WITH DISTINCT p
CALL {
  WITH p
  MATCH (p)-[h:holdsPost]->(post:Post)
  OPTIONAL MATCH (post)-[:postIn]->(org:Resource)
  OPTIONAL MATCH (ev:Evidence {fact: h.fact})-[:derivedFrom]->(a:Article)
  RETURN DISTINCT 'post' AS role, post.title AS title, org.name AS organisation, NULL AS kind,
         NULL AS date, NULL AS activity, a.articleId AS article
  UNION
  WITH p
  MATCH (p)<-[:leader]-(act:Activity)
  OPTIONAL MATCH (act)-[:organizer]->(org:Resource)
  OPTIONAL MATCH (act)-[:derivedFrom]->(a:Article)
  RETURN DISTINCT 'leader' AS role, NULL AS title, org.name AS organisation,
         CASE WHEN act:Observation THEN 'observation' WHEN act:Inspection THEN 'inspection'
              WHEN act:Visit THEN 'visit' WHEN act:Meeting THEN 'meeting' WHEN act:Lecture THEN 'lecture'
              ELSE 'activity' END AS kind,
         act.date AS date, act.iri AS activity, a.articleId AS article
}
RETURN p.name AS person, role, title, organisation, kind, date, activity, article
ORDER BY person, role DESC, coalesce(date, ''), coalesce(title, ''), coalesce(organisation, ''),
         coalesce(activity, ''), coalesce(article, '')
