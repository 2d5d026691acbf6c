// name: offices_visiting_each_other
// description: Pairs of offices or bodies that each visited a place belonging to the other (a place partOf the other, directly or through up to three levels), with the places on each side.
// columns: office_a, office_b, a_visited, b_visited
MATCH (v1:Visit)-[:organizer]->(a:Resource)
MATCH (v1)-[:visitedSite]->(s1:Resource)-[:partOf*1..3]->(b:Resource)
WHERE a.iri < b.iri
MATCH (v2:Visit)-[:organizer]->(b)
MATCH (v2)-[:visitedSite]->(s2:Resource)-[:partOf*1..3]->(a)
WITH a, b, s1, s2 ORDER BY s1.name, s2.name
WITH a, b, collect(DISTINCT s1.name) AS a_visited, collect(DISTINCT s2.name) AS b_visited
RETURN a.name AS office_a, b.name AS office_b, a_visited, b_visited
ORDER BY office_a, office_b
