package graph

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestCandidatePathsBruteForce: on random graphs the candidates are
// exactly the simple paths of at most shortest+Longer hops (and at most
// MaxHops) that a depth-first enumeration of every path finds, with via
// and avoid applied, directed and not.
func TestCandidatePathsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	compared := 0
	for round := range 120 {
		n := 5 + rng.IntN(12)
		m := randomMem(rng, n)
		for _, directed := range []bool{false, true} {
			from, to := fmt.Sprintf("n%d", rng.IntN(n)), fmt.Sprintf("n%d", rng.IntN(n))
			if from == to {
				continue
			}
			o := PathOptions{MaxHops: 2 + rng.IntN(4), Directed: directed}
			s := PathSearch{Longer: rng.IntN(3)}
			if rng.IntN(3) == 0 {
				s.Via = []string{fmt.Sprintf("n%d", rng.IntN(n))}
			}
			if rng.IntN(3) == 0 {
				if a := fmt.Sprintf("n%d", rng.IntN(n)); a != from && a != to {
					s.Avoid = []string{a}
				}
			}
			all := allSimplePaths(m, from, to, o.MaxHops, directed)
			shortest := shortestOf(all)
			if shortest == 0 {
				continue
			}
			var want []Path
			for _, p := range all {
				if p.Len() <= min(o.MaxHops, shortest+s.Longer) && p.Through(s.Via) && !p.Touches(s.Avoid) {
					want = append(want, p)
				}
			}
			want = SortPaths(want)
			got, complete, err := CandidatePaths(context.Background(), m, from, to, shortest, o, s)
			if err != nil || !complete {
				t.Fatalf("round %d: %v (complete %v)", round, err, complete)
			}
			if len(got) == 0 && len(want) == 0 {
				continue
			}
			compared++
			if !reflect.DeepEqual(pathStrings(got), pathStrings(want)) {
				t.Errorf("round %d %s→%s %+v %+v:\ngot  %v\nwant %v", round, from, to, o, s, pathStrings(got), pathStrings(want))
			}
		}
	}
	if compared < 60 {
		t.Errorf("only %d searches compared: the graphs are too sparse to test anything", compared)
	}
}

// TestRankedUnitToJAXA: on the Tick case's shape, the route the reporting
// describes (a member of the unit instructs the student, whose fake ID
// Tick bought) ranks before the path that climbs to the PLA and comes
// down again.
func TestRankedUnitToJAXA(t *testing.T) {
	g := g("pla:organization unit:unit member:person student:person tick:group fake:identity jaxa:victim mpd:organization",
		"mpd INVESTIGATED student reported",
		"mpd INVESTIGATED tick reported",
		"unit PART_OF pla reported",
		"pla DIRECTED tick alleged",
		"tick ATTACKED jaxa alleged",
		"member MEMBER_OF unit alleged",
		"member INSTRUCTED student alleged",
		"student USED_IDENTITY fake alleged",
		"tick PURCHASED fake alleged",
	)
	o := PathOptions{MaxHops: 6}
	got, complete, err := CandidatePaths(context.Background(), g, "unit", "jaxa", 3, o, PathSearch{Longer: DefaultLonger})
	if err != nil || !complete {
		t.Fatal(err)
	}
	rels := map[RelKey]Relationship{}
	for _, r := range g.rels {
		rels[r.Key()] = r
	}
	ranked, creds := Rank(got, rels)
	want := "unit <-MEMBER_OF- member -INSTRUCTED-> student -USED_IDENTITY-> fake <-PURCHASED- tick -ATTACKED-> jaxa"
	if s := pathStrings(ranked[:1]); s[0] != want {
		t.Errorf("first path %s, want %s (all: %v)", s[0], want, pathStrings(ranked))
	}
	for i, c := range creds[1:] {
		if c.Detour == "" {
			t.Errorf("path %d has no detour but ranks after the direct route: %v %v", i+2, pathStrings(ranked), creds)
		}
	}
}

// TestCandidatePathsBudgets: the search says it is incomplete exactly when
// a budget is too small for what it must read or hold, whether or not the
// traverser can stop reading early (a Mem cannot; boundedMem can), and
// with budgets to spare finds what it finds without them.
func TestCandidatePathsBudgets(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for round := range 60 {
		n := 8 + rng.IntN(10)
		m := randomMem(rng, n)
		from, to := "n0", fmt.Sprintf("n%d", 1+rng.IntN(n-1))
		o := PathOptions{MaxHops: 5}
		all := allSimplePaths(m, from, to, o.MaxHops, false)
		shortest := shortestOf(all)
		if shortest == 0 {
			continue
		}
		free, complete, err := CandidatePaths(context.Background(), m, from, to, shortest, o, PathSearch{Longer: 2})
		if err != nil || !complete {
			t.Fatalf("round %d: %v (complete %v)", round, err, complete)
		}
		for _, budget := range []PathSearch{{Longer: 2, MaxSteps: 1}, {Longer: 2, MaxPaths: 1}, {Longer: 2, MaxSteps: 1 << 30, MaxPaths: 1 << 30}} {
			for _, tr := range []Traverser{m, boundedMem{m}} {
				got, complete, err := CandidatePaths(context.Background(), tr, from, to, shortest, o, budget)
				if err != nil {
					t.Fatal(err)
				}
				if budget.MaxSteps == 1<<30 {
					if !complete || !reflect.DeepEqual(pathStrings(got), pathStrings(free)) {
						t.Fatalf("round %d, %T, budgets to spare: complete %v, %d paths, want %d", round, tr, complete, len(got), len(free))
					}
					continue
				}
				if budget.MaxSteps == 1 && complete {
					t.Fatalf("round %d, %T: a search of one step's budget says it is complete", round, tr)
				}
			}
		}
	}
}

// boundedMem is a Mem that can stop reading past a limit (stepLimiter).
type boundedMem struct{ Traverser }

func (b boundedMem) StepsUpTo(ctx context.Context, ids []string, dir Direction, f Filter, limit int) ([]Step, bool, error) {
	st, err := b.Steps(ctx, ids, dir, f)
	if len(st) > limit {
		return st[:limit+1], true, err
	}
	return st, false, err
}
