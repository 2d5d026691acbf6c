// name: offices_that_visited
// description: Who visited a site: the organising office or body of each visit, when, and according to which article.
// param: site: string -- name or alias of the visited site
// columns: site, office, date, article
MATCH (v:Visit)-[:visitedSite]->(site:Resource)
WHERE site.name = $site OR $site IN coalesce(site.alias, [])
MATCH (v)-[:organizer]->(o:Resource)
MATCH (v)-[:derivedFrom]->(a:Article)
RETURN site.name AS site, o.name AS office, v.date AS date, a.articleId AS article
ORDER BY coalesce(date, ''), office, article
