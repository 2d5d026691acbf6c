// name: offices_that_visited
// description: Who visited a site: the organising office or body of each visit, when, and according to which article.
// param: site: string -- IRI, name or alias of the visited site
// columns: site, office, date, article, office_iri, visit, position
OPTIONAL MATCH (hit:Resource) WHERE hit.iri = $site OR hit.name = $site
WITH collect(hit) AS hits
OPTIONAL MATCH (aka:Resource) WHERE size(hits) = 0 AND $site IN aka.alias AND aka.alias IS NOT NULL
WITH hits, collect(aka) AS akas
UNWIND hits + akas AS site
WITH DISTINCT site
MATCH (v:Visit)-[s:visitedSite]->(site)
MATCH (v)-[:organizer]->(o:Resource)
MATCH (v)-[:derivedFrom]->(a:Article)
RETURN site.name AS site, o.name AS office, v.date AS date, a.articleId AS article, o.iri AS office_iri,
       v.iri AS visit, s.position AS position
ORDER BY coalesce(date, ''), office, article, visit
