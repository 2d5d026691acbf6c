// name: office_timeline
// description: Timeline of an office: every activity it organised (visits, observations, inspections, meetings, lectures), in date order, with the places in trip order, the leaders and the article.
// param: office: string -- IRI, name or alias of the organising office
// columns: office, date, kind, activity, sites, leaders, campaigns, article, headline
OPTIONAL MATCH (hit:Resource) WHERE hit.iri = $office OR hit.name = $office
WITH collect(hit) AS hits
OPTIONAL MATCH (aka:Resource) WHERE size(hits) = 0 AND $office IN aka.alias AND aka.alias IS NOT NULL
WITH hits, collect(aka) AS akas
UNWIND hits + akas AS o
WITH DISTINCT o
MATCH (act:Activity)-[:organizer]->(o)
OPTIONAL MATCH (act)-[s:visitedSite]->(site:Resource)
WITH o, act, s, site ORDER BY coalesce(s.position, 0), site.name
WITH o, act, [x IN collect(site) | x.name] AS sites
OPTIONAL MATCH (act)-[:leader]->(p:Resource)
WITH o, act, sites, p ORDER BY p.name
WITH o, act, sites, [x IN collect(p) | x.name] AS leaders
OPTIONAL MATCH (act)-[:aboutCampaign]->(c:Resource)
WITH o, act, sites, leaders, c ORDER BY c.name
WITH o, act, sites, leaders, [x IN collect(c) | x.name] AS campaigns
OPTIONAL MATCH (act)-[:derivedFrom]->(a:Article)
RETURN o.name AS office, act.date AS date,
       CASE WHEN act:Observation THEN 'observation' WHEN act:Inspection THEN 'inspection'
            WHEN act:Visit THEN 'visit' WHEN act:Meeting THEN 'meeting' WHEN act:Lecture THEN 'lecture'
            ELSE 'activity' END AS kind,
       act.iri AS activity, sites, leaders, campaigns, a.articleId AS article, a.headline AS headline
ORDER BY coalesce(date, ''), coalesce(article, ''), activity
