// name: visits_by_organizer
// description: The visits of an organising office or body (the `visits` question, starting from the organizer: an index seek on the IRI or the name; the aliases are searched only when neither matches), optionally also filtered by site, date range and kind; same rows, order and paging as `visits`.
// param: organizer: string -- IRI, name or alias of an organising office or body
// param: site: string = null -- IRI, name or alias of a visited site
// param: date_from: string = null -- earliest date, YYYY-MM-DD or --MM-DD (a date without a year is compared by month and day)
// param: date_to: string = null -- latest date, same forms
// param: kind: string = null -- visit (neither observation nor inspection), observation or inspection
// param: after_date: string = null -- paging: the date of the last visit of the previous page ('~' for a visit without a date)
// param: after_visit: string = null -- paging: the IRI of the last visit of the previous page
// param: limit: integer = 100 -- at most this many visits
// columns: visit, kind, date, organizers, sites, leaders, participants, participant_count, article, headline
OPTIONAL MATCH (hit:Resource) WHERE hit.iri = $organizer OR hit.name = $organizer
WITH collect(hit) AS hits
OPTIONAL MATCH (aka:Resource) WHERE size(hits) = 0 AND $organizer IN aka.alias AND aka.alias IS NOT NULL
WITH hits, collect(aka) AS akas
UNWIND hits + akas AS anchor
WITH DISTINCT anchor
MATCH (anchor)<-[:organizer]-(v:Visit)
WITH DISTINCT v
WITH v, coalesce(v.date, '~') AS key,
     CASE WHEN v:Observation THEN 'observation' WHEN v:Inspection THEN 'inspection' ELSE 'visit' END AS kind
WHERE ($kind IS NULL OR kind = $kind)
  AND ($date_from IS NULL OR (v.date IS NOT NULL AND CASE WHEN v.date STARTS WITH '--' OR $date_from STARTS WITH '--'
                                  THEN right(v.date, 5) >= right($date_from, 5) ELSE v.date >= $date_from END))
  AND ($date_to IS NULL OR (v.date IS NOT NULL AND CASE WHEN v.date STARTS WITH '--' OR $date_to STARTS WITH '--'
                                THEN right(v.date, 5) <= right($date_to, 5) ELSE v.date <= $date_to END))
  AND ($after_date IS NULL OR key > $after_date OR (key = $after_date AND v.iri > coalesce($after_visit, '')))
WITH v, key, kind,
     CASE WHEN $site IS NULL THEN 1 ELSE size([(v)-[:visitedSite]->(x:Resource)
        WHERE x.iri = $site OR x.name = $site OR $site IN coalesce(x.alias, []) | 1]) END AS site_hits
WHERE site_hits > 0
WITH v, key ORDER BY key, v.iri LIMIT $limit
WITH v, key, CASE WHEN v:Observation THEN 'observation' WHEN v:Inspection THEN 'inspection' ELSE 'visit' END AS kind
// one pass over the visit's links (organizers, sites in trip order, leaders, article)
OPTIONAL MATCH (v)-[r:organizer|visitedSite|leader|derivedFrom]->(x:Resource)
WITH v, key, kind, type(r) AS role, r.position AS position, x ORDER BY role, position, x.name, x.iri
WITH v, key, kind, collect({role: role, position: position, iri: x.iri, name: x.name, article: x.articleId,
                         headline: x.headline, isArticle: x:Article}) AS links
RETURN v.iri AS visit, kind, v.date AS date,
       [l IN links WHERE l.role = 'organizer' | {iri: l.iri, name: l.name}] AS organizers,
       [l IN links WHERE l.role = 'visitedSite' | {position: l.position, iri: l.iri, name: l.name}] AS sites,
       [l IN links WHERE l.role = 'leader' | {iri: l.iri, name: l.name}] AS leaders,
       v.participants AS participants, v.participantCount AS participant_count,
       head([l IN links WHERE l.role = 'derivedFrom' AND l.isArticle | l.article]) AS article,
       head([l IN links WHERE l.role = 'derivedFrom' AND l.isArticle | l.headline]) AS headline
ORDER BY coalesce(date, '~'), visit
