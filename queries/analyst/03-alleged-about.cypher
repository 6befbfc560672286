// Everything alleged or suspected (not reported or confirmed) about one
// entity, in either direction.
// :param id => 'ccp-member-engineer'
MATCH (n:Entity {id: $id})-[r]-(other:Entity)
WHERE r.confidence_rank <= 2
RETURN startNode(r).name AS from, type(r) AS claim, endNode(r).name AS to,
       r.confidence AS confidence, r.sources AS sources, r.description AS said
ORDER BY r.confidence_rank, claim, from, to
