// Set the dataset membership of entities and sources that stay after a
// prune. $entities, $sources: [{id, datasets}]. (A relationship that
// stays loses the pruned dataset's claim, so it is written again whole,
// by load_relationships.cypher.)
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
