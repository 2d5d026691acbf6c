// name: offices_with_visited_sites
// description: Offices with the sites each visited, when, and the article that reports it (the explorer's first view): one row per office in name order, paged by that key; its stops ordered by date, visit and position in the trip.
// param: office: string = null -- IRI or name of one office; every office when omitted
// param: after_name: string = null -- paging: the name of the last office of the previous page
// param: after_office: string = null -- paging: the IRI of the last office of the previous page
// param: limit: integer = 20 -- at most this many offices
// param: stops: integer = 200 -- at most this many site stops per office
// columns: office, office_iri, office_labels, stop_count, stops
MATCH (o:Office)
WHERE o.name IS NOT NULL
  AND ($office IS NULL OR o.iri = $office OR o.name = $office)
  AND ($after_name IS NULL OR o.name > $after_name OR (o.name = $after_name AND o.iri > $after_office))
WITH o ORDER BY o.name, o.iri LIMIT $limit
OPTIONAL MATCH (v:Visit)-[:organizer]->(o)
OPTIONAL MATCH (v)-[s:visitedSite]->(site:Resource)
OPTIONAL MATCH (v)-[:derivedFrom]->(a:Article)
WITH o, v, s, site, a ORDER BY coalesce(v.date, '~'), v.iri, coalesce(s.position, 0), site.name
WITH o, collect(CASE WHEN site IS NULL THEN NULL ELSE
       {visit: v.iri, date: v.date,
        kind: CASE WHEN v:Observation THEN 'observation' WHEN v:Inspection THEN 'inspection' ELSE 'visit' END,
        site: site.iri, site_name: site.name, site_labels: labels(site), position: s.position,
        article: a.articleId, headline: a.headline} END) AS all_stops
RETURN o.name AS office, o.iri AS office_iri, labels(o) AS office_labels, size(all_stops) AS stop_count,
       all_stops[0..$stops] AS stops
ORDER BY office, office_iri
