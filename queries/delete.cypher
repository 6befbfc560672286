// Delete what a prune removes. $rels: [[from, type, to]]; $entities,
// $sources: [id]. Relationships first, then nodes (DETACH for any
// relationship another dataset still had to a removed entity).
CALL {
  UNWIND $rels AS k
  MATCH (a:Entity {id: k[0]})-[r]->(b:Entity {id: k[2]})
  WHERE type(r) = k[1]
  DELETE r
}
CALL {
  UNWIND $entities AS id
  MATCH (n:Entity {id: id})
  DETACH DELETE n
}
CALL {
  UNWIND $sources AS id
  MATCH (s:Source {id: id})
  DELETE s
}
