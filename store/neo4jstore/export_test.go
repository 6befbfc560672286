package neo4jstore

import (
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func sessionConfig(s *Store) neo4j.SessionConfig {
	return neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite, DatabaseName: s.db}
}

// planText flattens a plan's operator names.
func planText(p neo4j.Plan) string {
	if p == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(p.Operator())
	for _, c := range p.Children() {
		b.WriteString(" " + planText(c))
	}
	return b.String()
}
