// Delete relationships a prune removes, by the element ids that
// find_relationships.cypher returned in the same transaction. Deleting
// while matching endpoints by id would plan an Eager operator.
MATCH ()-[r]->()
WHERE elementId(r) IN $ids
DELETE r
