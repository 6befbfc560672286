// Upsert a batch of entities of one kind. {{LABEL}} is replaced by the
// kind's label from graph.Kinds (an allow-list), never by input;
// {{ALL_LABELS}} by every kind label, so that a changed kind loses the old.
// $rows: [{id, kind, name, names, aliases, description, country, sources,
// external_ids, attributes, roles, alias_sources, tlp, hash, datasets}]; a null
// removes the property.
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n.kind = row.kind, n.name = row.name, n.names = row.names, n.aliases = row.aliases,
    n.description = row.description, n.country = row.country, n.sources = row.sources,
    n.external_ids = row.external_ids, n.attributes = row.attributes,
    n.roles = row.roles, n.alias_sources = row.alias_sources, n.tlp = row.tlp, n.hash = row.hash, n.datasets = row.datasets
REMOVE n{{ALL_LABELS}}
SET n:{{LABEL}}
