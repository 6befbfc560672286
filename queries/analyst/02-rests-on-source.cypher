// What rests on one source alone (e.g. "what rests on Kyodo alone?").
// :param source => 'kyodo-2021-04-20'
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.sources = [$source]
RETURN a.name AS from, type(r) AS claim, b.name AS to, r.confidence AS confidence, r.description AS said
ORDER BY from, claim, to
