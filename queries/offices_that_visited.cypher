// name: offices_that_visited
// description: Who visited a site: the organising office or body of each visit, when, and according to which article.
// param: site: string -- IRI, name or alias of the visited site
// columns: site, office, date, article, office_iri, visit, position
MATCH (v:Visit)-[s:visitedSite]->(site:Resource)
WHERE site.iri = $site OR site.name = $site OR $site IN coalesce(site.alias, [])
MATCH (v)-[:organizer]->(o:Resource)
MATCH (v)-[:derivedFrom]->(a:Article)
RETURN site.name AS site, o.name AS office, v.date AS date, a.articleId AS article, o.iri AS office_iri,
       v.iri AS visit, s.position AS position
ORDER BY coalesce(date, ''), office, article, visit
