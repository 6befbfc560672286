// Shortest paths between two entities using only reported or confirmed
// claims: what the story rests on without the allegations.
// :param from => 'pla'
// :param to => 'jaxa'
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
MATCH p = allShortestPaths((a)-[*..10]-(b))
WHERE all(r IN relationships(p) WHERE r.confidence_rank >= 3)
RETURN p
