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
// then each b's visited sites once, for all its partners a (walking from the pairs made Neo4j
// expand b's visits once per pair: 5.2 s at 10,000 articles, now 0.8 s)
WITH b, collect([a, a_visited]) AS partners
MATCH (b)<-[:organizer]-(:Visit)-[:visitedSite]->(s2:Resource)
WITH DISTINCT b, partners, s2
MATCH (s2)-[:partOf*1..3]->(a:Resource)
UNWIND partners AS partner
WITH b, partner, a, s2 WHERE partner[0] = a
WITH a, b, partner[1] AS a_visited, s2 ORDER BY s2.name
WITH a, b, a_visited, collect(DISTINCT s2.name) AS b_visited
RETURN a.name AS office_a, b.name AS office_b, a_visited, b_visited
ORDER BY office_a, office_b
