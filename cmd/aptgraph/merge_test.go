package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aptgraph/aptgraph/internal/fixture"
)

// TestMergeOrders: ATT&CK's BRONZE BUTLER, the MISP galaxy's Tick and
// the Tick case's tick are one group (ATT&CK id G0060), and loading the
// three in separate commands, in all six orders, gives the same store
// byte for byte — on the embedded store and on Neo4j. (ATT&CK before the
// Tick case left two groups named G0060; the galaxy before ATT&CK named
// the group after the galaxy.)
func TestMergeOrders(t *testing.T) {
	files := map[string]string{
		"attack": fixture.Path(t, "attack-g0060-bronze-butler.stix21.json"),
		"misp":   fixture.Path(t, "misp-galaxy-threat-actor.json.xz"),
		"tick":   filepath.Join("..", "..", "testdata", "tick-2021.yaml"),
	}
	orders := [][]string{
		{"attack", "misp", "tick"}, {"attack", "tick", "misp"}, {"misp", "attack", "tick"},
		{"misp", "tick", "attack"}, {"tick", "attack", "misp"}, {"tick", "misp", "attack"},
	}
	stores := map[string]func(i int) string{
		"embedded": func(i int) string { return filepath.Join(t.TempDir(), "s.db") },
	}
	if uri := neo().URI; uri != "" {
		stores["neo4j"] = func(int) string {
			mustRun(t, "--db", uri, "cypher", "--write", "MATCH (n) DETACH DELETE n")
			return uri
		}
	}
	// A dry run says what would move, and moves nothing.
	t.Run("dry run", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "s.db")
		mustRun(t, "--db", db, "load", files["attack"])
		r := run(t, nil, "--db", db, "load", "--dry-run", files["tick"])
		if r.code != 0 || !strings.Contains(r.stderr, "would merge the stored mitre-g0060 into tick (one external id)") {
			t.Errorf("dry run: exit %d\n%s", r.code, r.stderr)
		}
		if show := mustRun(t, "--db", db, "show", "mitre-g0060"); !strings.Contains(show, "BRONZE BUTLER") {
			t.Errorf("a dry run moved the entity:\n%s", show)
		}
	})
	for name, fresh := range stores {
		t.Run(name, func(t *testing.T) {
			want, wantOrder := "", ""
			for i, order := range orders {
				if name == "neo4j" && i%3 != 0 {
					continue // two orders on Neo4j: each load there takes seconds
				}
				db := fresh(i)
				for _, f := range order {
					mustRun(t, "--db", db, "load", files[f])
				}
				got := mustRun(t, "--db", db, "export", "--format", "json")
				if show := mustRun(t, "--db", db, "show", "G0060"); !strings.Contains(show, "id:           tick") {
					t.Errorf("%v: G0060 is not the Tick case's tick:\n%s", order, show)
				}
				if want == "" {
					want, wantOrder = got, strings.Join(order, ", ")
					continue
				}
				if got != want {
					t.Errorf("loading %s gives another store than %s", strings.Join(order, ", "), wantOrder)
				}
			}
		})
	}
}
