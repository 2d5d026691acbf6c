// name: sites_visited_by_office
// description: Every site an office visited (villages, communities, service centres, enterprises...), in the order of each trip.
// param: office: string -- IRI, name or alias of the organising office
// columns: office, site, position, date, kind, article, site_iri, visit
OPTIONAL MATCH (hit:Resource) WHERE hit.iri = $office OR hit.name = $office
WITH collect(hit) AS hits
OPTIONAL MATCH (aka:Resource) WHERE size(hits) = 0 AND $office IN aka.alias AND aka.alias IS NOT NULL
WITH hits, collect(aka) AS akas
UNWIND hits + akas AS o
WITH DISTINCT o
MATCH (v:Visit)-[:organizer]->(o)
MATCH (v)-[s:visitedSite]->(site:Resource)
MATCH (v)-[:derivedFrom]->(a:Article)
RETURN o.name AS office, site.name AS site, s.position AS position, v.date AS date,
       CASE WHEN v:Observation THEN 'observation' WHEN v:Inspection THEN 'inspection' ELSE 'visit' END AS kind,
       a.articleId AS article, site.iri AS site_iri, v.iri AS visit
ORDER BY coalesce(date, ''), article, visit, position, site
