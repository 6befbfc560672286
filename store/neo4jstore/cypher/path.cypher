// All shortest paths between two entities, in any direction, of at most
// {{MAXHOPS}} hops (1 to 15, spliced in by the store after it is checked:
// a bound in WHERE made Neo4j fall back to enumerating every path), walking only relationships at least $minRank
// sure and of $types (empty: all). aptgraph sorts the paths.
// :param from => 'pla'
// :param to => 'jaxa'
// :param minRank => 0
// :param types => []
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
MATCH p = allShortestPaths((a)-[*..{{MAXHOPS}}]-(b))
WHERE all(r IN relationships(p) WHERE r.confidence_rank >= $minRank AND (size($types) = 0 OR type(r) IN $types))
RETURN [n IN nodes(p) | n.id] AS nodes,
       [r IN relationships(p) | [startNode(r).id, type(r), endNode(r).id]] AS rels
