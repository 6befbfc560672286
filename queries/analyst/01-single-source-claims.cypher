// Every claim that rests on a single source, weakest first: the claims to
// corroborate before a report leans on them.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE size(r.sources) = 1
RETURN a.name AS from, type(r) AS claim, b.name AS to, r.confidence AS confidence,
       r.sources[0] AS only_source
ORDER BY r.confidence_rank, only_source, from, claim, to
