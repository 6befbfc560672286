// Element ids of the relationships with the given keys; $keys: [[from, type, to]].
UNWIND $keys AS k
MATCH (a:Entity {id: k[0]})-[r]->(b:Entity {id: k[2]})
WHERE type(r) = k[1]
RETURN elementId(r) AS id
