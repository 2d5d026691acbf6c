// name: facts_titles
// description: Where the post titles an article gives people are (a body written only right before a title is part of the title, FACTS.md).
// param: article: string -- article id
// columns: start, end
MATCH (ev:Evidence {articleId: $article})-[:subject]->(:Post)
WHERE ev.predicate = 'type'
RETURN DISTINCT ev.start AS start, ev.end AS end
ORDER BY start
