// name: office_visits_in_range
// description: The visits of an office between two dates (inclusive), one row per visited site in trip order; a date without a year is compared by month and day.
// param: office: string -- IRI, name or alias of the organising office
// param: date_from: string = null -- earliest date, YYYY-MM-DD or --MM-DD; no lower bound when omitted
// param: date_to: string = null -- latest date, YYYY-MM-DD or --MM-DD; no upper bound when omitted
// columns: office, date, kind, site, position, article, visit
OPTIONAL MATCH (hit:Resource) WHERE hit.iri = $office OR hit.name = $office
WITH collect(hit) AS hits
OPTIONAL MATCH (aka:Resource) WHERE size(hits) = 0 AND $office IN aka.alias AND aka.alias IS NOT NULL
WITH hits, collect(aka) AS akas
UNWIND hits + akas AS o
WITH DISTINCT o
MATCH (v:Visit)-[:organizer]->(o)
WITH o, v, coalesce(v.date, '') AS d
WHERE ($date_from IS NULL OR (d <> '' AND CASE WHEN d STARTS WITH '--' OR $date_from STARTS WITH '--'
                                THEN right(d, 5) >= right($date_from, 5) ELSE d >= $date_from END))
  AND ($date_to IS NULL OR (d <> '' AND CASE WHEN d STARTS WITH '--' OR $date_to STARTS WITH '--'
                              THEN right(d, 5) <= right($date_to, 5) ELSE d <= $date_to END))
MATCH (v)-[s:visitedSite]->(site:Resource)
OPTIONAL MATCH (v)-[:derivedFrom]->(a:Article)
RETURN o.name AS office, v.date AS date,
       CASE WHEN v:Observation THEN 'observation' WHEN v:Inspection THEN 'inspection' ELSE 'visit' END AS kind,
       site.name AS site, s.position AS position, a.articleId AS article, v.iri AS visit
ORDER BY coalesce(date, ''), visit, coalesce(position, 0), site
