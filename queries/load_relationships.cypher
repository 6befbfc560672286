// Upsert a batch of relationships of one type. {{TYPE}} is replaced by the
// type after it matched graph.TypePattern (^[A-Z][A-Z0-9_]{0,63}$), never
// by anything else. Endpoints are MATCHed by id through the constraint's
// index; nodes are written before relationships, so they exist.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:{{TYPE}}]->(b)
SET r = row.props
