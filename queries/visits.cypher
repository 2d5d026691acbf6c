// name: visits
// description: Visits (trips to sites: visits, observations, inspections), filtered by date range and kind; one row per visit with its organizers, sites in trip order, leaders, participants and source article; ordered by date then visit (visits without a date last), paged by that key. Reads the visits in the order of the :Visit(date) index and stops at the limit. The visits of one organizer or at one site: visits_by_organizer, visits_at_site (same rows and paging).
// param: date_from: string = null -- earliest date, YYYY-MM-DD or --MM-DD (a date without a year is compared by month and day)
// param: date_to: string = null -- latest date, same forms
// param: kind: string = null -- visit (neither observation nor inspection), observation or inspection
// param: after_date: string = null -- paging: the date of the last visit of the previous page ('~' for a visit without a date)
// param: after_visit: string = null -- paging: the IRI of the last visit of the previous page
// param: limit: integer = 100 -- at most this many visits
// columns: visit, kind, date, organizers, sites, leaders, participants, participant_count, article, headline
MATCH (v:Visit)
WHERE v.date >= coalesce($after_date, '')
  AND ($after_date IS NULL OR v.date > $after_date OR v.iri > coalesce($after_visit, ''))
  AND ($kind IS NULL OR $kind = CASE WHEN v:Observation THEN 'observation' WHEN v:Inspection THEN 'inspection' ELSE 'visit' END)
  AND ($date_from IS NULL OR CASE WHEN v.date STARTS WITH '--' OR $date_from STARTS WITH '--'
                                  THEN right(v.date, 5) >= right($date_from, 5) ELSE v.date >= $date_from END)
  AND ($date_to IS NULL OR CASE WHEN v.date STARTS WITH '--' OR $date_to STARTS WITH '--'
                                THEN right(v.date, 5) <= right($date_to, 5) ELSE v.date <= $date_to END)
WITH v ORDER BY v.date, v.iri LIMIT $limit
WITH collect(v) AS dated
// visits without a date come after all dated ones: looked for only when the page is not full
OPTIONAL MATCH (u:Visit)
WHERE size(dated) < $limit AND u.date IS NULL AND $date_from IS NULL AND $date_to IS NULL
  AND ($after_date IS NULL OR $after_date < '~' OR u.iri > coalesce($after_visit, ''))
  AND ($kind IS NULL OR $kind = CASE WHEN u:Observation THEN 'observation' WHEN u:Inspection THEN 'inspection' ELSE 'visit' END)
WITH dated, u ORDER BY u.iri LIMIT $limit
WITH dated, collect(u) AS undated
UNWIND dated + undated AS v
WITH v LIMIT $limit
WITH v, CASE WHEN v:Observation THEN 'observation' WHEN v:Inspection THEN 'inspection' ELSE 'visit' END AS kind
// one pass over the visit's links (organizers, sites in trip order, leaders, article)
OPTIONAL MATCH (v)-[r:organizer|visitedSite|leader|derivedFrom]->(x:Resource)
WITH v, kind, type(r) AS role, r.position AS position, x ORDER BY role, position, x.name, x.iri
WITH v, kind, collect({role: role, position: position, iri: x.iri, name: x.name, article: x.articleId,
                         headline: x.headline, isArticle: x:Article}) AS links
RETURN v.iri AS visit, kind, v.date AS date,
       [l IN links WHERE l.role = 'organizer' | {iri: l.iri, name: l.name}] AS organizers,
       [l IN links WHERE l.role = 'visitedSite' | {position: l.position, iri: l.iri, name: l.name}] AS sites,
       [l IN links WHERE l.role = 'leader' | {iri: l.iri, name: l.name}] AS leaders,
       v.participants AS participants, v.participantCount AS participant_count,
       head([l IN links WHERE l.role = 'derivedFrom' AND l.isArticle | l.article]) AS article,
       head([l IN links WHERE l.role = 'derivedFrom' AND l.isArticle | l.headline]) AS headline
ORDER BY coalesce(date, '~'), visit
