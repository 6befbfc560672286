// Constraints and indexes aptgraph creates before any data, each in its own
// transaction (statements are separated by semicolons).
CREATE CONSTRAINT aptgraph_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT aptgraph_source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE;
// The full-text index is eventually consistent: Lucene is updated by a
// background thread instead of in each write transaction, where it was
// nearly half the cost of writing an entity; a load waits for it at the
// end (await_fulltext.cypher), so a search after a load sees everything.
CREATE FULLTEXT INDEX aptgraph_entity_names IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliases]
  OPTIONS {indexConfig: {`fulltext.eventually_consistent`: true}};
CREATE INDEX aptgraph_entity_kind IF NOT EXISTS FOR (n:Entity) ON (n.kind)
