// Attribution chains into a victim: simple paths from an :Organization
// whose last hop is a $final relationship into the victim and whose other
// hops carry responsibility downstream: a $forward type walked along its
// direction (PLA -DIRECTED-> Tick) or a $reverse type walked against it
// (Unit 61419 -PART_OF-> PLA, read PLA → Unit 61419). No other node on a
// chain is a victim. At most $maxHops hops (at most 8).
// :param victim => 'jaxa'
// :param forward => ['DIRECTED', 'INSTRUCTED', 'SPONSORED', 'PASSED_CREDENTIALS_TO', 'RENTED', 'USED_IDENTITY']
// :param reverse => ['PART_OF', 'MEMBER_OF', 'USED', 'PURCHASED']
// :param final => ['ATTACKED', 'TARGETED']
// :param maxHops => 8
// :param minRank => 0
// :param types => []
MATCH (v:Victim {id: $victim})
MATCH p = (o:Organization)
          ((a:Entity)-[r]-(b:Entity)
            WHERE NOT b:Victim
              AND ((startNode(r) = a AND type(r) IN $forward) OR (endNode(r) = a AND type(r) IN $reverse))
              AND r.confidence_rank >= $minRank
              AND (size($types) = 0 OR type(r) IN $types)){0,7}
          (:Entity)-[last]->(v)
WHERE type(last) IN $final
  AND last.confidence_rank >= $minRank
  AND (size($types) = 0 OR type(last) IN $types)
  AND length(p) <= $maxHops
  AND all(n IN nodes(p) WHERE single(m IN nodes(p) WHERE m = n))
RETURN [n IN nodes(p) | n.id] AS nodes,
       [r IN relationships(p) | [startNode(r).id, type(r), endNode(r).id]] AS rels
