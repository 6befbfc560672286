package graph

import (
	"context"
	"fmt"
	"slices"
	"sort"
)

// Direction says which relationships a traversal follows from a node.
type Direction int

// The directions of a traversal step.
const (
	Both Direction = iota // outgoing and incoming
	Out                   // only From → To
	In                    // only To ← From
)

// Filter restricts which relationships a traversal may walk.
type Filter struct {
	Types         []string   // empty: every type
	MinConfidence Confidence // empty: every level
	// Period limits the claims by their dates, and Avoid lists entities
	// no relationship may touch. The stores' own queries read neither: a
	// traversal that sets them runs over InGo(store).
	Period Period
	Avoid  []string
}

// InGo reports whether the filter has parts only Go applies (InGo).
func (f Filter) InGo() bool { return !f.Period.IsZero() || len(f.Avoid) > 0 }

// Allows reports whether the relationship passes the filter.
func (f Filter) Allows(r Relationship) bool {
	if f.MinConfidence != "" && r.Confidence.Rank() < f.MinConfidence.Rank() {
		return false
	}
	if !f.Period.Admits(r) || slices.Contains(f.Avoid, r.From) || slices.Contains(f.Avoid, r.To) {
		return false
	}
	if len(f.Types) == 0 {
		return true
	}
	for _, t := range f.Types {
		if t == r.Type {
			return true
		}
	}
	return false
}

// Traverser is what the traversals need from a store: relationships around
// a frontier of nodes, and the kinds of nodes. Stores answer both with
// indexed lookups, so a traversal touches only the part of the graph it
// walks.
type Traverser interface {
	// Expand returns each relationship that touches one of ids in the
	// direction given and passes f, once, in any order.
	Expand(ctx context.Context, ids []string, dir Direction, f Filter) ([]Relationship, error)
	// Steps is Expand without the relationships' content, only their
	// keys: all a search needs. Decoding every relationship of the hubs
	// a search crosses, whole, cost most of a path query.
	Steps(ctx context.Context, ids []string, dir Direction, f Filter) ([]Step, error)
	// Kinds returns the kind of each id that exists.
	Kinds(ctx context.Context, ids []string) (map[string]Kind, error)
}

// InGo is t with the parts of a filter the stores do not read (its
// period, the entities to avoid) applied here, in Go, the one reading of
// those rules for both stores: steps come from whole relationships
// (Expand), which carry the dates.
func InGo(t Traverser) Traverser { return inGo{t} }

type inGo struct{ Traverser }

func (d inGo) Expand(ctx context.Context, ids []string, dir Direction, f Filter) ([]Relationship, error) {
	rels, err := d.Traverser.Expand(ctx, ids, dir, f)
	if err != nil || !f.InGo() {
		return rels, err
	}
	out := rels[:0]
	for _, r := range rels {
		if f.Allows(r) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (d inGo) Steps(ctx context.Context, ids []string, dir Direction, f Filter) ([]Step, error) {
	if !f.InGo() {
		return d.Traverser.Steps(ctx, ids, dir, f)
	}
	rels, err := d.Expand(ctx, ids, dir, f)
	return StepsOf(rels), err
}

// PathOptions are the knobs of a shortest-path search.
type PathOptions struct {
	MaxHops  int  // longest path considered (≥ 1)
	Directed bool // follow relationships only From → To
	Limit    int  // at most this many paths (0: all)
	Filter
}

// Limits of the path searches; the Cypher queries carry the same numbers.
const (
	MaxPathHops        = 15
	DefaultPathHops    = 6
	MaxChainHops       = 8
	DefaultNeighborHop = 1
	MaxNeighborDepth   = 6
)

// ShortestPaths finds all shortest paths from one node to another of at
// most o.MaxHops hops, sorted with ComparePaths. Nodes of a path are
// distinct; parallel relationships give distinct paths.
func ShortestPaths(ctx context.Context, t Traverser, from, to string, o PathOptions) ([]Path, error) {
	if from == to {
		return nil, fmt.Errorf("shortest paths: start and end are the same entity %q", from)
	}
	preds, found, err := meet(ctx, t, from, to, o)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, nil
	}
	var paths []Path
	var walk func(node string, nodes []string, steps []Step)
	walk = func(node string, nodes []string, steps []Step) {
		if err := ctx.Err(); err != nil {
			return
		}
		if node == from {
			p := Path{Nodes: make([]string, len(nodes)), Rels: make([]Step, len(steps))}
			for i := range nodes {
				p.Nodes[i] = nodes[len(nodes)-1-i]
			}
			for i := range steps {
				p.Rels[i] = steps[len(steps)-1-i]
			}
			paths = append(paths, p)
			return
		}
		for _, pr := range preds[node] {
			walk(pr.node, append(nodes, pr.node), append(steps, pr.step))
		}
	}
	walk(to, []string{to}, nil)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return limitPaths(SortPaths(paths), o.Limit), nil
}

// pred is one way into a node on a shortest path: the node before it and
// the relationship between them.
type pred struct {
	node string
	step Step
}

// meet runs a bidirectional breadth-first search from both ends, always
// expanding the side with the smaller frontier, and returns for every
// node on a shortest path the ways into it from the from side. Searching
// from one end only expands every hub it meets: two hops from a victim
// lie the thousands of victims of the group that attacked it.
func meet(ctx context.Context, t Traverser, from, to string, o PathOptions) (map[string][]pred, bool, error) {
	fwd, back := Both, Both
	if o.Directed {
		fwd, back = Out, In
	}
	type side struct {
		dir      Direction
		dist     map[string]int
		links    map[string][]pred // node → where it was reached from, one level nearer this side's start
		frontier []string
		level    int
	}
	a := &side{dir: fwd, dist: map[string]int{from: 0}, links: map[string][]pred{}, frontier: []string{from}}
	b := &side{dir: back, dist: map[string]int{to: 0}, links: map[string][]pred{}, frontier: []string{to}}
	var middle []string
	for a.level+b.level < o.MaxHops && len(a.frontier) > 0 && len(b.frontier) > 0 {
		x, other := a, b
		if smaller, err := cheaper(ctx, t, b.frontier, a.frontier); err != nil {
			return nil, false, err
		} else if smaller {
			x, other = b, a
		}
		rels, err := t.Steps(ctx, x.frontier, x.dir, o.Filter)
		if err != nil {
			return nil, false, err
		}
		x.level++
		var next []string
		visit := func(u, v string, r Step) {
			if du, ok := x.dist[u]; !ok || du != x.level-1 {
				return
			}
			if dv, ok := x.dist[v]; ok && dv < x.level {
				return
			}
			if _, ok := x.dist[v]; !ok {
				x.dist[v] = x.level
				next = append(next, v)
			}
			x.links[v] = append(x.links[v], pred{u, r})
		}
		for _, r := range rels {
			if r.From == r.To {
				continue
			}
			// Out walks From → To, In walks To ← From: the a side walks
			// forward (Out when directed), the b side backward (In).
			if x.dir == Out || x.dir == Both {
				visit(r.From, r.To, r)
			}
			if x.dir == In || x.dir == Both {
				visit(r.To, r.From, r)
			}
		}
		sort.Strings(next)
		x.frontier = next
		// The first level at which the sides touch fixes the length: the
		// middle nodes are the new ones nearest the other side's start.
		best := -1
		for _, v := range next {
			if d, ok := other.dist[v]; ok && (best < 0 || d < best) {
				best = d
			}
		}
		if best >= 0 {
			for _, v := range next {
				if d, ok := other.dist[v]; ok && d == best {
					middle = append(middle, v)
				}
			}
			break
		}
	}
	if len(middle) == 0 {
		return nil, false, nil
	}
	// Ways in from the a side are a's links; on the b side, a link v → w
	// (w one level nearer to) is a way into w from v, kept only for
	// nodes that lie between a middle node and to.
	preds := map[string][]pred{}
	for v, ps := range a.links {
		preds[v] = ps
	}
	useful := map[string]bool{}
	queue := append([]string(nil), middle...)
	for _, v := range middle {
		useful[v] = true
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, l := range b.links[v] {
			if !useful[l.node] {
				useful[l.node] = true
				queue = append(queue, l.node)
			}
		}
	}
	for _, v := range SortedKeys(useful) {
		for _, l := range b.links[v] {
			preds[l.node] = append(preds[l.node], pred{v, l.step})
		}
	}
	return preds, true, nil
}

// degreeCounter is a Traverser that tells cheaply how many relationships
// a frontier has (the embedded store, from memory). A search from both
// ends then expands the side that reads less: one hub of 45,000
// relationships is a frontier of one node.
type degreeCounter interface {
	Degree(ctx context.Context, ids []string) (int, error)
}

// cheaper reports whether expanding frontier x reads less than y: by
// their relationships where t can count them, else by their nodes. Either
// way the search finds the same paths; only its cost differs.
func cheaper(ctx context.Context, t Traverser, x, y []string) (bool, error) {
	d, ok := t.(degreeCounter)
	if !ok {
		return len(x) < len(y), nil
	}
	dx, err := d.Degree(ctx, x)
	if err != nil {
		return false, err
	}
	dy, err := d.Degree(ctx, y)
	return dx < dy, err
}

func limitPaths(ps []Path, limit int) []Path {
	if limit > 0 && len(ps) > limit {
		return ps[:limit]
	}
	return ps
}

// Neighborhood returns the ego network of center: every node within depth
// hops (walking relationships that pass f, in either direction) and every
// relationship that passes f between two of those nodes. Nodes come
// sorted, relationships sorted by key.
func Neighborhood(ctx context.Context, t Traverser, center string, depth int, f Filter) ([]string, []Relationship, error) {
	hops, rels, err := NeighborhoodHops(ctx, t, center, depth, f)
	if err != nil {
		return nil, nil, err
	}
	return SortedKeys(hops), rels, nil
}

// NeighborhoodHops is Neighborhood with each node's distance from the
// centre in hops (the centre 0), for answers that keep the nearest.
func NeighborhoodHops(ctx context.Context, t Traverser, center string, depth int, f Filter) (map[string]int, []Relationship, error) {
	hops := map[string]int{center: 0}
	rels := map[RelKey]Relationship{}
	frontier := []string{center}
	for level := 0; level <= depth && len(frontier) > 0; level++ {
		found, err := t.Expand(ctx, frontier, Both, f)
		if err != nil {
			return nil, nil, err
		}
		var next []string
		for _, r := range found {
			rels[r.Key()] = r
			if level == depth {
				continue // the last round only closes edges among known nodes
			}
			for _, v := range []string{r.From, r.To} {
				if _, known := hops[v]; !known {
					hops[v] = level + 1
					next = append(next, v)
				}
			}
		}
		sort.Strings(next)
		frontier = next
	}
	var out []Relationship
	for _, r := range rels {
		_, from := hops[r.From]
		_, to := hops[r.To]
		if from && to {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key().Less(out[j].Key()) })
	return hops, out, nil
}

// ChainRules say how responsibility flows along relationships in an
// attribution chain, from the organization at its head to the victim at
// its end. Both stores walk them with Attribution, in Go, so there is one
// reading of the table.
type ChainRules struct {
	// Command types carry responsibility from From to To: the PLA
	// DIRECTED Tick, a unit member INSTRUCTED the student.
	Command []string
	// Belonging types carry it from To to From: Unit 61419 PART_OF the
	// PLA (the PLA answers for its unit), APT10 ATTRIBUTED_TO the Tianjin
	// bureau.
	Belonging []string
	// Membership types carry it from To to From only when To is one of
	// MemberOf: a unit's member acts for the unit, a party's member does
	// not act for the party (party membership is context).
	Membership []string
	MemberOf   []Kind
	// EvidenceForward (From to To) and EvidenceReverse (To to From) are
	// infrastructure, identities and intermediaries: renting, using,
	// buying. They are evidence, not responsibility, and join a chain
	// only through an entity the chain's attack claim lists in Via.
	EvidenceForward []string
	EvidenceReverse []string
	// Final types join the last actor to the victim: the attack claim.
	Final []string
}

// AttributionRules is the one table of attribution chain rules.
var AttributionRules = ChainRules{
	Command:         []string{"DIRECTED", "SPONSORED", "INSTRUCTED", "COMMANDED"},
	Belonging:       []string{"PART_OF", "ATTRIBUTED_TO", "AFFILIATED_WITH"},
	Membership:      []string{"MEMBER_OF"},
	MemberOf:        []Kind{KindUnit, KindGroup},
	EvidenceForward: []string{"RENTED", "USED_IDENTITY", "PASSED_CREDENTIALS_TO", "HOSTED_ON", "FUNDED"},
	EvidenceReverse: []string{"USED", "PURCHASED"},
	Final:           []string{"ATTACKED", "TARGETED"},
}

// ChainOptions are the knobs of an attribution search.
type ChainOptions struct {
	MaxHops int
	Limit   int
	// Via keeps only the chains through these entities (names to the
	// query layer, which resolves them).
	Via []string
	Filter
}

// Attribution finds the chains that lead from an organization to the
// victim: simple paths whose last hop is a Final relationship (the attack
// claim) into the victim, whose other hops follow the command, belonging
// and membership rules, and whose evidence hops (renting, using, buying)
// each touch an entity the attack claim lists in its Via — so a server or
// fake ID joins only the attacks a source ties it to. Their head is an
// organization; no other node is a victim. Sorted with ComparePaths.
func Attribution(ctx context.Context, t Traverser, victim string, o ChainOptions) ([]Path, error) {
	rules := AttributionRules
	// A partial chain is built backwards: nodes[0] is the victim.
	type partial struct {
		nodes []string
		steps []Step
		via   []string // the attack claim's Via
	}
	var chains []Path
	emit := func(p partial) {
		c := Path{}
		for i := len(p.nodes) - 1; i >= 0; i-- {
			c.Nodes = append(c.Nodes, p.nodes[i])
		}
		for i := len(p.steps) - 1; i >= 0; i-- {
			c.Rels = append(c.Rels, p.steps[i])
		}
		chains = append(chains, c)
	}
	// The attack claims into the victim, whole: their Via is needed.
	attacks, err := t.Expand(ctx, []string{victim}, In, o.Filter)
	if err != nil {
		return nil, err
	}
	var parts []partial
	var ids []string
	for _, r := range attacks {
		if r.To == victim && r.From != victim && slices.Contains(rules.Final, r.Type) {
			parts = append(parts, partial{nodes: []string{victim, r.From}, steps: []Step{r.Step()}, via: r.Via})
			ids = append(ids, r.From)
		}
	}
	kinds, err := t.Kinds(ctx, ids)
	if err != nil {
		return nil, err
	}
	var next []partial
	for _, p := range parts {
		switch head := p.nodes[1]; kinds[head] {
		case KindVictim:
		case KindOrganization:
			emit(p)
			next = append(next, p)
		default:
			next = append(next, p)
		}
	}
	parts = next
	for hop := 2; hop <= o.MaxHops && len(parts) > 0; hop++ {
		heads := map[string]bool{}
		for _, p := range parts {
			heads[p.nodes[len(p.nodes)-1]] = true
		}
		rels, err := t.Steps(ctx, SortedKeys(heads), Both, o.Filter)
		if err != nil {
			return nil, err
		}
		// upstream[h] lists the ways one hop up from head h.
		type up struct {
			node     string
			step     Step
			evidence bool // allowed only through the attack's Via
			member   bool // allowed only into a unit or group
		}
		upstream := map[string][]up{}
		var ids []string
		add := func(head, node string, s Step, evidence, member bool) {
			upstream[head] = append(upstream[head], up{node, s, evidence, member})
			ids = append(ids, node)
		}
		for _, r := range rels {
			if r.From == r.To {
				continue
			}
			switch {
			case heads[r.To] && slices.Contains(rules.Command, r.Type):
				add(r.To, r.From, r, false, false)
			case heads[r.From] && slices.Contains(rules.Belonging, r.Type):
				add(r.From, r.To, r, false, false)
			case heads[r.From] && slices.Contains(rules.Membership, r.Type):
				add(r.From, r.To, r, false, true)
			case heads[r.To] && slices.Contains(rules.EvidenceForward, r.Type):
				add(r.To, r.From, r, true, false)
			case heads[r.From] && slices.Contains(rules.EvidenceReverse, r.Type):
				add(r.From, r.To, r, true, false)
			}
		}
		kinds, err := t.Kinds(ctx, ids)
		if err != nil {
			return nil, err
		}
		var next []partial
		for _, p := range parts {
			head := p.nodes[len(p.nodes)-1]
			for _, u := range upstream[head] {
				switch {
				case kinds[u.node] == KindVictim, slices.Contains(p.nodes, u.node):
					continue
				case u.member && !slices.Contains(rules.MemberOf, kinds[u.node]):
					continue
				case u.evidence && !slices.Contains(p.via, u.step.From) && !slices.Contains(p.via, u.step.To):
					continue
				}
				np := partial{
					nodes: append(append([]string(nil), p.nodes...), u.node),
					steps: append(append([]Step(nil), p.steps...), u.step),
					via:   p.via,
				}
				if kinds[u.node] == KindOrganization {
					emit(np)
				}
				next = append(next, np)
			}
		}
		parts = next
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return limitPaths(SortPaths(chains), o.Limit), nil
}
