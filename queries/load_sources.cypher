// Upsert a batch of sources. $rows: [{id, props}]; props hold every stored
// property, so SET = drops properties the dataset no longer has.
UNWIND $rows AS row
MERGE (s:Source {id: row.id})
SET s = row.props
