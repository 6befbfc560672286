// The chain of command above an actor: the units and organizations it is
// part of or a member of, and who directed or instructed it.
// :param id => 'former-student'
MATCH p = (x:Entity {id: $id})<-[:INSTRUCTED|DIRECTED*0..3]-(:Entity)-[:MEMBER_OF|PART_OF*0..3]->(top:Entity)
WHERE length(p) > 0
RETURN p
ORDER BY length(p) DESC
LIMIT 25
