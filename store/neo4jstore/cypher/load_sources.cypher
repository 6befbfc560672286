// Upsert a batch of sources. $rows: [{id, publisher, title, date, url,
// description, tlp, hash, datasets}]; a null removes the property. Properties
// are set one by one, never from a map: `SET s = map` could overwrite the
// id that MERGE reads, and the planner would add an Eager operator.
UNWIND $rows AS row
MERGE (s:Source {id: row.id})
SET s.publisher = row.publisher, s.title = row.title, s.date = row.date, s.url = row.url,
    s.description = row.description, s.tlp = row.tlp, s.hash = row.hash, s.datasets = row.datasets
