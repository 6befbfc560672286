package neo4jstore

import (
	"context"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func sessionConfig(s *Store) neo4j.SessionConfig {
	return neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite, DatabaseName: s.db}
}

// explain returns the operators of query's EXPLAIN plan, flattened.
func explain(t *testing.T, s *Store, query string, params map[string]any) string {
	t.Helper()
	ctx := context.Background()
	sess := s.driver.NewSession(ctx, sessionConfig(s))
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, "EXPLAIN "+query, params)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return planText(sum.Plan())
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
