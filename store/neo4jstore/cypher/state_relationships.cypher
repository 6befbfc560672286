// Stored hash, datasets and properties of the given relationships (a load
// keeps the other datasets' claims); $keys: [[from, type, to]].
// Both ends are found by id, then WITH DISTINCT ends the query part, so
// that the relationship can only be found between two bound nodes
// (Expand(Into), from whichever end has fewer). Without that barrier the
// planner may walk all relationships of the first end instead — 45,000
// per key for a group that attacked thousands — and did so at 1M
// relationships (docs/DESIGN-NOTES.md, "Scale"); a bare WITH is inlined
// and is no barrier.
UNWIND $keys AS k
MATCH (a:Entity {id: k[0]})
MATCH (b:Entity {id: k[2]})
WITH DISTINCT a, b, k
MATCH (a)-[r]->(b)
WHERE type(r) = k[1]
RETURN a.id AS from, type(r) AS type, b.id AS to, r.hash AS hash, r.datasets AS datasets, properties(r) AS props
ORDER BY from, type, to
