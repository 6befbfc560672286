// What changed between two datasets: claims in one and not the other.
// :param a => 'tick-2021'
// :param b => 'tick-2021-update'
MATCH (x:Entity)-[r]->(y:Entity)
WHERE ($a IN r.datasets) <> ($b IN r.datasets)
RETURN CASE WHEN $a IN r.datasets THEN 'only in ' + $a ELSE 'only in ' + $b END AS change,
       x.name AS from, type(r) AS claim, y.name AS to, r.confidence AS confidence
ORDER BY change, from, claim, to
