// Wait until the eventually consistent full-text index (schema.cypher)
// holds every committed write: the end of a load.
CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()
