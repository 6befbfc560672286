// The entities with the given ids.
// :param ids => ['pla', 'tick']
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN properties(n) AS props
ORDER BY n.id
