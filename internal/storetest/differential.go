package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/queries"
	"github.com/aptgraph/aptgraph/store"
)

// RunDifferential loads random graphs into two stores and asks both the
// same random queries of every kind: the answers must be byte-identical
// as JSON. Graph i is made from seed+i, so a failure names the seed that
// reproduces it alone (graphs 1, seed N). open returns an empty store.
func RunDifferential(t *testing.T, openA, openB func(t *testing.T) store.Store, graphs int, seed uint64) {
	for i := range graphs {
		gs := seed + uint64(i)
		rng := rand.New(rand.NewPCG(gs, 0x5eed))
		ds := RandomGraph(rng, fmt.Sprintf("random-%d", gs))
		a, b := openA(t), openB(t)
		ctx := context.Background()
		for _, s := range []store.Store{a, b} {
			if _, err := s.Load(ctx, []*graph.Dataset{ds}, store.LoadOptions{}); err != nil {
				t.Fatalf("graph seed %d: load into %s: %v", gs, s.Describe(), err)
			}
		}
		for q := range 17 {
			name, run := randomQuery(rng, ds)
			ansA, ansB := answer(ctx, a, run), answer(ctx, b, run)
			if ansA != ansB {
				t.Fatalf("graph seed %d, query %d (%s): the stores differ (rerun alone with -diff.seed %d -diff.graphs 1)\n%s:\n%s\n%s:\n%s",
					gs, q, name, gs, a.Describe(), ansA, b.Describe(), ansB)
			}
		}
	}
}

// answer is a query's result as JSON, or the kind of its error.
func answer(ctx context.Context, s store.Store, run func(context.Context, store.Store) (any, error)) string {
	v, err := run(ctx, s)
	switch {
	case errors.Is(err, queries.ErrNotFound):
		return "not found: " + err.Error()
	case errors.Is(err, queries.ErrBadRequest):
		return "bad request: " + err.Error()
	case err != nil:
		return "error: " + err.Error()
	}
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return "unencodable: " + err.Error()
	}
	return string(b)
}

// randomKinds are the kinds random graphs are made of; organizations and
// victims come first so that every graph has some.
var randomKinds = []graph.Kind{graph.KindOrganization, graph.KindVictim, graph.KindUnit, graph.KindPerson,
	graph.KindGroup, graph.KindServer, graph.KindIdentity}

var randomTypes = []string{"DIRECTED", "INSTRUCTED", "SPONSORED", "COMMANDED", "PART_OF", "MEMBER_OF",
	"ATTRIBUTED_TO", "AFFILIATED_WITH", "RENTED", "USED", "USED_IDENTITY", "PURCHASED", "PASSED_CREDENTIALS_TO",
	"ATTACKED", "TARGETED", "INVESTIGATED"}

var randomDates = []string{"", "", "2015", "2016", "2016-04", "2017", "2017-11-30", "2019"}

// RandomGraph makes a small graph of one of four shapes — sparse, a hub,
// a cycle with chords, dense — with parallel relationships of several
// types, every confidence, dated and undated claims, and attack claims
// with a random via.
func RandomGraph(rng *rand.Rand, name string) *graph.Dataset {
	n := 6 + rng.IntN(14)
	ds := &graph.Dataset{Name: name}
	ds.Sources = []graph.Source{{ID: "s1", Publisher: "Source One", Date: "2021"}, {ID: "s2", Publisher: "Source Two"}, {ID: "s3", Publisher: "Source Three"}}
	ids := make([]string, n)
	for i := range n {
		k := randomKinds[rng.IntN(len(randomKinds))]
		if i < len(randomKinds) {
			k = randomKinds[i]
		}
		ids[i] = fmt.Sprintf("e%02d", i)
		ds.Entities = append(ds.Entities, graph.Entity{ID: ids[i], Kind: k, Name: fmt.Sprintf("Entity %s %d", k, i),
			Aliases: []string{fmt.Sprintf("E%d", i%5)}})
	}
	var pairs [][2]int
	switch rng.IntN(4) {
	case 0: // sparse
		for range n {
			pairs = append(pairs, [2]int{rng.IntN(n), rng.IntN(n)})
		}
	case 1: // a hub
		hub := rng.IntN(n)
		for i := range n {
			if rng.IntN(2) == 0 {
				pairs = append(pairs, [2]int{hub, i})
			} else {
				pairs = append(pairs, [2]int{i, hub})
			}
		}
		for range n / 2 {
			pairs = append(pairs, [2]int{rng.IntN(n), rng.IntN(n)})
		}
	case 2: // a cycle with chords
		for i := range n {
			pairs = append(pairs, [2]int{i, (i + 1) % n})
		}
		for range n / 3 {
			pairs = append(pairs, [2]int{rng.IntN(n), rng.IntN(n)})
		}
	default: // dense
		for range 3 * n {
			pairs = append(pairs, [2]int{rng.IntN(n), rng.IntN(n)})
		}
	}
	seen := map[graph.RelKey]bool{}
	for _, p := range pairs {
		if p[0] == p[1] {
			continue
		}
		// One to three parallel claims between the pair.
		for range 1 + rng.IntN(3)*rng.IntN(2) {
			r := graph.Relationship{From: ids[p[0]], Type: randomTypes[rng.IntN(len(randomTypes))], To: ids[p[1]],
				Confidence: graph.Confidence(graph.ConfidenceNames()[rng.IntN(4)]),
				Sources:    []string{ds.Sources[rng.IntN(3)].ID}}
			if seen[r.Key()] {
				continue
			}
			seen[r.Key()] = true
			r.Start = randomDates[rng.IntN(len(randomDates))]
			if r.Start != "" && rng.IntN(2) == 0 {
				r.End = "2020"
			}
			if rng.IntN(3) == 0 {
				r.Sources = append(r.Sources, ds.Sources[rng.IntN(3)].ID)
			}
			if r.Type == "ATTACKED" || r.Type == "TARGETED" {
				for _, id := range ids {
					if rng.IntN(4) == 0 && id != r.From && id != r.To {
						r.Via = append(r.Via, id)
					}
				}
			}
			ds.Relationships = append(ds.Relationships, r)
		}
	}
	ds.Normalize()
	return ds
}

// randomQuery picks a query of a random kind with random parameters.
func randomQuery(rng *rand.Rand, ds *graph.Dataset) (string, func(context.Context, store.Store) (any, error)) {
	pick := func() graph.Entity { return ds.Entities[rng.IntN(len(ds.Entities))] }
	filter := func() graph.Filter {
		var f graph.Filter
		if rng.IntN(3) == 0 {
			f.MinConfidence = graph.Confidence(graph.ConfidenceNames()[rng.IntN(4)])
		}
		if rng.IntN(4) == 0 {
			years := []string{"", "2015", "2016", "2016-05", "2017", "2019"}
			from, to := years[rng.IntN(len(years))], years[rng.IntN(len(years))]
			if from != "" && to != "" && from > to {
				from, to = to, from
			}
			f.Period = graph.Period{From: from, To: to, DatedOnly: rng.IntN(3) == 0}
		}
		if rng.IntN(6) == 0 {
			f.Avoid = []string{pick().ID}
		}
		if rng.IntN(4) == 0 {
			f.Types = []string{randomTypes[rng.IntN(len(randomTypes))], randomTypes[rng.IntN(len(randomTypes))]}
			slices.Sort(f.Types)
			f.Types = slices.Compact(f.Types)
		}
		return f
	}
	switch k := rng.IntN(9); k {
	case 0, 1, 2:
		a, b := pick(), pick()
		o := graph.PathOptions{MaxHops: 1 + rng.IntN(6), Directed: rng.IntN(3) == 0, Limit: rng.IntN(3) * rng.IntN(4), Filter: filter()}
		r := queries.Ranking{AllShortest: rng.IntN(3) == 0, Search: graph.PathSearch{Longer: rng.IntN(3)}}
		if rng.IntN(4) == 0 {
			r.Search.Via = []string{pick().ID}
		}
		if c := pick(); rng.IntN(4) == 0 && c.ID != a.ID && c.ID != b.ID {
			r.Search.Avoid = []string{c.ID}
		}
		return fmt.Sprintf("path %s %s %+v %+v", a.ID, b.ID, o, r), func(ctx context.Context, s store.Store) (any, error) {
			return queries.Path(ctx, s, a.ID, b.ID, o, r)
		}
	case 3, 4:
		v := pick()
		for _, e := range ds.Entities {
			if e.Kind == graph.KindVictim && rng.IntN(2) == 0 {
				v = e
			}
		}
		o := graph.ChainOptions{MaxHops: 1 + rng.IntN(graph.MaxChainHops), Limit: rng.IntN(3), Filter: filter()}
		return fmt.Sprintf("attribution %s %+v", v.ID, o), func(ctx context.Context, s store.Store) (any, error) {
			return queries.Attribution(ctx, s, v.ID, o)
		}
	case 5:
		e, depth, f, limit := pick(), 1+rng.IntN(3), filter(), rng.IntN(3)*rng.IntN(4)
		return fmt.Sprintf("neighbors %s %d %+v limit %d", e.ID, depth, f, limit), func(ctx context.Context, s store.Store) (any, error) {
			return queries.Neighbors(ctx, s, e.ID, depth, f, limit)
		}
	case 6:
		e := pick()
		return "show " + e.ID, func(ctx context.Context, s store.Store) (any, error) {
			ent, g, err := queries.Show(ctx, s, strings.ToUpper(e.Name))
			return map[string]any{"entity": ent, "graph": g}, err
		}
	case 7:
		text, limit := []string{"e0", "entity", "Victim", "1", "zz"}[rng.IntN(5)], 1+rng.IntN(20)
		return fmt.Sprintf("search %q %d", text, limit), func(ctx context.Context, s store.Store) (any, error) {
			return s.Search(ctx, text, limit)
		}
	default:
		alias, kind := fmt.Sprintf("e%d", rng.IntN(5)), randomKinds[rng.IntN(len(randomKinds))]
		return "lookup, list, stats", func(ctx context.Context, s store.Store) (any, error) {
			found, err := s.Lookup(ctx, alias)
			if err != nil {
				return nil, err
			}
			list, err := s.List(ctx, kind)
			if err != nil {
				return nil, err
			}
			st, err := s.Stats(ctx)
			return map[string]any{"lookup": found, "list": list, "stats": st}, err
		}
	}
}
