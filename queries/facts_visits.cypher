// name: facts_visits
// description: Activities (visits, meetings, lectures) of an article, one row per activity and linked organizer, site or leader (role null when it has none); first mention first, sites in trip order.
// param: article: string -- article id
// columns: activity, kind, date, participants, first, role, iri, name, position
MATCH (a:Article {articleId: $article})<-[:derivedFrom]-(v:Activity)
OPTIONAL MATCH (tev:Evidence {articleId: $article})-[:subject]->(v)
WITH v, min(tev.start) AS first,
     CASE WHEN v:Observation THEN 'observation' WHEN v:Inspection THEN 'inspection'
          WHEN v:Lecture THEN 'lecture' WHEN v:Meeting THEN 'meeting' ELSE 'observation' END AS kind
OPTIONAL MATCH (v)-[r]->(x:Resource)
WHERE type(r) = 'organizer' OR type(r) = 'visitedSite' OR type(r) = 'leader'
RETURN v.iri AS activity, kind, v.date AS date, v.participants AS participants, first,
       type(r) AS role, x.iri AS iri, x.name AS name, r.position AS position
ORDER BY first, activity, role, coalesce(position, 0), name, iri
