// Remember where a dataset was loaded from (for messages about conflicts).
// :param name => 'tick-2021'
// :param file => '/home/me/cases/tick-2021.yaml'
MERGE (d:Dataset {name: $name})
SET d.file = $file
