// As path.cypher, but following relationships only in their direction.
// :param from => 'pla'
// :param to => 'jaxa'
// :param minRank => 0
// :param types => []
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
MATCH p = allShortestPaths((a)-[*..{{MAXHOPS}}]->(b))
WHERE all(r IN relationships(p) WHERE r.confidence_rank >= $minRank AND (size($types) = 0 OR type(r) IN $types))
RETURN [n IN nodes(p) | n.id] AS nodes,
       [r IN relationships(p) | [startNode(r).id, type(r), endNode(r).id]] AS rels
