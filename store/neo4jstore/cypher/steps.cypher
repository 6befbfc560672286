// One step of a frontier expansion, keys only: at most $limit of the
// relationships touching one of $ids, in direction $dir ('both', 'out' or
// 'in'), at least $minRank sure (1 suspected … 4 confirmed; 0 for all),
// of $types (empty: all). A path search asks for one more than its
// budget has left and stops when it gets them; no properties, no order:
// at a hub of 45,000 relationships, returning them whole and sorted was
// most of a path query.
// :param ids => ['tick']
// :param dir => 'both'
// :param minRank => 0
// :param types => []
// :param limit => 1000
UNWIND $ids AS id
MATCH (n:Entity {id: id})-[r]-(:Entity)
WHERE ($dir = 'both' OR ($dir = 'out' AND startNode(r) = n) OR ($dir = 'in' AND endNode(r) = n))
  AND r.confidence_rank >= $minRank
  AND (size($types) = 0 OR type(r) IN $types)
WITH DISTINCT r
LIMIT $limit
// One record of three lists: the driver decodes a list of strings many
// times faster than as many records.
RETURN collect(startNode(r).id) AS from, collect(type(r)) AS type, collect(endNode(r).id) AS to
