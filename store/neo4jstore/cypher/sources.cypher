// The sources with the given ids.
// :param ids => ['nhk-2021-04-20']
UNWIND $ids AS id
MATCH (s:Source {id: id})
RETURN properties(s) AS props
ORDER BY s.id
