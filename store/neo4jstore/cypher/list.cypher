// Every entity, or every entity of one kind ($kind = '' for all).
// aptgraph orders the result by kind (legend order), name, id.
// :param kind => 'group'
MATCH (n:Entity)
WHERE $kind = '' OR n.kind = $kind OR $kind IN coalesce(n.roles, [])
RETURN properties(n) AS props
ORDER BY n.kind, n.name, n.id
