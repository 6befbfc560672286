package local

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/internal/storetest"
	"github.com/aptgraph/aptgraph/internal/synth"
	"github.com/aptgraph/aptgraph/store"
)

func sortedSteps(st []graph.Step) []graph.Step {
	slices.SortFunc(st, func(a, b graph.Step) int { return graph.RelKey(a).Compare(graph.RelKey(b)) })
	return st
}

// TestAdjacencyMatchesTables checks Steps and Kinds from the stored
// adjacency against the same questions asked of the tables, for random
// frontiers (hubs among them), every direction and filters of types and
// confidence.
func TestAdjacencyMatchesTables(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	ds := synth.Generate(synth.Config{Relationships: 3000, Seed: 7})
	if _, err := s.Load(ctx, []*graph.Dataset{ds}, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	a, err := s.adjacency(ctx)
	if err != nil || a == nil {
		t.Fatalf("no adjacency after a load: %v", err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	ids := make([]string, len(ds.Entities))
	for i, e := range ds.Entities {
		ids[i] = e.ID
	}
	filters := []struct {
		name string
		f    graph.Filter
	}{
		{"all", graph.Filter{}},
		{"reported or firmer", graph.Filter{MinConfidence: graph.Reported}},
		{"two types", graph.Filter{Types: []string{"ATTACKED", "MEMBER_OF"}}},
		{"an unknown type", graph.Filter{Types: []string{"NO_SUCH_TYPE"}}},
	}
	dirs := []struct {
		name string
		d    graph.Direction
	}{{"both", graph.Both}, {"out", graph.Out}, {"in", graph.In}}
	for _, fc := range filters {
		for _, dc := range dirs {
			t.Run(fc.name+"/"+dc.name, func(t *testing.T) {
				for range 20 {
					frontier := []string{"no-such-entity"}
					for range 1 + rng.IntN(40) {
						frontier = append(frontier, ids[rng.IntN(len(ids))])
					}
					frontier = append(frontier, frontier[0:2]...) // duplicates
					want, err := s.stepsFromTables(ctx, frontier, dc.d, fc.f)
					if err != nil {
						t.Fatal(err)
					}
					got := a.steps(frontier, dc.d, fc.f, -1)
					if !slices.Equal(sortedSteps(got), sortedSteps(want)) {
						t.Fatalf("frontier %v: adjacency gave %d steps, the tables %d", frontier[:3], len(got), len(want))
					}
				}
			})
		}
	}
	t.Run("kinds", func(t *testing.T) {
		probe := append(slices.Clone(ids[:50]), "no-such-entity")
		got := a.kindsOf(probe)
		if len(got) != 50 {
			t.Fatalf("%d kinds for 50 entities", len(got))
		}
		for _, e := range ds.Entities[:50] {
			if got[e.ID] != e.Kind {
				t.Errorf("%s: kind %s, want %s", e.ID, got[e.ID], e.Kind)
			}
		}
	})
}

// TestAdjacencyFollowsWrites checks that an open store sees what another
// handle (as another process) loads, prunes and renames: the blob is
// rewritten in every write transaction and reread when data_version
// moves.
func TestAdjacencyFollowsWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	reader, err := Open(ctx, path, true)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	writer, err := Open(ctx, path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	steps := func() int {
		st, err := reader.Steps(ctx, []string{"tick"}, graph.Both, graph.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return len(st)
	}
	if n := steps(); n != 0 {
		t.Fatalf("an empty store has %d steps at tick", n)
	}
	tick := storetest.Datasets(t, storetest.TickFile())
	if _, err := writer.Load(ctx, tick, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	loaded := steps()
	if loaded == 0 {
		t.Fatal("the reader does not see the writer's load")
	}
	// The same dataset without Tick's relationships, pruned.
	cut := *tick[0]
	cut.Relationships = slices.DeleteFunc(slices.Clone(cut.Relationships), func(r graph.Relationship) bool { return r.From == "tick" || r.To == "tick" })
	if _, err := writer.Load(ctx, []*graph.Dataset{&cut}, store.LoadOptions{Prune: true}); err != nil {
		t.Fatal(err)
	}
	if n := steps(); n != 0 {
		t.Fatalf("after a prune the reader still walks %d steps at tick", n)
	}
	if _, err := writer.Load(ctx, tick, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := steps(); n != loaded {
		t.Fatalf("after a reload: %d steps at tick, want %d", n, loaded)
	}
}

// TestAdjacencyDamaged checks that a damaged blob, cut anywhere or
// missing, never panics and leaves the tables to answer.
func TestAdjacencyDamaged(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	if _, err := s.Load(ctx, storetest.Datasets(t, storetest.TickFile()), store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	want, err := s.Steps(ctx, []string{"tick"}, graph.Both, graph.Filter{})
	if err != nil || len(want) == 0 {
		t.Fatalf("steps: %v, %d", err, len(want))
	}
	blob, err := readAdjacency(ctx, s.db)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("cut anywhere", func(t *testing.T) {
		for n := range len(blob) {
			if _, err := decodeAdjacency(blob[:n]); err == nil {
				t.Fatalf("a blob cut at %d of %d bytes decoded", n, len(blob))
			}
		}
	})
	t.Run("bytes flipped", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for range 2000 {
			b := slices.Clone(blob)
			b[rng.IntN(len(b))] ^= byte(1 + rng.IntN(255))
			if a, err := decodeAdjacency(b); err == nil {
				a.steps([]string{"tick", "pla"}, graph.Both, graph.Filter{}, -1)
				a.kindsOf([]string{"tick"})
			}
		}
	})
	t.Run("tables answer", func(t *testing.T) {
		if _, err := s.db.ExecContext(ctx, `UPDATE adjacency SET data = x'00' WHERE chunk = 0`); err != nil {
			t.Fatal(err)
		}
		got, err := s.Steps(ctx, []string{"tick"}, graph.Both, graph.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(sortedSteps(got), sortedSteps(want)) {
			t.Fatalf("with a damaged blob: %d steps, want %d", len(got), len(want))
		}
	})
}

// TestAdjacencyFollowedEqualsRebuilt checks that the adjacency a write
// transaction keeps up to date from the stored one and its own changes is
// byte for byte the one read afresh from the tables, after loads, parts,
// prunes, a competing claim, a rename and a migration's rebuild.
func TestAdjacencyFollowedEqualsRebuilt(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	check := func(step string) {
		t.Helper()
		stored, err := readAdjacency(ctx, s.db)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		sh, err := shapeFromTables(ctx, s.db)
		if err != nil {
			t.Fatal(err)
		}
		if fresh := sh.pack(); !slices.Equal(stored, fresh) {
			a, _ := decodeAdjacency(stored)
			b, _ := decodeAdjacency(fresh)
			t.Fatalf("%s: the followed adjacency (%d nodes, %d entries) differs from the tables' (%d nodes, %d entries)",
				step, a.nodes(), len(a.nb), b.nodes(), len(b.nb))
		}
	}
	load := func(step string, ds []*graph.Dataset, o store.LoadOptions) {
		t.Helper()
		if _, err := s.Load(ctx, ds, o); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		check(step)
	}
	syn := synth.Generate(synth.Config{Relationships: 2000, Seed: 9})
	load("synthetic", []*graph.Dataset{syn}, store.LoadOptions{})
	tick := storetest.Datasets(t, storetest.TickFile())
	load("tick", tick, store.LoadOptions{})
	load("extra", storetest.Datasets(t, storetest.TickFile(), storetest.ExtraFile())[1:], store.LoadOptions{})
	cut := *tick[0]
	cut.Relationships = cut.Relationships[:len(cut.Relationships)/2]
	cut.Entities = slices.DeleteFunc(slices.Clone(cut.Entities), func(e graph.Entity) bool { return e.ID == "jaxa" })
	cut.Relationships = slices.DeleteFunc(slices.Clone(cut.Relationships), func(r graph.Relationship) bool { return r.From == "jaxa" || r.To == "jaxa" })
	load("tick pruned", []*graph.Dataset{&cut}, store.LoadOptions{Prune: true})
	load("tick again", tick, store.LoadOptions{})
	half := *syn
	half.Relationships = half.Relationships[:1000]
	parts := func(yield func(*graph.Dataset, error) bool) {
		for _, p := range []*graph.Dataset{{Name: syn.Name, Sources: syn.Sources}, {Name: syn.Name, Entities: syn.Entities}, {Name: syn.Name, Relationships: half.Relationships}} {
			if !yield(p, nil) {
				return
			}
		}
	}
	if _, err := s.LoadParts(ctx, syn.Name, parts, store.LoadOptions{Prune: true}); err != nil {
		t.Fatalf("parts: %v", err)
	}
	check("synthetic in parts, pruned to half")
	// A competing claim through a route.
	other := *tick[0]
	other.Name = "other-case"
	other.Relationships = slices.Clone(other.Relationships)
	for i := range other.Relationships {
		other.Relationships[i].Confidence = graph.Suspected
		other.Relationships[i].Via = []string{"pla"}
	}
	load("a competing dataset", []*graph.Dataset{&other}, store.LoadOptions{})
}

// TestAdjacencyChunks checks that a blob over adjacencyChunk is stored in
// several rows and read back whole.
func TestAdjacencyChunks(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	ds := synth.Generate(synth.Config{Relationships: 40000, Seed: 11})
	if _, err := s.Load(ctx, []*graph.Dataset{ds}, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM adjacency`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	b, err := readAdjacency(ctx, s.db)
	if err != nil {
		t.Fatal(err)
	}
	if want := (len(b) + adjacencyChunk - 1) / adjacencyChunk; rows < 2 || rows != want {
		t.Fatalf("a %d-byte blob in %d rows, want %d (more than one)", len(b), rows, want)
	}
	a, err := decodeAdjacency(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(a.nb); got != 2*len(ds.Relationships) {
		t.Fatalf("%d entries, want %d", got, 2*len(ds.Relationships))
	}
}
