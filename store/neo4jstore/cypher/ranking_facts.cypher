// What ranking reads of the relationships with the given keys: their
// confidence, sources, route and claims (graph.Assess), not the rest of
// their properties; $keys: [[from, type, to]]. Found as in
// relationships.cypher, between two bound ends. One record of lists, in
// key order: the driver decodes lists many times faster than records
// (an answer at a hub ranks thousands of relationships); coalesce keeps
// the lists aligned, as collect skips nulls.
// :param keys => [['pla', 'DIRECTED', 'tick']]
UNWIND $keys AS k
MATCH (a:Entity {id: k[0]})
MATCH (b:Entity {id: k[2]})
WITH DISTINCT a, b, k
MATCH (a)-[r]->(b)
WHERE type(r) = k[1]
WITH a.id AS from, type(r) AS type, b.id AS to, r
ORDER BY from, type, to
RETURN collect(from) AS from, collect(type) AS type, collect(to) AS to,
  collect(coalesce(r.confidence, '')) AS confidence, collect(coalesce(r.sources, [])) AS sources,
  collect(coalesce(r.via, [])) AS via, collect(coalesce(r.claims, '')) AS claims
