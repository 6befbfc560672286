// What the store holds, as (what, key, count) rows.
MATCH (n:Entity) RETURN 'kind' AS what, n.kind AS key, count(*) AS n
UNION ALL
MATCH (:Entity)-[r]->(:Entity) RETURN 'type' AS what, type(r) AS key, count(*) AS n
UNION ALL
MATCH (:Entity)-[r]->(:Entity) RETURN 'confidence' AS what, r.confidence AS key, count(*) AS n
UNION ALL
MATCH (s:Source) RETURN 'sources' AS what, '' AS key, count(*) AS n
UNION ALL
CALL {
  MATCH (n:Entity) UNWIND n.datasets AS d RETURN d
  UNION
  MATCH (:Entity)-[r]->(:Entity) UNWIND r.datasets AS d RETURN d
  UNION
  MATCH (s:Source) UNWIND s.datasets AS d RETURN d
}
RETURN 'dataset' AS what, d AS key, 1 AS n
