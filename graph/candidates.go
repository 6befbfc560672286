package graph

import (
	"context"
)

// PathSearch bounds the search for the candidates of a ranked path
// answer.
type PathSearch struct {
	// Longer admits paths up to this many hops longer than the shortest.
	Longer int
	// Via lists entities every path must go through; Avoid, entities no
	// path may touch.
	Via, Avoid []string
	// MaxNodes bounds the nodes the backward search labels, MaxPaths
	// the partial paths held at once and MaxSteps the relationships the
	// search reads in all: past any, the search stops and says so rather
	// than run without end at a hub.
	MaxNodes, MaxPaths, MaxSteps int
}

// Search budgets: enough for a case file of thousands of claims, small
// enough to answer in well under a second where hubs of thousands meet.
const (
	DefaultLonger   = 2
	DefaultMaxNodes = 20_000
	DefaultMaxPaths = 20_000
	// DefaultMaxSteps: a search that would read more relationships than
	// this crosses hubs of tens of thousands; reading them whole cost
	// most of a path query at a million relationships, only to stop at
	// MaxNodes after.
	DefaultMaxSteps = 50_000
)

// stepLimiter is a Traverser that stops reading a frontier's steps past
// a limit (both stores are): a search at its budget then reads no more
// than the budget. Without it, all the steps are read and counted, which
// decides the same.
type stepLimiter interface {
	// StepsUpTo is Steps, or more=true and any limit+1 of the steps when
	// there are more than limit.
	StepsUpTo(ctx context.Context, ids []string, dir Direction, f Filter, limit int) (steps []Step, more bool, err error)
}

// budgetSteps reads steps within what is left of a budget: more is true
// when the frontier has more steps than left.
func budgetSteps(ctx context.Context, t Traverser, ids []string, dir Direction, f Filter, left int) ([]Step, bool, error) {
	if left < 0 {
		return nil, true, nil
	}
	if l, ok := t.(stepLimiter); ok {
		return l.StepsUpTo(ctx, ids, dir, f, left)
	}
	st, err := t.Steps(ctx, ids, dir, f)
	return st, len(st) > left, err
}

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
	stepsLeft := cmpOr(s.MaxSteps, DefaultMaxSteps)
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
		rels, over, err := budgetSteps(ctx, t, frontier, back, o.Filter, stepsLeft)
		if err != nil || over {
			return nil, false, err
		}
		stepsLeft -= len(rels)
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
	// Partial paths are a tree: each holds its last node and step and
	// its parent's index, so extending one copies nothing.
	type partial struct {
		parent int32
		node   string
		step   *Step // into the level's steps
	}
	tree := []partial{{parent: -1, node: from}}
	onPath := func(i int32, w string) bool {
		for ; i >= 0; i = tree[i].parent {
			if tree[i].node == w {
				return true
			}
		}
		return false
	}
	pathTo := func(i int32, hops int) Path {
		p := Path{Nodes: make([]string, hops+1), Rels: make([]Step, hops)}
		for k := hops; i >= 0; i, k = tree[i].parent, k-1 {
			p.Nodes[k] = tree[i].node
			if k > 0 {
				p.Rels[k-1] = *tree[i].step
			}
		}
		return p
	}
	parts := []int32{0}
	for hops := 1; hops <= bound && len(parts) > 0; hops++ {
		heads := map[string]bool{}
		for _, p := range parts {
			heads[tree[p].node] = true
		}
		rels, over, err := budgetSteps(ctx, t, SortedKeys(heads), fwd, o.Filter, stepsLeft)
		if err != nil {
			return nil, false, err
		}
		if over {
			return SortPaths(paths), false, nil
		}
		stepsLeft -= len(rels)
		out := map[string][]int32{} // head → its steps, as indices into rels
		for i, r := range rels {
			if r.From == r.To {
				continue
			}
			if heads[r.From] && (fwd == Out || fwd == Both) {
				out[r.From] = append(out[r.From], int32(i))
			}
			if heads[r.To] && fwd == Both {
				out[r.To] = append(out[r.To], int32(i))
			}
		}
		var next []int32
		for _, p := range parts {
			head := tree[p].node
			for _, si := range out[head] {
				st := &rels[si]
				w := st.To
				if st.To == head {
					w = st.From
				}
				d, ok := dist[w]
				if !ok || hops+d > bound || avoid[w] || onPath(p, w) {
					continue
				}
				tree = append(tree, partial{parent: p, node: w, step: st})
				if w == to {
					if path := pathTo(int32(len(tree)-1), hops); path.Through(s.Via) {
						paths = append(paths, path)
					}
					continue
				}
				next = append(next, int32(len(tree)-1))
				if len(next) > maxPaths {
					// Stop here, not after the level: at hubs a level
					// holds millions of partial paths.
					return SortPaths(paths), false, nil
				}
			}
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
