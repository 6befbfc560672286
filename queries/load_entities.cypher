// Upsert a batch of entities of one kind. {{LABEL}} is replaced by the
// kind's label from graph.Kinds (an allow-list), never by input;
// {{ALL_LABELS}} by every kind label, so that a changed kind loses the old.
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n = row.props
REMOVE n{{ALL_LABELS}}
SET n:{{LABEL}}
