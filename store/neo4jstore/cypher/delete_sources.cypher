// Delete sources a prune removes; $ids: [id]. No UNWIND: no Eager.
MATCH (s:Source)
WHERE s.id IN $ids
DELETE s
