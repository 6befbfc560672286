// False names and fake IDs: who used them, who bought them, what was rented.
MATCH (i:Identity)
OPTIONAL MATCH (user:Entity)-[:USED_IDENTITY]->(i)
OPTIONAL MATCH (buyer:Entity)-[:PURCHASED]->(i)
OPTIONAL MATCH (user)-[:RENTED]->(s:Server)
RETURN i.name AS identity, collect(DISTINCT user.name) AS used_by,
       collect(DISTINCT buyer.name) AS bought_by, collect(DISTINCT s.name) AS servers
ORDER BY identity
