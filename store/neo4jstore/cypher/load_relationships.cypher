// Upsert a batch of relationships of one type. {{TYPE}} is replaced by the
// type after it matched graph.TypePattern (^[A-Z][A-Z0-9_]{0,63}$), never
// by anything else. Endpoints are MATCHed by id through the constraint's
// index; nodes are written before relationships, so they exist.
// $rows: [{from, to, confidence, confidence_rank, stix_confidence, sources,
// start, end, description, via, claims, tlp, attributes, citations, hash, datasets}]; a null removes the
// property. claims is JSON text: what each dataset says, when more than one
// holds the relationship (graph.Claim; a property cannot hold maps).
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:{{TYPE}}]->(b)
SET r.confidence = row.confidence, r.confidence_rank = row.confidence_rank,
    r.stix_confidence = row.stix_confidence, r.sources = row.sources,
    r.start = row.start, r.end = row.end, r.description = row.description,
    r.via = row.via, r.claims = row.claims, r.tlp = row.tlp, r.attributes = row.attributes, r.citations = row.citations,
    r.hash = row.hash, r.datasets = row.datasets
