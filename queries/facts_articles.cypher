// name: facts_articles
// description: Ids of the articles in the graph, in id order (the articles facts_* queries can read back).
// columns: article
MATCH (a:Article)
RETURN a.articleId AS article
ORDER BY article
