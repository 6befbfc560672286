// For every source: how many claims cite it, by confidence level.
MATCH (s:Source)
OPTIONAL MATCH (:Entity)-[r]->(:Entity) WHERE s.id IN r.sources
RETURN s.id AS source, s.publisher AS publisher, count(r) AS claims,
       sum(CASE r.confidence WHEN 'confirmed' THEN 1 ELSE 0 END) AS confirmed,
       sum(CASE r.confidence WHEN 'reported' THEN 1 ELSE 0 END) AS reported,
       sum(CASE r.confidence WHEN 'alleged' THEN 1 ELSE 0 END) AS alleged,
       sum(CASE r.confidence WHEN 'suspected' THEN 1 ELSE 0 END) AS suspected
ORDER BY claims DESC, source
