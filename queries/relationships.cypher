// The relationships with the given keys; $keys: [[from, type, to]].
// :param keys => [['pla', 'DIRECTED', 'tick']]
UNWIND $keys AS k
MATCH (a:Entity {id: k[0]})-[r]->(b:Entity {id: k[2]})
WHERE type(r) = k[1]
RETURN a.id AS from, type(r) AS type, b.id AS to, properties(r) AS props
ORDER BY from, type, to
