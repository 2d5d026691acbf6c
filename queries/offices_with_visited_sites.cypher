// name: offices_with_visited_sites
// description: Offices with the sites each visited, when, and the article that reports it (the explorer's first view): one row per office in name order, paged by that key; its visits by date (undated last), each visit's sites in trip order.
// param: office: string = null -- IRI or name of one office; every office when omitted
// param: after_name: string = null -- paging: the name of the last office of the previous page
// param: after_office: string = null -- paging: the IRI of the last office of the previous page
// param: limit: integer = 20 -- at most this many offices
// param: visits: integer = 50 -- at most this many visits per office (the first by date)
// columns: office, office_iri, office_labels, visit_count, listed, stops
MATCH (o:Office)
WHERE o.name IS NOT NULL
  AND ($office IS NULL OR o.iri = $office OR o.name = $office)
  AND ($after_name IS NULL OR o.name > $after_name OR (o.name = $after_name AND o.iri > $after_office))
WITH o ORDER BY o.name, o.iri LIMIT $limit
// the far ends are tested with labels(): a label in the pattern costs the embedded store a scan per row
OPTIONAL MATCH (o)<-[:organizer]-(v) WHERE 'Visit' IN labels(v)
WITH o, v ORDER BY coalesce(v.date, '~'), v.iri
WITH o, collect(v) AS all_visits
WITH o, size(all_visits) AS visit_count, all_visits[0..$visits] AS visits
WITH o, visit_count, size(visits) AS listed, visits
UNWIND CASE WHEN listed = 0 THEN [null] ELSE visits END AS v
OPTIONAL MATCH (v)-[s:visitedSite]->(site)
OPTIONAL MATCH (v)-[:derivedFrom]->(a) WHERE a.articleId IS NOT NULL
WITH o, visit_count, listed, v, s, site, a ORDER BY coalesce(v.date, '~'), v.iri, coalesce(s.position, 0), site.name
WITH o, visit_count, listed, collect(CASE WHEN site IS NULL THEN NULL ELSE
       {visit: v.iri, date: v.date,
        kind: CASE WHEN 'Observation' IN labels(v) THEN 'observation'
                   WHEN 'Inspection' IN labels(v) THEN 'inspection' ELSE 'visit' END,
        site: site.iri, site_name: site.name, site_labels: labels(site), position: s.position,
        article: a.articleId, headline: a.headline} END) AS stops
RETURN o.name AS office, o.iri AS office_iri, labels(o) AS office_labels, visit_count, listed, stops
ORDER BY office, office_iri
