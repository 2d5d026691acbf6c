// name: villages_visited_by_office
// description: Villages visited by an office (or by every organiser when no office is given), with the date and the article that reports the visit.
// param: office: string = null -- name or alias of the organising office; all organisers when omitted
// columns: office, village, date, article
MATCH (v:Visit)-[:organizer]->(o:Resource)
WHERE $office IS NULL OR o.name = $office OR $office IN coalesce(o.alias, [])
MATCH (v)-[:visitedSite]->(village:Village)
MATCH (v)-[:derivedFrom]->(a:Article)
RETURN o.name AS office, village.name AS village, v.date AS date, a.articleId AS article
ORDER BY office, coalesce(date, ''), article, village
