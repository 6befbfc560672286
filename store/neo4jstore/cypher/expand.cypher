// One step of a frontier expansion: every relationship touching one of
// $ids, in direction $dir ('both', 'out' or 'in'), at least $minRank sure
// (1 suspected … 4 confirmed; 0 for all), of $types (empty: all).
// :param ids => ['tick']
// :param dir => 'both'
// :param minRank => 0
// :param types => []
UNWIND $ids AS id
MATCH (n:Entity {id: id})-[r]-(:Entity)
WHERE ($dir = 'both' OR ($dir = 'out' AND startNode(r) = n) OR ($dir = 'in' AND endNode(r) = n))
  AND r.confidence_rank >= $minRank
  AND (size($types) = 0 OR type(r) IN $types)
WITH DISTINCT r
RETURN startNode(r).id AS from, type(r) AS type, endNode(r).id AS to, properties(r) AS props
ORDER BY from, type, to
