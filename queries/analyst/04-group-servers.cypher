// The servers a group used, who rented them and under which identities.
// :param group => 'tick'
MATCH (g:Group {id: $group})-[u:USED]->(s:Server)
OPTIONAL MATCH (renter:Entity)-[rent:RENTED]->(s)
OPTIONAL MATCH (renter)-[:USED_IDENTITY]->(ident:Identity)
RETURN s.name AS server, u.confidence AS used, renter.name AS rented_by,
       rent.confidence AS rented, collect(DISTINCT ident.name) AS identities
ORDER BY server, rented_by
