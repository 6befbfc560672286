// Set the dataset membership of items that stay after a prune.
// $entities, $sources: [{id, datasets}]; $rels: [{key: [from, type, to], datasets}].
// Relationships are found between their two ends as in
// state_relationships.cypher (WITH DISTINCT: see there why).
CALL {
  UNWIND $entities AS row
  MATCH (n:Entity {id: row.id})
  SET n.datasets = row.datasets
}
CALL {
  UNWIND $sources AS row
  MATCH (s:Source {id: row.id})
  SET s.datasets = row.datasets
}
CALL {
  UNWIND $rels AS row
  MATCH (a:Entity {id: row.key[0]})
  MATCH (b:Entity {id: row.key[2]})
  WITH DISTINCT a, b, row
  MATCH (a)-[r]->(b)
  WHERE type(r) = row.key[1]
  SET r.datasets = row.datasets
}
