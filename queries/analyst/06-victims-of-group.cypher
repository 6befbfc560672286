// The victims a group attacked or targeted, with dates, confidence and sources.
// :param group => 'tick'
MATCH (g:Group {id: $group})-[r:ATTACKED|TARGETED]->(v:Victim)
RETURN v.name AS victim, type(r) AS claim, r.start AS start, r.end AS end,
       r.confidence AS confidence, r.sources AS sources
ORDER BY r.confidence_rank DESC, victim
