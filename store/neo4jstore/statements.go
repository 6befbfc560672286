package neo4jstore

import "embed"

// The store's own Cypher: schema, loads, lookups and traversal steps, one
// statement per file in cypher/, each runnable as it is in Neo4j Browser
// or cypher-shell after its `:param` lines. They are private to this
// store; the analysts' catalogue is package queries' analyst/.
//
//go:embed cypher/*.cypher
var statementFiles embed.FS

// statement returns the text of cypher/NAME. The names are constants of
// this package, so a missing file is a bug that TestStatementFiles
// catches.
func statement(name string) string {
	b, err := statementFiles.ReadFile("cypher/" + name)
	if err != nil {
		panic("neo4jstore: no statement " + name)
	}
	return string(b)
}
