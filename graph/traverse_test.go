package graph

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// mem is a Traverser over an in-memory dataset.
type mem struct {
	kinds map[string]Kind
	rels  []Relationship
	calls int
}

func (m *mem) Expand(_ context.Context, ids []string, dir Direction, f Filter) ([]Relationship, error) {
	m.calls++
	set := map[string]bool{}
	for _, id := range ids {
		set[id] = true
	}
	var out []Relationship
	for _, r := range m.rels {
		if !f.Allows(r) {
			continue
		}
		if (dir != In && set[r.From]) || (dir != Out && set[r.To]) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (m *mem) Steps(ctx context.Context, ids []string, dir Direction, f Filter) ([]Step, error) {
	rels, err := m.Expand(ctx, ids, dir, f)
	return StepsOf(rels), err
}

func (m *mem) Kinds(_ context.Context, ids []string) (map[string]Kind, error) {
	out := map[string]Kind{}
	for _, id := range ids {
		if k, ok := m.kinds[id]; ok {
			out[id] = k
		}
	}
	return out, nil
}

// g builds a graph from "from TYPE to conf" lines and "id kind" lines.
func g(kinds string, rels ...string) *mem {
	m := &mem{kinds: map[string]Kind{}}
	for _, kv := range strings.Fields(kinds) {
		id, k, _ := strings.Cut(kv, ":")
		m.kinds[id] = Kind(k)
	}
	for _, r := range rels {
		f := strings.Fields(r)
		rel := Relationship{From: f[0], Type: f[1], To: f[2], Confidence: Confidence(f[3])}
		if len(f) > 4 {
			// "via=a,b": the attack went through a and b.
			rel.Via = strings.Split(strings.TrimPrefix(f[4], "via="), ",")
		}
		m.rels = append(m.rels, rel)
	}
	return m
}

func pathStrings(ps []Path) []string {
	var out []string
	for _, p := range ps {
		var b strings.Builder
		b.WriteString(p.Nodes[0])
		for i, s := range p.Rels {
			if s.From == p.Nodes[i] {
				b.WriteString(" -" + s.Type + "-> ")
			} else {
				b.WriteString(" <-" + s.Type + "- ")
			}
			b.WriteString(p.Nodes[i+1])
		}
		out = append(out, b.String())
	}
	return out
}

var tick = g("pla:organization unit:unit member:person student:person tick:group srv:server fake:identity jaxa:victim mpd:organization ccp:organization eng:person mel:victim engsrv:server",
	"pla DIRECTED tick alleged",
	"unit PART_OF pla reported",
	"member MEMBER_OF unit alleged",
	"member INSTRUCTED student alleged",
	"student RENTED srv alleged",
	"student USED_IDENTITY fake alleged",
	"tick PURCHASED fake alleged",
	"tick USED srv alleged",
	"tick ATTACKED jaxa alleged via=srv,fake,engsrv",
	"tick ATTACKED mel suspected",
	"eng RENTED engsrv alleged",
	"tick USED engsrv alleged",
	"mpd INVESTIGATED tick reported",
	"eng MEMBER_OF ccp reported",
	"eng PASSED_CREDENTIALS_TO tick alleged",
	"pla ATTACKED jaxa suspected",
)

func TestShortestPaths(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name     string
		from, to string
		o        PathOptions
		want     []string
	}{
		{"direct wins", "pla", "jaxa", PathOptions{MaxHops: 6}, []string{"pla -ATTACKED-> jaxa"}},
		{"min confidence drops the suspected edge", "pla", "jaxa", PathOptions{MaxHops: 6, Filter: Filter{MinConfidence: Alleged}},
			[]string{"pla -DIRECTED-> tick -ATTACKED-> jaxa"}},
		{"ties in id order, either direction", "student", "tick", PathOptions{MaxHops: 6},
			[]string{"student -USED_IDENTITY-> fake <-PURCHASED- tick", "student -RENTED-> srv <-USED- tick"}},
		{"directed finds none against the arrows", "jaxa", "pla", PathOptions{MaxHops: 6, Directed: true}, nil},
		{"directed follows arrows", "member", "jaxa", PathOptions{MaxHops: 6, Directed: true},
			[]string{"member -MEMBER_OF-> unit -PART_OF-> pla -ATTACKED-> jaxa"}},
		{"max hops", "member", "jaxa", PathOptions{MaxHops: 2}, nil},
		{"max hops enough", "member", "jaxa", PathOptions{MaxHops: 3},
			[]string{"member -MEMBER_OF-> unit -PART_OF-> pla -ATTACKED-> jaxa"}},
		{"rel filter", "unit", "jaxa", PathOptions{MaxHops: 6, Filter: Filter{Types: []string{"PART_OF", "DIRECTED", "ATTACKED"}, MinConfidence: Alleged}},
			[]string{"unit -PART_OF-> pla -DIRECTED-> tick -ATTACKED-> jaxa"}},
		{"limit", "student", "tick", PathOptions{MaxHops: 6, Limit: 1}, []string{"student -USED_IDENTITY-> fake <-PURCHASED- tick"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ShortestPaths(ctx, tick, c.from, c.to, c.o)
			if err != nil {
				t.Fatal(err)
			}
			if gs := pathStrings(got); !reflect.DeepEqual(gs, c.want) {
				t.Errorf("got %q, want %q", gs, c.want)
			}
		})
	}
	if _, err := ShortestPaths(ctx, tick, "pla", "pla", PathOptions{MaxHops: 2}); err == nil {
		t.Error("same start and end: want an error")
	}
}

func TestShortestPathsParallelEdges(t *testing.T) {
	m := g("a:group b:victim", "a ATTACKED b alleged", "a TARGETED b reported")
	got, err := ShortestPaths(context.Background(), m, "a", "b", PathOptions{MaxHops: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a -ATTACKED-> b", "a -TARGETED-> b"}
	if gs := pathStrings(got); !reflect.DeepEqual(gs, want) {
		t.Errorf("got %q, want %q", gs, want)
	}
}

func TestNeighborhood(t *testing.T) {
	nodes, rels, err := Neighborhood(context.Background(), tick, "srv", 1, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"srv", "student", "tick"}; !reflect.DeepEqual(nodes, want) {
		t.Errorf("nodes %v, want %v", nodes, want)
	}
	if len(rels) != 2 {
		t.Errorf("depth 1 around srv: %d relationships, want 2 (RENTED, USED)", len(rels))
	}
	nodes, rels, _ = Neighborhood(context.Background(), tick, "srv", 2, Filter{})
	if len(nodes) != 11 {
		t.Errorf("depth 2 around srv: %d nodes %v, want 11", len(nodes), nodes)
	}
	// The induced edge between student and fake's buyer: all edges among
	// the nodes are kept, including those between two depth-2 nodes.
	found := false
	for _, r := range rels {
		if r.Key() == (RelKey{"pla", "DIRECTED", "tick"}) {
			found = true
		}
	}
	if !found {
		t.Errorf("depth 2 around srv lacks pla-DIRECTED->tick: %v", rels)
	}
}

func TestAttribution(t *testing.T) {
	got, err := Attribution(context.Background(), tick, "jaxa", ChainOptions{MaxHops: 8})
	if err != nil {
		t.Fatal(err)
	}
	// The party the engineer belongs to is context, not responsibility:
	// no chain through ccp, though the engineer's server is on the attack.
	want := []string{
		"pla -ATTACKED-> jaxa",
		"pla -DIRECTED-> tick -ATTACKED-> jaxa",
		"pla <-PART_OF- unit <-MEMBER_OF- member -INSTRUCTED-> student -USED_IDENTITY-> fake <-PURCHASED- tick -ATTACKED-> jaxa",
		"pla <-PART_OF- unit <-MEMBER_OF- member -INSTRUCTED-> student -RENTED-> srv <-USED- tick -ATTACKED-> jaxa",
	}
	if gs := pathStrings(got); !reflect.DeepEqual(gs, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(gs, "\n"), strings.Join(want, "\n"))
	}
	// The investigating police never appear on a chain.
	for _, p := range got {
		for _, n := range p.Nodes {
			if n == "mpd" {
				t.Errorf("chain through the investigators: %v", p.Nodes)
			}
		}
	}
	// An attack no source ties to the servers and the fake ID: only the
	// command chain.
	got, _ = Attribution(context.Background(), tick, "mel", ChainOptions{MaxHops: 8})
	if gs, want := pathStrings(got), []string{"pla -DIRECTED-> tick -ATTACKED-> mel"}; !reflect.DeepEqual(gs, want) {
		t.Errorf("mel: got %v, want %v", gs, want)
	}
	got, _ = Attribution(context.Background(), tick, "jaxa", ChainOptions{MaxHops: 8, Filter: Filter{MinConfidence: Reported}})
	if len(got) != 0 {
		t.Errorf("min confidence reported: %d chains, want none", len(got))
	}
	got, _ = Attribution(context.Background(), tick, "jaxa", ChainOptions{MaxHops: 2})
	if len(got) != 2 {
		t.Errorf("max hops 2: %d chains, want 2", len(got))
	}
}

// TestAttributionVocabulary: the words of indictments carry
// responsibility — ATTRIBUTED_TO, AFFILIATED_WITH, COMMANDED, SPONSORED —
// and membership only of a unit or a group does.
func TestAttributionVocabulary(t *testing.T) {
	cases := []struct {
		name string
		g    *mem
		want []string
	}{
		{"attributed to", g("apt10:group mss:organization v:victim",
			"apt10 ATTRIBUTED_TO mss alleged", "apt10 ATTACKED v alleged"),
			[]string{"mss <-ATTRIBUTED_TO- apt10 -ATTACKED-> v"}},
		{"affiliated with", g("co:organization p:person v:victim",
			"p AFFILIATED_WITH co alleged", "p ATTACKED v alleged"),
			[]string{"co <-AFFILIATED_WITH- p -ATTACKED-> v"}},
		{"commanded", g("gru:organization u:unit v:victim",
			"gru COMMANDED u reported", "u ATTACKED v alleged"),
			[]string{"gru -COMMANDED-> u -ATTACKED-> v"}},
		{"member of a group", g("o:organization grp:group p:person v:victim",
			"o SPONSORED grp alleged", "p MEMBER_OF grp alleged", "p ATTACKED v alleged"),
			[]string{"o -SPONSORED-> grp <-MEMBER_OF- p -ATTACKED-> v"}},
		{"member of a party", g("party:organization p:person v:victim",
			"p MEMBER_OF party reported", "p ATTACKED v alleged"),
			nil},
		{"evidence outside via", g("o:organization p:person s:server g:group v:victim",
			"o DIRECTED p alleged", "p RENTED s alleged", "g USED s alleged", "g ATTACKED v alleged"),
			nil},
		{"evidence in via", g("o:organization p:person s:server g:group v:victim",
			"o DIRECTED p alleged", "p RENTED s alleged", "g USED s alleged", "g ATTACKED v alleged via=s"),
			[]string{"o -DIRECTED-> p -RENTED-> s <-USED- g -ATTACKED-> v"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Attribution(context.Background(), c.g, "v", ChainOptions{MaxHops: 8})
			if err != nil {
				t.Fatal(err)
			}
			if gs := pathStrings(got); !reflect.DeepEqual(gs, c.want) {
				t.Errorf("got %v, want %v", gs, c.want)
			}
		})
	}
}

func TestFilterAllows(t *testing.T) {
	r := Relationship{Type: "ATTACKED", Confidence: Alleged}
	cases := []struct {
		f    Filter
		want bool
	}{
		{Filter{}, true},
		{Filter{MinConfidence: Alleged}, true},
		{Filter{MinConfidence: Reported}, false},
		{Filter{Types: []string{"ATTACKED"}}, true},
		{Filter{Types: []string{"USED"}}, false},
	}
	for _, c := range cases {
		if got := c.f.Allows(r); got != c.want {
			t.Errorf("%+v.Allows = %v, want %v", c.f, got, c.want)
		}
	}
}

// TestShortestPathsBruteForce compares the bidirectional search with
// enumerating every simple path, on random graphs with parallel
// relationships, both undirected and directed.
// randomMem is a random graph of n nodes n0…n(n-1) with parallel
// relationships of three types.
func randomMem(rng *rand.Rand, n int) *mem {
	types := []string{"A", "B", "C"}
	m := &mem{kinds: map[string]Kind{}}
	seen := map[RelKey]bool{}
	for range n + rng.IntN(3*n) {
		r := Relationship{From: fmt.Sprintf("n%d", rng.IntN(n)), Type: types[rng.IntN(3)], To: fmt.Sprintf("n%d", rng.IntN(n))}
		if r.From != r.To && !seen[r.Key()] {
			seen[r.Key()] = true
			m.rels = append(m.rels, r)
		}
	}
	return m
}

// allSimplePaths enumerates, depth first, every simple path from → to of
// at most maxHops hops: the brute force the searches are checked against.
func allSimplePaths(m *mem, from, to string, maxHops int, directed bool) []Path {
	var all []Path
	var dfs func(node string, nodes []string, steps []Step)
	dfs = func(node string, nodes []string, steps []Step) {
		if node == to {
			all = append(all, Path{Nodes: slices.Clone(nodes), Rels: slices.Clone(steps)})
			return
		}
		if len(steps) == maxHops {
			return
		}
		for _, r := range m.rels {
			next := ""
			switch {
			case r.From == node:
				next = r.To
			case r.To == node && !directed:
				next = r.From
			default:
				continue
			}
			if slices.Contains(nodes, next) {
				continue
			}
			dfs(next, append(nodes, next), append(steps, r.Step()))
		}
	}
	dfs(from, []string{from}, nil)
	return all
}

// shortestOf is the length of the shortest of paths (0 for none).
func shortestOf(paths []Path) int {
	shortest := 0
	for _, p := range paths {
		if shortest == 0 || p.Len() < shortest {
			shortest = p.Len()
		}
	}
	return shortest
}

func TestShortestPathsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	withPaths := 0
	defer func() {
		if withPaths < 30 {
			t.Errorf("only %d searches found paths: the graphs are too sparse to test anything", withPaths)
		}
	}()
	for round := range 60 {
		n := 6 + rng.IntN(20)
		m := randomMem(rng, n)
		for _, directed := range []bool{false, true} {
			from, to := fmt.Sprintf("n%d", rng.IntN(n)), fmt.Sprintf("n%d", rng.IntN(n))
			if from == to {
				continue
			}
			o := PathOptions{MaxHops: 4, Directed: directed}
			got, err := ShortestPaths(context.Background(), m, from, to, o)
			if err != nil {
				t.Fatal(err)
			}
			all := allSimplePaths(m, from, to, o.MaxHops, directed)
			shortest := shortestOf(all)
			var want []Path
			for _, p := range all {
				if p.Len() == shortest {
					want = append(want, p)
				}
			}
			if len(want) > 0 {
				withPaths++
			}
			if g, w := pathStrings(SortPaths(got)), pathStrings(SortPaths(want)); !reflect.DeepEqual(g, w) {
				t.Fatalf("round %d directed=%v %s→%s:\n got %v\nwant %v", round, directed, from, to, g, w)
			}
		}
	}
}
