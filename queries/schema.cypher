// Constraints and indexes aptgraph creates before any data, each in its own
// transaction (statements are separated by semicolons).
CREATE CONSTRAINT aptgraph_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT aptgraph_source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE;
CREATE FULLTEXT INDEX aptgraph_entity_names IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliases];
CREATE INDEX aptgraph_entity_kind IF NOT EXISTS FOR (n:Entity) ON (n.kind)
