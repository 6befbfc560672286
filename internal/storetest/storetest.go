// Package storetest is the store conformance suite: the same cases, run
// on the embedded store and on Neo4j, compared with the same golden files,
// so that both stores give identical answers (paths, order, JSON).
package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/internal/hostile"
	"github.com/aptgraph/aptgraph/internal/synth"
	"github.com/aptgraph/aptgraph/loader"
	"github.com/aptgraph/aptgraph/queries"
	"github.com/aptgraph/aptgraph/store"
)

func here() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// TickFile is the path of the bundled Tick case.
func TickFile() string { return filepath.Join(here(), "..", "..", "testdata", "tick-2021.yaml") }

// ExtraFile is the suite's second dataset.
func ExtraFile() string { return filepath.Join(here(), "testdata", "extra.yaml") }

// Datasets reads and validates dataset files for a test.
func Datasets(t testing.TB, files ...string) []*graph.Dataset {
	t.Helper()
	ds, _, err := loader.ReadAll(context.Background(), files)
	if err != nil {
		t.Fatalf("read %v: %v", files, err)
	}
	return ds
}

// Case is one conformance case: a query and its answer as JSON.
type Case struct {
	Name string
	Run  func(ctx context.Context, s store.Store) (any, error)
}

func path(from, to string, o graph.PathOptions) func(context.Context, store.Store) (any, error) {
	return rankedPath(from, to, o, queries.Ranking{Search: graph.PathSearch{Longer: graph.DefaultLonger}})
}

func rankedPath(from, to string, o graph.PathOptions, r queries.Ranking) func(context.Context, store.Store) (any, error) {
	return func(ctx context.Context, s store.Store) (any, error) { return queries.Path(ctx, s, from, to, o, r) }
}

func chains(victim string, o graph.ChainOptions) func(context.Context, store.Store) (any, error) {
	return func(ctx context.Context, s store.Store) (any, error) { return queries.Attribution(ctx, s, victim, o) }
}

func neighbors(name string, depth int, f graph.Filter) func(context.Context, store.Store) (any, error) {
	return func(ctx context.Context, s store.Store) (any, error) {
		return queries.Neighbors(ctx, s, name, depth, f, 0)
	}
}

// Cases are the conformance cases, run after loading the Tick case and
// extra.yaml.
var Cases = []Case{
	{"path-pla-jaxa", path("PLA", "JAXA", graph.PathOptions{MaxHops: 6})},
	{"path-pla-jaxa-directed", path("pla", "jaxa", graph.PathOptions{MaxHops: 6, Directed: true})},
	{"path-student-tick-ties", path("former-student", "tick", graph.PathOptions{MaxHops: 6})},
	{"path-unit-jaxa-min-alleged", path("Unit 61419", "jaxa", graph.PathOptions{MaxHops: 6, Filter: graph.Filter{MinConfidence: graph.Alleged}})},
	{"path-none-min-reported", path("pla", "jaxa", graph.PathOptions{MaxHops: 6, Filter: graph.Filter{MinConfidence: graph.Reported}})},
	{"path-rel-filter", path("ccp", "tick", graph.PathOptions{MaxHops: 6, Filter: graph.Filter{Types: []string{"MEMBER_OF", "PASSED_CREDENTIALS_TO"}}})},
	{"path-limit", path("tokyo-mpd", "jaxa", graph.PathOptions{MaxHops: 6, Limit: 1})},
	{"path-all-mpd-jaxa", path("tokyo-mpd", "jaxa", graph.PathOptions{MaxHops: 6})},
	{"path-max-hops-1", path("pla", "jaxa", graph.PathOptions{MaxHops: 1})},
	{"path-unknown-entity", path("APT99", "jaxa", graph.PathOptions{MaxHops: 6})},
	{"path-ambiguous", path("shadow", "jaxa", graph.PathOptions{MaxHops: 6})},
	{"path-alias-any-case", path("bronze butler", "keio university", graph.PathOptions{MaxHops: 6})},
	{"path-during-2016", path("PLA", "JAXA", graph.PathOptions{MaxHops: 6, Limit: 5, Filter: graph.Filter{Period: graph.Period{From: "2016", To: "2016"}}})},
	{"path-during-2018-dated-only", path("PLA", "JAXA", graph.PathOptions{MaxHops: 6, Filter: graph.Filter{Period: graph.Period{From: "2018", To: "2019", DatedOnly: true}}})},
	{"attribution-jaxa-during-2016", chains("JAXA", graph.ChainOptions{MaxHops: 8, Filter: graph.Filter{Period: graph.Period{From: "2016-04", To: "2016-06"}}})},
	{"attribution-jaxa-via-unit", chains("JAXA", graph.ChainOptions{MaxHops: 8, Via: []string{"Unit 61419"}})},
	{"attribution-jaxa-avoid-student", chains("JAXA", graph.ChainOptions{MaxHops: 8, Filter: graph.Filter{Avoid: []string{"former-student"}}})},
	{"neighbors-tick-limit", func(ctx context.Context, s store.Store) (any, error) {
		return queries.Neighbors(ctx, s, "tick", 2, graph.Filter{}, 5)
	}},
	{"neighbors-tick-avoid-pla", neighbors("tick", 2, graph.Filter{Avoid: []string{"PLA"}})},
	{"neighbors-tick-dated-only", neighbors("tick", 1, graph.Filter{Period: graph.Period{DatedOnly: true}})},
	{"path-unit-jaxa-ranked", path("Unit 61419", "JAXA", graph.PathOptions{MaxHops: 6, Limit: 5})},
	{"path-unit-jaxa-all-shortest", rankedPath("Unit 61419", "JAXA", graph.PathOptions{MaxHops: 6}, queries.Ranking{AllShortest: true})},
	{"path-via-avoid", rankedPath("PLA", "JAXA", graph.PathOptions{MaxHops: 6, Limit: 3}, queries.Ranking{Search: graph.PathSearch{Longer: 4, Via: []string{"Unit 61419"}, Avoid: []string{"servers-former-student"}}})},
	{"neighbors-tick-1", neighbors("tick", 1, graph.Filter{})},
	{"neighbors-student-2", neighbors("former-student", 2, graph.Filter{})},
	{"neighbors-unit-min-reported", neighbors("unit-61419", 3, graph.Filter{MinConfidence: graph.Reported})},
	{"attribution-jaxa", chains("JAXA", graph.ChainOptions{MaxHops: 8})},
	{"attribution-jaxa-limit", chains("JAXA", graph.ChainOptions{MaxHops: 8, Limit: 2})},
	{"attribution-keio", chains("keio-university", graph.ChainOptions{MaxHops: 8})},
	{"attribution-mitsubishi", chains("Mitsubishi Electric", graph.ChainOptions{MaxHops: 8})},
	{"attribution-min-reported", chains("jaxa", graph.ChainOptions{MaxHops: 8, Filter: graph.Filter{MinConfidence: graph.Reported}})},
	{"attribution-short", chains("jaxa", graph.ChainOptions{MaxHops: 3})},
	{"attribution-not-victim", chains("tick", graph.ChainOptions{MaxHops: 8})},
	{"show-unit", func(ctx context.Context, s store.Store) (any, error) {
		e, g, err := queries.Show(ctx, s, "unit 61419")
		return map[string]any{"entity": e, "graph": g}, err
	}},
	{"list-all", func(ctx context.Context, s store.Store) (any, error) { return s.List(ctx, "") }},
	{"list-victims", func(ctx context.Context, s store.Store) (any, error) { return s.List(ctx, graph.KindVictim) }},
	{"search-unit", func(ctx context.Context, s store.Store) (any, error) { return s.Search(ctx, "UNIT", 50) }},
	{"search-limit", func(ctx context.Context, s store.Store) (any, error) { return s.Search(ctx, "e", 3) }},
	{"search-none", func(ctx context.Context, s store.Store) (any, error) { return s.Search(ctx, "zzz", 50) }},
	{"lookup-shadow", func(ctx context.Context, s store.Store) (any, error) { return s.Lookup(ctx, "Shadow") }},
	{"stats", func(ctx context.Context, s store.Store) (any, error) { return s.Stats(ctx) }},
}

// Run loads the fixtures into an empty store and runs every case against
// the golden files in testdata/ (rewritten with update). It also checks
// that a reload changes nothing.
func Run(t *testing.T, s store.Store, update bool) {
	ctx := context.Background()
	ds := Datasets(t, TickFile(), ExtraFile())
	plans, err := s.Load(ctx, ds, store.LoadOptions{})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	for _, p := range plans {
		if p.Entities.Updated+p.Entities.Unchanged > 0 && p.Dataset == "tick-2021" {
			t.Fatalf("store was not empty: %+v", p)
		}
	}
	again, err := s.Load(ctx, Datasets(t, TickFile(), ExtraFile()), store.LoadOptions{})
	if err != nil {
		t.Fatalf("reload: %v", err)
	}
	for _, p := range again {
		if p.Changed() {
			t.Errorf("reload of %s changed the store: %+v", p.Dataset, p)
		}
	}
	RunCases(t, s, update)
}

// RunCases runs the cases (all but those named in skip) against a store
// that already holds the fixtures.
func RunCases(t *testing.T, s store.Store, update bool, skip ...string) {
	ctx := context.Background()
	skipped := map[string]bool{}
	for _, n := range skip {
		skipped[n] = true
	}
	for _, c := range Cases {
		if skipped[c.Name] {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			v, err := c.Run(ctx, s)
			var out any = v
			if err != nil {
				kind := "error"
				if errors.Is(err, queries.ErrNotFound) {
					kind = "not-found"
				}
				out = map[string]string{kind: err.Error()}
			}
			got, jerr := json.MarshalIndent(out, "", "  ")
			if jerr != nil {
				t.Fatal(jerr)
			}
			got = append(got, '\n')
			file := filepath.Join(here(), "testdata", c.Name+".json")
			if update {
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run the embedded store's tests with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n%s", c.Name, file, got)
			}
		})
	}
}

// RunPrune checks --prune: a dataset that drops items loses them, items
// another dataset holds stay, and loading the original again restores it.
func RunPrune(t *testing.T, s store.Store) {
	ctx := context.Background()
	full := Datasets(t, TickFile(), ExtraFile())
	if _, err := s.Load(ctx, full, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	before, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Drop Tick (also in extra) and Keio University (only in tick-2021),
	// with the relationships that touch them.
	cut := *full[0]
	cut.Entities = nil
	for _, e := range full[0].Entities {
		if e.ID != "tick" && e.ID != "keio-university" {
			cut.Entities = append(cut.Entities, e)
		}
	}
	cut.Relationships = nil
	for _, r := range full[0].Relationships {
		if r.From != "tick" && r.To != "tick" && r.To != "keio-university" {
			cut.Relationships = append(cut.Relationships, r)
		}
	}
	dry, err := s.Load(ctx, []*graph.Dataset{&cut}, store.LoadOptions{Prune: true, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Stats(ctx); st.Entities != before.Entities {
		t.Fatalf("dry run changed the store: %d entities, was %d", st.Entities, before.Entities)
	}
	plans, err := s.Load(ctx, []*graph.Dataset{&cut}, store.LoadOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	if plans[0].Entities != dry[0].Entities || plans[0].Relationships != dry[0].Relationships {
		t.Errorf("dry run planned %+v/%+v, load did %+v/%+v", dry[0].Entities, dry[0].Relationships, plans[0].Entities, plans[0].Relationships)
	}
	if plans[0].Entities.Removed != 1 {
		t.Errorf("prune removed %d entities, want 1 (keio-university; tick stays for extra)", plans[0].Entities.Removed)
	}
	after, _ := s.Stats(ctx)
	if after.Entities != before.Entities-1 {
		t.Errorf("after prune: %d entities, want %d", after.Entities, before.Entities-1)
	}
	if es, _ := s.Lookup(ctx, "tick"); len(es) != 1 {
		t.Errorf("tick, still in dataset extra, was pruned")
	}
	if es, _ := s.Lookup(ctx, "keio university"); len(es) != 0 {
		t.Errorf("keio-university survived the prune")
	}
	if _, err := s.Load(ctx, Datasets(t, TickFile()), store.LoadOptions{Prune: true}); err != nil {
		t.Fatal(err)
	}
	restored, _ := s.Stats(ctx)
	b1, _ := json.Marshal(before)
	b2, _ := json.Marshal(restored)
	if !bytes.Equal(b1, b2) {
		t.Errorf("reloading the full dataset did not restore the store:\n%s\n%s", b1, b2)
	}
}

// HostileDataset puts every hostile string into names, aliases,
// descriptions, attributes, external ids, source fields and relationship
// descriptions (ids and types stay valid: validation rejects hostile ones).
func HostileDataset() *graph.Dataset {
	ds := &graph.Dataset{Name: "hostile"}
	ds.Entities = append(ds.Entities, graph.Entity{ID: "victim", Kind: graph.KindVictim, Name: "Victim"})
	for i, h := range hostile.Strings() {
		id := fmt.Sprintf("h%03d", i)
		sid := fmt.Sprintf("s%03d", i)
		ds.Sources = append(ds.Sources, graph.Source{ID: sid, Publisher: h.Value, Title: h.Value, Description: h.Value, URL: "https://example.org/" + id})
		ds.Entities = append(ds.Entities, graph.Entity{
			ID: id, Kind: graph.KindGroup, Name: h.Value, Aliases: []string{h.Value + " alias"},
			Description: h.Value, Country: h.Value,
			ExternalIDs: map[string]string{"x": h.Value}, Attributes: map[string]string{h.Value: h.Value},
			Sources: []string{sid},
		})
		ds.Relationships = append(ds.Relationships, graph.Relationship{
			From: id, Type: "ATTACKED", To: "victim", Confidence: graph.Alleged, Sources: []string{sid}, Description: h.Value,
		})
	}
	ds.Normalize()
	return ds
}

// RunHostile loads HostileDataset and checks that every string comes back
// byte for byte, and that every name finds its entity.
func RunHostile(t *testing.T, s store.Store) {
	ctx := context.Background()
	ds := HostileDataset()
	if _, err := s.Load(ctx, []*graph.Dataset{ds}, store.LoadOptions{}); err != nil {
		t.Fatalf("load hostile dataset: %v", err)
	}
	var ids, sids []string
	var keys []graph.RelKey
	for _, e := range ds.Entities {
		ids = append(ids, e.ID)
	}
	for _, src := range ds.Sources {
		sids = append(sids, src.ID)
	}
	for _, r := range ds.Relationships {
		keys = append(keys, r.Key())
	}
	es, err := s.Entities(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	// The store says which datasets hold each item; the content is what
	// was written.
	held := func(sets []string) {
		t.Helper()
		if len(sets) != 1 || sets[0] != ds.Name {
			t.Errorf("held by %v, want [%s]", sets, ds.Name)
		}
	}
	for i := range es {
		held(es[i].Datasets)
		es[i].Datasets = nil
	}
	if !reflect.DeepEqual(es, ds.Entities) {
		for i := range es {
			if i < len(ds.Entities) && !reflect.DeepEqual(es[i], ds.Entities[i]) {
				t.Errorf("entity %s changed in the store:\n got  %q\n want %q", es[i].ID, clip(es[i].Name), clip(ds.Entities[i].Name))
			}
		}
		t.Fatalf("entities differ (%d read, %d written)", len(es), len(ds.Entities))
	}
	srcs, err := s.Sources(ctx, sids)
	if err != nil {
		t.Fatal(err)
	}
	for i := range srcs {
		held(srcs[i].Datasets)
		srcs[i].Datasets = nil
	}
	if !reflect.DeepEqual(srcs, ds.Sources) {
		t.Errorf("sources differ after the round trip")
	}
	rels, err := s.Relationships(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rels {
		held(rels[i].Datasets)
		rels[i].Datasets = nil
	}
	if !reflect.DeepEqual(rels, ds.Relationships) {
		t.Errorf("relationships differ after the round trip")
	}
	for _, e := range ds.Entities[:len(ds.Entities)-1] {
		found, err := s.Lookup(ctx, e.Name)
		if err != nil {
			t.Fatalf("lookup %q: %v", clip(e.Name), err)
		}
		ok := false
		for _, f := range found {
			ok = ok || f.ID == e.ID
		}
		if !ok {
			t.Errorf("lookup of %q does not find %s", clip(e.Name), e.ID)
		}
	}
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// RunMerge checks that an entity two datasets hold gets both datasets'
// aliases, sources and attributes, and that reloading either dataset
// then changes nothing (no flip-flop between versions).
func RunMerge(t *testing.T, s store.Store) {
	ctx := context.Background()
	mk := func(name, alias, src, desc string) *graph.Dataset {
		ds := &graph.Dataset{Name: name,
			Sources:  []graph.Source{{ID: src, Publisher: src}},
			Entities: []graph.Entity{{ID: "x", Kind: graph.KindGroup, Name: "X", Aliases: []string{alias}, Description: desc, Sources: []string{src}, Attributes: map[string]string{name: "yes"}}},
		}
		ds.Normalize()
		return ds
	}
	a, b := mk("a", "Alpha", "src-a", ""), mk("b", "Bravo", "src-b", "described by b")
	for _, ds := range []*graph.Dataset{a, b} {
		if _, err := s.Load(ctx, []*graph.Dataset{ds}, store.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string) {
		es, err := s.Entities(ctx, []string{"x"})
		if err != nil || len(es) != 1 {
			t.Fatalf("%s: %v %v", when, es, err)
		}
		x := es[0]
		if strings.Join(x.Aliases, ",") != "Alpha,Bravo" || strings.Join(x.Sources, ",") != "src-a,src-b" ||
			x.Attributes["a"] != "yes" || x.Attributes["b"] != "yes" || x.Description != "described by b" {
			t.Errorf("%s: merged entity %+v", when, x)
		}
	}
	check("after a then b")
	for _, ds := range []*graph.Dataset{mk("a", "Alpha", "src-a", ""), mk("b", "Bravo", "src-b", "described by b")} {
		plans, err := s.Load(ctx, []*graph.Dataset{ds}, store.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if plans[0].Changed() {
			t.Errorf("reloading %s changed the store: %+v", ds.Name, plans[0].Entities)
		}
	}
	check("after reloading both")
}

// RunShared checks two datasets that hold the same new relationship,
// loaded in one call: the first creates it, the second must find it (not
// take it for new because its ends were new to the store) and tag it
// with both, a reload changes nothing, and only pruning both removes it.
func RunShared(t *testing.T, s store.Store) {
	ctx := context.Background()
	mk := func(name string) *graph.Dataset {
		ds := &graph.Dataset{Name: name,
			Sources:       []graph.Source{{ID: "src", Publisher: "Test Publisher"}},
			Entities:      []graph.Entity{{ID: "p", Kind: graph.KindGroup, Name: "P"}, {ID: "q", Kind: graph.KindVictim, Name: "Q"}},
			Relationships: []graph.Relationship{{From: "p", Type: "ATTACKED", To: "q", Confidence: graph.Alleged, Sources: []string{"src"}}},
		}
		ds.Normalize()
		return ds
	}
	for round, created := range []int{1, 0} {
		plans, err := s.Load(ctx, []*graph.Dataset{mk("a"), mk("b")}, store.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		a, b := plans[0].Relationships, plans[1].Relationships
		if a.Created != created || b.Created != 0 || a.Created+a.Updated+a.Unchanged != 1 || b.Updated+b.Unchanged != 1 ||
			round == 1 && (plans[0].Changed() || plans[1].Changed()) {
			t.Errorf("load %d: relationship counts a %+v, b %+v", round+1, a, b)
		}
	}
	// Pruning a of it keeps it (b holds it); pruning b too removes it.
	for i, name := range []string{"a", "b"} {
		ds := mk(name)
		ds.Relationships = nil
		if _, err := s.Load(ctx, []*graph.Dataset{ds}, store.LoadOptions{Prune: true}); err != nil {
			t.Fatal(err)
		}
		rels, err := s.Relationships(ctx, []graph.RelKey{{From: "p", Type: "ATTACKED", To: "q"}})
		if err != nil {
			t.Fatal(err)
		}
		if want := 1 - i; len(rels) != want {
			t.Errorf("after pruning %s: %d relationships, want %d", name, len(rels), want)
		}
	}
}

// Parts cuts a dataset into parts of at most n items, in the order a JSON
// Lines file holds them (sources, entities, relationships), as
// loader.Stream.Parts yields them.
func Parts(ds *graph.Dataset, n int) iter.Seq2[*graph.Dataset, error] {
	return func(yield func(*graph.Dataset, error) bool) {
		part := &graph.Dataset{Name: ds.Name}
		count := 0
		flush := func() bool {
			if count == 0 {
				return true
			}
			ok := yield(part, nil)
			part, count = &graph.Dataset{Name: ds.Name}, 0
			return ok
		}
		add := func(f func()) bool {
			f()
			if count++; count >= n {
				return flush()
			}
			return true
		}
		for _, x := range ds.Sources {
			if !add(func() { part.Sources = append(part.Sources, x) }) {
				return
			}
		}
		for _, x := range ds.Entities {
			if !add(func() { part.Entities = append(part.Entities, x) }) {
				return
			}
		}
		for _, x := range ds.Relationships {
			if !add(func() { part.Relationships = append(part.Relationships, x) }) {
				return
			}
		}
		flush()
	}
}

// RunParts checks, on an empty store, that loading a dataset in parts
// (store.LoadParts) is the same as loading it whole: the same counts, a
// second load of either kind finds nothing to change, and pruning in
// parts removes what a whole-dataset prune plans to remove.
func RunParts(t *testing.T, s store.Store) {
	ctx := context.Background()
	ds := synth.Generate(synth.Config{Relationships: 600, Seed: 7, Name: "parts"})
	p, err := s.LoadParts(ctx, ds.Name, Parts(ds, 37), store.LoadOptions{BatchSize: 50, Writers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if p.Entities.Created != len(ds.Entities) || p.Relationships.Created != len(ds.Relationships) || p.Sources.Created != len(ds.Sources) {
		t.Fatalf("first load in parts: %+v, want everything created (%d/%d/%d)", p, len(ds.Sources), len(ds.Entities), len(ds.Relationships))
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != len(ds.Entities) || st.Relationships != len(ds.Relationships) {
		t.Fatalf("store holds %d entities, %d relationships; want %d, %d", st.Entities, st.Relationships, len(ds.Entities), len(ds.Relationships))
	}
	plans, err := s.Load(ctx, []*graph.Dataset{ds}, store.LoadOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if plans[0].Changed() {
		t.Errorf("loading the same dataset whole would change %+v after loading it in parts", plans[0])
	}
	p, err = s.LoadParts(ctx, ds.Name, Parts(ds, 100), store.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Changed() || p.Relationships.Unchanged != len(ds.Relationships) {
		t.Errorf("second load in parts: %+v, want everything unchanged", p)
	}
	// Cut every third entity and what touches it; a whole-dataset prune
	// plans the removals a prune in parts must make.
	cut := &graph.Dataset{Name: ds.Name, Sources: ds.Sources}
	gone := map[string]bool{}
	for i, e := range ds.Entities {
		if i%3 == 0 {
			gone[e.ID] = true
			continue
		}
		cut.Entities = append(cut.Entities, e)
	}
	for _, r := range ds.Relationships {
		if !gone[r.From] && !gone[r.To] {
			cut.Relationships = append(cut.Relationships, r)
		}
	}
	want, err := s.Load(ctx, []*graph.Dataset{cut}, store.LoadOptions{Prune: true, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	dry, err := s.LoadParts(ctx, cut.Name, Parts(cut, 41), store.LoadOptions{Prune: true, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.LoadParts(ctx, cut.Name, Parts(cut, 41), store.LoadOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		what      string
		got, want graph.Counts
	}{
		{"entities", got.Entities, want[0].Entities}, {"relationships", got.Relationships, want[0].Relationships},
		{"dry-run entities", dry.Entities, want[0].Entities}, {"dry-run relationships", dry.Relationships, want[0].Relationships},
	} {
		if x.got != x.want {
			t.Errorf("prune in parts: %s %+v, whole-dataset plan %+v", x.what, x.got, x.want)
		}
	}
	if want[0].Entities.Removed == 0 || want[0].Relationships.Removed == 0 {
		t.Fatalf("the cut removes nothing: %+v", want[0])
	}
	st, err = s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != len(cut.Entities) || st.Relationships != len(cut.Relationships) {
		t.Errorf("after prune in parts the store holds %d entities, %d relationships; want %d, %d", st.Entities, st.Relationships, len(cut.Entities), len(cut.Relationships))
	}
}

// RunAll runs the whole store contract on one backend, each part a named
// subtest on a fresh store from open: the conformance cases against the
// golden files (rewritten with update), pruning, hostile strings, merges,
// datasets sharing items, and loads in parts.
func RunAll(t *testing.T, open func(t *testing.T) store.Store, update bool) {
	parts := []struct {
		name string
		run  func(t *testing.T, s store.Store)
	}{
		{"conformance", func(t *testing.T, s store.Store) { Run(t, s, update) }},
		{"prune", RunPrune},
		{"prune-shared", RunPruneShared},
		{"hostile", RunHostile},
		{"merge", RunMerge},
		{"shared", RunShared},
		{"parts", RunParts},
		{"conflicts", RunConflicts},
		{"claims", RunClaims},
		{"tlp", RunTLP},
		{"lookup-names", RunLookupNames},
		{"roles", RunRoles},
		{"ranking-facts", RunRankingFacts},
		{"step-budget", RunStepBudget},
	}
	t.Run("orders", func(t *testing.T) { RunOrders(t, open) })
	for _, p := range parts {
		t.Run(p.name, func(t *testing.T) { p.run(t, open(t)) })
	}
}

// RunPruneShared: pruning a dataset that is unchanged keeps what another
// dataset gave an entity both hold (on Neo4j, `load A; load B; load
// --prune B` once stripped A's aliases and sources from it).
func RunPruneShared(t *testing.T, s store.Store) {
	ctx := context.Background()
	mk := func(name, alias, src string) *graph.Dataset {
		return &graph.Dataset{Name: name,
			Sources:  []graph.Source{{ID: src, Publisher: "Publisher " + src}},
			Entities: []graph.Entity{{ID: "ga", Kind: graph.KindGroup, Name: "Group A", Aliases: []string{alias}, Sources: []string{src}}}}
	}
	a, b := mk("a", "alpha", "sa"), mk("b", "beta", "sb")
	steps := []struct {
		ds    *graph.Dataset
		prune bool
	}{{a, false}, {b, false}, {b, true}, {b, true}}
	for i, st := range steps {
		if _, err := s.Load(ctx, []*graph.Dataset{st.ds}, store.LoadOptions{Prune: st.prune}); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	es, err := s.Entities(ctx, []string{"ga"})
	if err != nil || len(es) != 1 {
		t.Fatalf("entities: %v %v", es, err)
	}
	if got := strings.Join(es[0].Aliases, ","); got != "alpha,beta" {
		t.Errorf("aliases after pruning the unchanged dataset b: %q, want alpha,beta", got)
	}
	if got := strings.Join(es[0].Sources, ","); got != "sa,sb" {
		t.Errorf("sources after pruning the unchanged dataset b: %q, want sa,sb", got)
	}
	if found, _ := s.Lookup(ctx, "alpha"); len(found) != 1 {
		t.Errorf("lookup of a's alias after pruning b: %v", found)
	}
}

// RunClaims: two datasets holding one relationship each keep their own
// claim. Reloading either never overwrites the other's (it flipped with
// every load), the relationship is as strong as its strongest claim and
// lists both, and pruning one dataset removes its claim only — the
// relationship is then exactly what the other says.
func RunClaims(t *testing.T, s store.Store) {
	ctx := context.Background()
	mk := func(name, src string, c graph.Confidence, start string, with bool) *graph.Dataset {
		ds := &graph.Dataset{Name: name,
			Sources: []graph.Source{{ID: src, Publisher: "Publisher " + src}},
			Entities: []graph.Entity{{ID: "ga", Kind: graph.KindGroup, Name: "Group A"},
				{ID: "va", Kind: graph.KindVictim, Name: "Victim A"}}}
		if with {
			ds.Relationships = []graph.Relationship{{From: "ga", Type: "ATTACKED", To: "va", Confidence: c, Sources: []string{src}, Start: start, Description: "as " + name + " says"}}
		}
		ds.Normalize()
		return ds
	}
	rel := func(step string) graph.Relationship {
		t.Helper()
		sub, err := queries.Export(ctx, s)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if len(sub.Relationships) != 1 {
			t.Fatalf("%s: relationships %+v, want one", step, sub.Relationships)
		}
		return sub.Relationships[0]
	}
	load := func(step string, ds *graph.Dataset, prune bool) graph.Counts {
		t.Helper()
		plans, err := s.Load(ctx, []*graph.Dataset{ds}, store.LoadOptions{Prune: prune})
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return plans[0].Relationships
	}
	a := mk("a", "sa", graph.Alleged, "2016", true)
	b := mk("b", "sb", graph.Confirmed, "2018", true)
	load("load a", a, false)
	load("load b", b, false)
	both := rel("a and b")
	if both.Confidence != graph.Confirmed || strings.Join(both.Sources, ",") != "sa,sb" || both.Start != "2016" ||
		both.Description != "as b says" || strings.Join(both.Datasets, ",") != "a,b" {
		t.Errorf("a and b: %+v, want confirmed (b's), sources sa,sb, start 2016, b's words, datasets a,b", both)
	}
	if len(both.Claims) != 2 || both.Claims[0].Dataset != "a" || both.Claims[0].Confidence != graph.Alleged ||
		both.Claims[1].Dataset != "b" || both.Claims[1].Confidence != graph.Confirmed || strings.Join(both.Claims[0].Sources, ",") != "sa" {
		t.Errorf("claims %+v, want a's alleged (sa) and b's confirmed (sb)", both.Claims)
	}
	for i, ds := range []*graph.Dataset{a, b, a} {
		if c := load("reload", ds, false); c.Updated != 0 || c.Unchanged != 1 {
			t.Errorf("reload %d of %s: %+v, want 1 unchanged", i, ds.Name, c)
		}
	}
	if again := rel("after reloads"); graph.Hash(again) != graph.Hash(both) {
		t.Errorf("reloads changed the relationship: %+v, was %+v", again, both)
	}
	if c := load("prune b", mk("b", "sb", graph.Confirmed, "", false), true); c.Updated != 1 || c.Removed != 0 {
		t.Errorf("b retracting its claim: %+v, want 1 updated", c)
	}
	left := rel("after b's prune")
	left.Datasets = nil
	want := a.Relationships[0]
	if graph.Hash(left) != graph.Hash(want) {
		t.Errorf("after b's prune: %+v, want exactly a's claim %+v", left, want)
	}
	if c := load("reload a", a, false); c.Unchanged != 1 {
		t.Errorf("a after b's prune: %+v, want unchanged", c)
	}
	if c := load("prune a", mk("a", "sa", graph.Alleged, "", false), true); c.Removed != 1 {
		t.Errorf("a retracting the last claim: %+v, want 1 removed", c)
	}
}

// RunTLP: TLP markings are kept on sources, entities and relationships
// (and each dataset's claim), and an entity two datasets mark differently
// takes the more restrictive marking.
func RunTLP(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := &graph.Dataset{Name: "a",
		Sources:  []graph.Source{{ID: "pub", Publisher: "P"}, {ID: "closed", Publisher: "C", TLP: graph.TLPAmber}},
		Entities: []graph.Entity{{ID: "g", Kind: graph.KindGroup, Name: "G", TLP: graph.TLPGreen}, {ID: "v", Kind: graph.KindVictim, Name: "V"}},
		Relationships: []graph.Relationship{
			{From: "g", Type: "ATTACKED", To: "v", Confidence: graph.Alleged, Sources: []string{"pub"}, TLP: graph.TLPClear},
			{From: "g", Type: "TARGETED", To: "v", Confidence: graph.Reported, Sources: []string{"closed"}, TLP: graph.TLPAmberStrict},
		}}
	b := &graph.Dataset{Name: "b",
		Sources:  []graph.Source{{ID: "red-src", Publisher: "R", TLP: graph.TLPRed}},
		Entities: []graph.Entity{{ID: "g", Kind: graph.KindGroup, Name: "G", TLP: graph.TLPRed}, {ID: "v", Kind: graph.KindVictim, Name: "V"}},
		Relationships: []graph.Relationship{{From: "g", Type: "ATTACKED", To: "v", Confidence: graph.Confirmed, Sources: []string{"red-src"}, TLP: graph.TLPRed},
			{From: "g", Type: "PAID", To: "v", Confidence: graph.Alleged, Sources: []string{"red-src"}, Attributes: map[string]string{"amount": "0.5", "currency": "BTC"},
				Citations: []graph.Citation{{Source: "red-src", Confidence: graph.Alleged, Quote: "paid in bitcoin", Locator: "p. 3"}}}}}
	a.Normalize()
	b.Normalize()
	for _, ds := range []*graph.Dataset{a, b} {
		if _, err := s.Load(ctx, []*graph.Dataset{ds}, store.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	sub, err := queries.Export(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range sub.Sources {
		got = append(got, x.ID+"="+string(x.TLP))
	}
	for _, x := range sub.Nodes {
		got = append(got, x.ID+"="+string(x.TLP))
	}
	for _, r := range sub.Relationships {
		item := r.Type + "=" + string(r.TLP)
		for _, c := range r.Claims {
			item += " " + c.Dataset + ":" + string(c.TLP)
		}
		got = append(got, item)
	}
	for _, r := range sub.Relationships {
		if r.Type == "PAID" && (r.Attributes["amount"] != "0.5" || r.Attributes["currency"] != "BTC" ||
			len(r.Citations) != 1 || r.Citations[0].Locator != "p. 3" || r.Citations[0].Quote != "paid in bitcoin") {
			t.Errorf("PAID lost its attributes or citations: %+v", r)
		}
	}
	want := "closed=amber|pub=|red-src=red|g=red|v=|ATTACKED=red a:clear b:red|PAID=|TARGETED=amber+strict"
	if strings.Join(got, "|") != want {
		t.Errorf("markings:\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
}

// RunRoles: an entity with more than one role (a person who is also a
// victim) keeps its roles, is listed under each, and two datasets'
// roles unite.
func RunRoles(t *testing.T, s store.Store) {
	ctx := context.Background()
	mk := func(name string, roles ...graph.Kind) *graph.Dataset {
		return &graph.Dataset{Name: name, Sources: []graph.Source{{ID: "s-" + name, Publisher: "P"}},
			Entities: []graph.Entity{{ID: "p", Kind: graph.KindPerson, Name: "P", Roles: roles, Sources: []string{"s-" + name},
				Aliases: []string{"Handle"}, AliasSources: map[string][]string{"Handle": {"s-" + name}}}}}
	}
	for _, ds := range []*graph.Dataset{mk("a", graph.KindVictim), mk("b", graph.KindIdentity)} {
		ds.Normalize()
		if _, err := s.Load(ctx, []*graph.Dataset{ds}, store.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	es, err := s.Entities(ctx, []string{"p"})
	if err != nil || len(es) != 1 || fmt.Sprint(es[0].Roles) != "[identity victim]" {
		t.Fatalf("roles %+v %v", es, err)
	}
	if got := fmt.Sprint(es[0].AliasSources); got != "map[Handle:[s-a s-b]]" {
		t.Errorf("alias sources %s, want both datasets' sources of the alias", got)
	}
	for _, k := range []graph.Kind{graph.KindPerson, graph.KindVictim, graph.KindIdentity} {
		if l, err := s.List(ctx, k); err != nil || len(l) != 1 {
			t.Errorf("list %s: %v %v", k, l, err)
		}
	}
	if l, _ := s.List(ctx, graph.KindGroup); len(l) != 0 {
		t.Errorf("list group: %v", l)
	}
}

// RunLookupNames: looking many names up at once answers what looking
// each up answers (ids, names, aliases, external ids, any case; unknown
// names are absent).
func RunLookupNames(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.Load(ctx, Datasets(t, TickFile()), store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	names := []string{"PLA", "tick", "BRONZE BUTLER", "g0060", "JAXA", "Unit 61419", "no such thing", "jaxa"}
	got, err := s.LookupNames(ctx, names)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		one, err := s.Lookup(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		var a, b []string
		for _, e := range one {
			a = append(a, e.ID)
		}
		for _, e := range got[graph.Fold(n)] {
			b = append(b, e.ID)
		}
		if strings.Join(a, ",") != strings.Join(b, ",") {
			t.Errorf("%q: Lookup %v, LookupNames %v", n, a, b)
		}
	}
	if len(got[graph.Fold("no such thing")]) != 0 || len(got[graph.Fold("g0060")]) != 1 {
		t.Errorf("LookupNames: %v", got)
	}
}

// RunOrders loads the Tick case and three other cases that share some of
// its entities, in every order (24), each into a fresh store: every
// order leaves the same store, byte for byte in its JSON export.
func RunOrders(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	files := []string{TickFile(), filepath.Join(here(), "testdata", "order-shadow.yaml"), filepath.Join(here(), "testdata", "order-attack.yaml"), filepath.Join(here(), "testdata", "order-pla.yaml")}
	var want string
	var wantOrder []string
	for _, order := range permutations(len(files)) {
		s := open(t)
		var names []string
		for _, i := range order {
			ds, _, err := loader.ReadAllWith(ctx, files[i:i+1], loader.Options{Known: store.Known{Store: s}})
			if err != nil {
				t.Fatalf("read %s: %v", files[i], err)
			}
			if _, err := s.Load(ctx, ds, store.LoadOptions{}); err != nil {
				t.Fatalf("load %s: %v", files[i], err)
			}
			names = append(names, filepath.Base(files[i]))
		}
		g, err := queries.Export(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.MarshalIndent(g, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if want == "" {
			want, wantOrder = string(b), names
			continue
		}
		if string(b) != want {
			t.Fatalf("loading %v gives another store than %v", names, wantOrder)
		}
	}
}

// permutations lists every order of 0..n-1.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int(nil), p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}

// RunConflicts: a dataset that defines another dataset's item differently
// is refused whole (nothing written), shown by a dry run, and taken with
// Replace; adding aliases or sources to a shared entity is no conflict.
func RunConflicts(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.Load(ctx, Datasets(t, TickFile()), store.LoadOptions{Files: map[string]string{"tick-2021": TickFile()}}); err != nil {
		t.Fatal(err)
	}
	// The store remembers where each dataset came from, for messages
	// that point at the other dataset's definition.
	if files, err := s.DatasetFiles(ctx, []string{"tick-2021", "none"}); err != nil || len(files) != 1 || files["tick-2021"] != TickFile() {
		t.Errorf("dataset files %v, %v; want tick-2021 → %s", files, err, TickFile())
	}
	before, _ := queries.Export(ctx, s)
	other := &graph.Dataset{Name: "other",
		Sources: []graph.Source{{ID: "nhk-2021-04-20", Publisher: "NHK", Date: "2021-04-20", Title: "Another title"}, {ID: "o", Publisher: "O"}},
		Entities: []graph.Entity{
			{ID: "pla", Kind: graph.KindPerson, Name: "People's Liberation Army", Sources: []string{"o"}},
			{ID: "tick", Kind: graph.KindGroup, Name: "Tick", Aliases: []string{"Tick Group"}, Sources: []string{"o"}},
		},
	}
	other.Normalize()
	dry, err := s.Load(ctx, []*graph.Dataset{other}, store.LoadOptions{DryRun: true})
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	var got []string
	for _, c := range dry[0].Conflicts {
		got = append(got, c.Kind+" "+c.Key+" "+c.Field+" "+strings.Join(c.DefinedBy, ","))
	}
	if want := "source nhk-2021-04-20  tick-2021|entity pla kind tick-2021"; strings.Join(got, "|") != want {
		t.Errorf("dry run conflicts %q, want %q", strings.Join(got, "|"), want)
	}
	_, err = s.Load(ctx, []*graph.Dataset{other}, store.LoadOptions{})
	var ce *graph.ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("load of a redefinition: %v, want a ConflictError", err)
	}
	after, _ := queries.Export(ctx, s)
	if a, b := fmt.Sprint(before), fmt.Sprint(after); a != b {
		t.Errorf("a refused load changed the store")
	}
	if _, err := s.Load(ctx, []*graph.Dataset{other}, store.LoadOptions{Replace: true}); err != nil {
		t.Fatalf("--replace: %v", err)
	}
	es, _ := s.Entities(ctx, []string{"pla", "tick"})
	if len(es) != 2 || es[0].Kind != graph.KindPerson || !slices.Contains(es[1].Aliases, "Tick Group") || !slices.Contains(es[1].Aliases, "BRONZE BUTLER") {
		t.Errorf("after --replace: %+v", es)
	}
	if len(es) == 2 && strings.Join(es[1].Datasets, ",") != "other,tick-2021" {
		t.Errorf("tick held by %v, want both datasets", es[1].Datasets)
	}
}

// RunRankingFacts: a store's RankingFacts (what ranking reads of many
// relationships, faster than Relationships) gives, for every key, the
// confidence and sources Relationships gives, and claims and route
// whole where several claims name routes; nothing for missing keys.
func RunRankingFacts(t *testing.T, s store.Store) {
	ctx := context.Background()
	f, ok := s.(interface {
		RankingFacts(ctx context.Context, keys []graph.RelKey) ([]graph.Relationship, error)
	})
	if !ok {
		t.Skip("the store has no RankingFacts")
	}
	ds := synth.Generate(synth.Config{Relationships: 1500, Seed: 5})
	// Two datasets claim one relationship through different routes.
	routed := func(name, src string, c graph.Confidence, via string) *graph.Dataset {
		d := &graph.Dataset{Name: name, Sources: []graph.Source{{ID: src, Publisher: "Publisher " + src}},
			Entities: []graph.Entity{{ID: "ga", Kind: graph.KindGroup, Name: "Group A"}, {ID: "va", Kind: graph.KindVictim, Name: "Victim A"},
				{ID: via, Kind: graph.KindServer, Name: "Server " + via}},
			Relationships: []graph.Relationship{{From: "ga", Type: "ATTACKED", To: "va", Confidence: c, Sources: []string{src}, Via: []string{via}}}}
		d.Normalize()
		return d
	}
	for _, d := range []*graph.Dataset{ds, routed("a", "sa", graph.Alleged, "s1"), routed("b", "sb", graph.Confirmed, "s2")} {
		if _, err := s.Load(ctx, []*graph.Dataset{d}, store.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	keys := []graph.RelKey{{From: "ga", Type: "ATTACKED", To: "va"}, {From: "ga", Type: "ATTACKED", To: "nowhere"}, {From: "nobody", Type: "ATTACKED", To: "va"}}
	for _, r := range ds.Relationships {
		keys = append(keys, r.Key())
	}
	slices.SortFunc(keys, func(a, b graph.RelKey) int { return a.Compare(b) })
	want, err := s.Relationships(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.RankingFacts(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("RankingFacts gave %d relationships, Relationships %d", len(got), len(want))
	}
	multi := 0
	for i := range want {
		g, w := got[i], want[i]
		if g.Key() != w.Key() || g.Confidence != w.Confidence || !slices.Equal(g.Sources, w.Sources) {
			t.Fatalf("%s: facts %s %v, whole %s %v", w.Key(), g.Confidence, g.Sources, w.Confidence, w.Sources)
		}
		if len(w.Claims) > 1 && len(w.Via) > 0 {
			multi++
			if !reflect.DeepEqual(g.Claims, w.Claims) || !slices.Equal(g.Via, w.Via) {
				t.Errorf("%s: several claims name routes, and the facts lack them: %+v", w.Key(), g)
			}
		}
	}
	if multi != 1 {
		t.Errorf("%d relationships with routed claims, want 1", multi)
	}
}

// RunStepBudget: a store's bounded steps (StepsUpTo) say there are more
// exactly when Steps gives more than the limit, and give all of them
// otherwise.
func RunStepBudget(t *testing.T, s store.Store) {
	ctx := context.Background()
	l, ok := s.(interface {
		StepsUpTo(ctx context.Context, ids []string, dir graph.Direction, f graph.Filter, limit int) ([]graph.Step, bool, error)
	})
	if !ok {
		t.Skip("the store has no StepsUpTo")
	}
	ds := synth.Generate(synth.Config{Relationships: 1500, Seed: 6})
	if _, err := s.Load(ctx, []*graph.Dataset{ds}, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	// A hub and a few others.
	ids := []string{ds.Relationships[0].From, ds.Relationships[len(ds.Relationships)/2].To, ds.Entities[0].ID}
	for _, dir := range []graph.Direction{graph.Both, graph.Out, graph.In} {
		all, err := s.Steps(ctx, ids, dir, graph.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int{0, 1, len(all) - 1, len(all), len(all) + 1, 1 << 20} {
			if limit < 0 {
				continue
			}
			st, more, err := l.StepsUpTo(ctx, ids, dir, graph.Filter{}, limit)
			if err != nil {
				t.Fatal(err)
			}
			if more != (len(all) > limit) {
				t.Errorf("dir %d, %d steps, limit %d: more = %v", dir, len(all), limit, more)
			}
			if !more && len(st) != len(all) {
				t.Errorf("dir %d, limit %d: %d steps, want all %d", dir, limit, len(st), len(all))
			}
			if more && len(st) > limit+1 {
				t.Errorf("dir %d, limit %d: read %d steps", dir, limit, len(st))
			}
		}
	}
}
