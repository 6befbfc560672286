// The kind of each of $ids.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, n.kind AS kind
ORDER BY id
