// Stored hash and datasets of the given relationships; $keys: [[from, type, to]].
UNWIND $keys AS k
MATCH (a:Entity {id: k[0]})-[r]->(b:Entity {id: k[2]})
WHERE type(r) = k[1]
RETURN a.id AS from, type(r) AS type, b.id AS to, r.hash AS hash, r.datasets AS datasets
ORDER BY from, type, to
