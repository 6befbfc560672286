// Everything tagged with $dataset (for --prune): kind is "entity",
// "source" or "relationship"; key is [id] or [from, type, to].
MATCH (n:Entity) WHERE $dataset IN n.datasets
RETURN 'entity' AS kind, [n.id] AS key, n.hash AS hash, n.datasets AS datasets
UNION ALL
MATCH (s:Source) WHERE $dataset IN s.datasets
RETURN 'source' AS kind, [s.id] AS key, s.hash AS hash, s.datasets AS datasets
UNION ALL
MATCH (a:Entity)-[r]->(b:Entity) WHERE $dataset IN r.datasets
RETURN 'relationship' AS kind, [a.id, type(r), b.id] AS key, r.hash AS hash, r.datasets AS datasets
