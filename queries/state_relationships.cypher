// Stored hash and datasets of the given relationships; $keys: [[from, type, to]].
// Both ends are found by id first, so that Neo4j can check for the
// relationship from whichever end has fewer (Expand(Into)) instead of
// walking all the relationships of a group that attacked thousands. The
// planner may still choose to walk from the first end once its statistics
// say relationships are few per node (seen at 1M: docs/BENCHMARKS.md).
UNWIND $keys AS k
MATCH (a:Entity {id: k[0]})
MATCH (b:Entity {id: k[2]})
MATCH (a)-[r]->(b)
WHERE type(r) = k[1]
RETURN a.id AS from, type(r) AS type, b.id AS to, r.hash AS hash, r.datasets AS datasets
ORDER BY from, type, to
