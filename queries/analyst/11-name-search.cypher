// Full-text search over names and aliases (Lucene syntax: fuzzy~, prefix*).
// :param q => 'bronze*'
CALL db.index.fulltext.queryNodes('aptgraph_entity_names', $q) YIELD node, score
RETURN node.id AS id, node.kind AS kind, node.name AS name, node.aliases AS aliases, score
ORDER BY score DESC, id
LIMIT 20
