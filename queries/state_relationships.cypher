// Stored hash and datasets of the given relationships; $keys: [[from, type, to]].
// Both ends are found by id first (the hints make the planner do so
// whatever its statistics say), so that Neo4j checks for the relationship
// from whichever end has fewer (Expand(Into)) instead of walking all the
// relationships of a group that attacked thousands (Expand(All): at 1M
// relationships, 45,000 rows walked per key).
UNWIND $keys AS k
MATCH (a:Entity {id: k[0]}) USING INDEX a:Entity(id)
MATCH (b:Entity {id: k[2]}) USING INDEX b:Entity(id)
WITH k, a, b
MATCH (a)-[r]->(b)
WHERE type(r) = k[1]
RETURN a.id AS from, type(r) AS type, b.id AS to, r.hash AS hash, r.datasets AS datasets
ORDER BY from, type, to
