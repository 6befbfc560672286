// Delete entities a prune removes (DETACH: with any relationship another
// dataset still had to them); $ids: [id]. No UNWIND: no Eager.
MATCH (n:Entity)
WHERE n.id IN $ids
DETACH DELETE n
