// name: sites_visited_by_several_offices
// description: Sites visited by more than one office or body, with the visitors and the number of visits.
// columns: site, site_iri, offices, visits
MATCH (v:Visit)-[:visitedSite]->(site:Resource)
MATCH (v)-[:organizer]->(o:Resource)
WITH site, o, count(DISTINCT v) AS n
ORDER BY o.name
WITH site, collect(o.name) AS offices, sum(n) AS visits
WHERE size(offices) > 1
RETURN site.name AS site, site.iri AS site_iri, offices, visits
ORDER BY visits DESC, site, site_iri
