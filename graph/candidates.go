package graph

import (
	"context"
	"slices"
)

// PathSearch bounds the search for the candidates of a ranked path
// answer.
type PathSearch struct {
	// Longer admits paths up to this many hops longer than the shortest.
	Longer int
	// Via lists entities every path must go through; Avoid, entities no
	// path may touch.
	Via, Avoid []string
	// MaxNodes bounds the nodes the backward search labels and MaxPaths
	// the partial paths held at once: past either, the search stops and
	// says so rather than run without end at a hub.
	MaxNodes, MaxPaths int
}

// Search budgets: enough for a case file of thousands of claims, small
// enough to answer in well under a second where hubs of thousands meet.
const (
	DefaultLonger   = 2
	DefaultMaxNodes = 20_000
	DefaultMaxPaths = 20_000
)

// CandidatePaths returns every simple path from → to of at most
// min(o.MaxHops, shortest+s.Longer) hops whose relationships pass o's
// filter and direction, that touches no entity of s.Avoid and goes
// through every entity of s.Via, sorted with ComparePaths. complete is
// false when a budget stopped the search: the paths found are then not
// all there are.
//
// It labels every node with its distance to `to` (a breadth-first search
// backwards from `to`), then extends paths from `from` level by level,
// keeping an extension only when the hops so far plus the new node's
// distance to `to` fit the bound: no partial path that cannot end in
// time is ever held.
func CandidatePaths(ctx context.Context, t Traverser, from, to string, shortest int, o PathOptions, s PathSearch) (paths []Path, complete bool, err error) {
	bound := min(o.MaxHops, shortest+s.Longer)
	maxNodes, maxPaths := cmpOr(s.MaxNodes, DefaultMaxNodes), cmpOr(s.MaxPaths, DefaultMaxPaths)
	fwd, back := Both, Both
	if o.Directed {
		fwd, back = Out, In
	}
	avoid := map[string]bool{}
	for _, a := range s.Avoid {
		avoid[a] = true
	}
	// Distance of every node to `to`, up to the bound.
	dist := map[string]int{to: 0}
	frontier := []string{to}
	for level := 1; level <= bound && len(frontier) > 0; level++ {
		rels, err := t.Steps(ctx, frontier, back, o.Filter)
		if err != nil {
			return nil, false, err
		}
		var next []string
		at := make(map[string]bool, len(frontier))
		for _, v := range frontier {
			at[v] = true
		}
		for _, r := range rels {
			for _, w := range stepsFrom(r, back, at) {
				if _, seen := dist[w]; !seen && !avoid[w] {
					dist[w] = level
					next = append(next, w)
				}
			}
		}
		if len(dist) > maxNodes {
			return nil, false, nil
		}
		frontier = next
	}
	if _, ok := dist[from]; !ok {
		return nil, true, nil
	}
	type partial struct {
		nodes []string
		steps []Step
	}
	parts := []partial{{nodes: []string{from}}}
	for hops := 1; hops <= bound && len(parts) > 0; hops++ {
		heads := map[string]bool{}
		for _, p := range parts {
			heads[p.nodes[len(p.nodes)-1]] = true
		}
		rels, err := t.Steps(ctx, SortedKeys(heads), fwd, o.Filter)
		if err != nil {
			return nil, false, err
		}
		out := map[string][]Step{} // head → its steps
		for _, r := range rels {
			if r.From == r.To {
				continue
			}
			if heads[r.From] && (fwd == Out || fwd == Both) {
				out[r.From] = append(out[r.From], r)
			}
			if heads[r.To] && fwd == Both {
				out[r.To] = append(out[r.To], r)
			}
		}
		var next []partial
		for _, p := range parts {
			head := p.nodes[len(p.nodes)-1]
			for _, st := range out[head] {
				w := st.To
				if st.To == head {
					w = st.From
				}
				d, ok := dist[w]
				if !ok || hops+d > bound || avoid[w] || slices.Contains(p.nodes, w) {
					continue
				}
				np := partial{
					nodes: append(append([]string(nil), p.nodes...), w),
					steps: append(append([]Step(nil), p.steps...), st),
				}
				if w == to {
					if p := (Path{Nodes: np.nodes, Rels: np.steps}); p.Through(s.Via) {
						paths = append(paths, p)
					}
					continue
				}
				next = append(next, np)
			}
		}
		if len(next) > maxPaths {
			return SortPaths(paths), false, nil
		}
		parts = next
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
	}
	return SortPaths(paths), true, nil
}

// stepsFrom lists the nodes a step reaches from any of the nodes of at,
// walking in dir (In: against the stored direction).
func stepsFrom(r Step, dir Direction, at map[string]bool) []string {
	var out []string
	if (dir == Out || dir == Both) && at[r.From] && r.To != r.From {
		out = append(out, r.To)
	}
	if (dir == In || dir == Both) && at[r.To] && r.To != r.From {
		out = append(out, r.From)
	}
	return out
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
