// Entities whose id, name or an alias contains $text (lower-cased).
// :param text => 'unit'
// :param limit => 50
MATCH (n:Entity)
WHERE any(k IN n.names WHERE k CONTAINS $text)
RETURN properties(n) AS props
ORDER BY n.id
LIMIT $limit
