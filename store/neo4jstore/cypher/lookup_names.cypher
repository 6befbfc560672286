// Entities by many names at once: each entity whose names (id, name,
// aliases, external ids; lower-cased and trimmed) hold one of $names,
// with the name. One scan of the entities, the list test on a set.
// :param names => ['pla', 'g0060']
MATCH (n:Entity)
WITH n, [x IN n.names WHERE x IN $names] AS hits
WHERE size(hits) > 0
UNWIND hits AS name
RETURN name, properties(n) AS props
ORDER BY name, n.id
