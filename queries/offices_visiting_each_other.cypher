// name: offices_visiting_each_other
// description: Pairs of offices or bodies that each visited a place belonging to the other (a place partOf the other, directly or through up to three levels), with the places on each side.
// columns: office_a, office_b, a_visited, b_visited
// each pair (a, b) is found once from a's visits, then b's visits are walked only for the pairs
// found: the cost grows with visits + pairs, not with visits of a times visits of b
MATCH (v1:Visit)-[:organizer]->(a:Resource)
MATCH (v1)-[:visitedSite]->(s1:Resource)-[:partOf*1..3]->(b:Resource)
WHERE a.iri < b.iri
WITH a, b, s1 ORDER BY s1.name
WITH a, b, collect(DISTINCT s1.name) AS a_visited
MATCH (b)<-[:organizer]-(v2:Visit)-[:visitedSite]->(s2:Resource)-[:partOf*1..3]->(a)
WITH a, b, a_visited, s2 ORDER BY s2.name
WITH a, b, a_visited, collect(DISTINCT s2.name) AS b_visited
RETURN a.name AS office_a, b.name AS office_b, a_visited, b_visited
ORDER BY office_a, office_b
