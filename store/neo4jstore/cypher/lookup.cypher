// Entities whose id, name or an alias is $name (lower-cased and trimmed
// by aptgraph, the same folding it stores in n.names).
// :param name => 'pla'
MATCH (n:Entity)
WHERE $name IN n.names
RETURN properties(n) AS props
ORDER BY n.id
