// Stored hash and datasets of the given entity ids.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, n.hash AS hash, n.datasets AS datasets, properties(n) AS props
ORDER BY id
