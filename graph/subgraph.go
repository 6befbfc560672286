package graph

import (
	"cmp"
	"slices"
	"sort"
)

// Step is one hop of a path: the relationship and whether it was walked
// against its stored direction.
type Step struct {
	From string `json:"from"`
	Type string `json:"type"`
	To   string `json:"to"`
}

// Path is a walk through the graph: Nodes[i] and Nodes[i+1] are joined by
// Rels[i], which may point either way (arrows are drawn as stored).
type Path struct {
	Nodes []string `json:"nodes"`
	Rels  []Step   `json:"relationships"`
	// Credibility is set on ranked answers (attribution chains).
	Credibility *Credibility `json:"credibility,omitempty"`
}

// Len is the number of hops.
func (p Path) Len() int { return len(p.Rels) }

// Through reports whether the path passes every one of ids.
func (p Path) Through(ids []string) bool {
	for _, id := range ids {
		if !slices.Contains(p.Nodes, id) {
			return false
		}
	}
	return true
}

// Touches reports whether the path passes any of ids.
func (p Path) Touches(ids []string) bool {
	for _, id := range ids {
		if slices.Contains(p.Nodes, id) {
			return true
		}
	}
	return false
}

// ComparePaths orders paths: shorter first, then by node ids, then by
// relationship types and direction. Both stores sort with it so that ties
// come out the same everywhere.
func ComparePaths(a, b Path) int {
	if a.Len() != b.Len() {
		return cmp.Compare(a.Len(), b.Len())
	}
	for i := range a.Nodes {
		if a.Nodes[i] != b.Nodes[i] {
			return cmp.Compare(a.Nodes[i], b.Nodes[i])
		}
	}
	for i := range a.Rels {
		if a.Rels[i].Type != b.Rels[i].Type {
			return cmp.Compare(a.Rels[i].Type, b.Rels[i].Type)
		}
		if a.Rels[i].From != b.Rels[i].From {
			return cmp.Compare(a.Rels[i].From, b.Rels[i].From)
		}
	}
	return 0
}

// SortPaths sorts with ComparePaths and drops duplicates.
func SortPaths(ps []Path) []Path {
	sort.SliceStable(ps, func(i, j int) bool { return ComparePaths(ps[i], ps[j]) < 0 })
	out := ps[:0]
	for i, p := range ps {
		if i == 0 || ComparePaths(p, out[len(out)-1]) != 0 {
			out = append(out, p)
		}
	}
	return out
}

// Subgraph is what every query returns and every renderer draws: nodes,
// the relationships among them, the paths found (if the query finds
// paths), and the sources cited by any of them.
type Subgraph struct {
	Nodes         []Entity       `json:"nodes"`
	Relationships []Relationship `json:"relationships"`
	Paths         []Path         `json:"paths,omitempty"`
	// MorePaths counts the paths a limit left out of Paths, and
	// MoreEntities the entities a limit left out of Nodes.
	MorePaths    int `json:"more_paths,omitempty"`
	MoreEntities int `json:"more_entities,omitempty"`
	// Note says what the reader must know of how the answer was found
	// (a search that stopped at its budget).
	Note    string   `json:"note,omitempty"`
	Sources []Source `json:"sources"`
	// TLP is the most restrictive marking of what the answer holds (set
	// by FilterTLP): the banner it is shared under.
	TLP TLP `json:"tlp,omitempty"`
}

// Sort puts nodes, relationships and sources in their canonical order.
// Paths keep the order the query gave them.
func (g *Subgraph) Sort() {
	sort.Slice(g.Nodes, func(i, j int) bool { return g.Nodes[i].ID < g.Nodes[j].ID })
	sort.Slice(g.Relationships, func(i, j int) bool {
		return g.Relationships[i].Key().Less(g.Relationships[j].Key())
	})
	sort.Slice(g.Sources, func(i, j int) bool { return g.Sources[i].ID < g.Sources[j].ID })
}

// Node returns the node with the id, if the subgraph has it.
func (g *Subgraph) Node(id string) (Entity, bool) {
	for _, n := range g.Nodes {
		if n.ID == id {
			return n, true
		}
	}
	return Entity{}, false
}

// CitedSourceIDs lists, sorted, the sources that the subgraph's nodes and
// relationships cite.
func (g *Subgraph) CitedSourceIDs() []string {
	set := map[string]bool{}
	for _, r := range g.Relationships {
		for _, s := range r.Sources {
			set[s] = true
		}
	}
	for _, n := range g.Nodes {
		for _, s := range n.Sources {
			set[s] = true
		}
	}
	return SortedKeys(set)
}

// StepsOf returns the relationships' keys as steps.
func StepsOf(rels []Relationship) []Step {
	out := make([]Step, len(rels))
	for i, r := range rels {
		out[i] = Step{r.From, r.Type, r.To}
	}
	return out
}
