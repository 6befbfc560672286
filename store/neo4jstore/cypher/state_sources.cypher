// Stored hash and datasets of the given source ids.
UNWIND $ids AS id
MATCH (s:Source {id: id})
RETURN s.id AS id, s.hash AS hash, s.datasets AS datasets
ORDER BY id
