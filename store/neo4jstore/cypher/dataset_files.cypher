// Where the named datasets were loaded from.
// :param names => ['tick-2021']
MATCH (d:Dataset) WHERE d.name IN $names
RETURN d.name AS name, d.file AS file
ORDER BY name
