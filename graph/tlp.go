package graph

import (
	"slices"
	"strings"
)

// TLP is a Traffic Light Protocol marking (FIRST TLP 2.0): who may see an
// item. An item without one is unmarked, shared as its dataset allows.
type TLP string

// The TLP 2.0 levels, least restrictive first. TLP 1.0's "white" is read
// as clear.
const (
	TLPClear       TLP = "clear"
	TLPGreen       TLP = "green"
	TLPAmber       TLP = "amber"
	TLPAmberStrict TLP = "amber+strict"
	TLPRed         TLP = "red"
)

var tlpLevels = []TLP{TLPClear, TLPGreen, TLPAmber, TLPAmberStrict, TLPRed}

// TLPNames lists the levels, least restrictive first.
func TLPNames() []string {
	out := make([]string, len(tlpLevels))
	for i, t := range tlpLevels {
		out[i] = string(t)
	}
	return out
}

// ParseTLP reads a level as people write it: "amber", "TLP:AMBER",
// "tlp:amber+strict", "white" (TLP 1.0 for clear).
func ParseTLP(s string) (TLP, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "tlp:")
	if s == "white" {
		return TLPClear, true
	}
	for _, t := range tlpLevels {
		if string(t) == s {
			return t, true
		}
	}
	return "", false
}

// Rank orders levels: unmarked and clear 0, green 1 … red 4.
func (t TLP) Rank() int {
	if i := slices.Index(tlpLevels, t); i >= 0 {
		return i
	}
	return 0
}

// Label is how the level is printed: "TLP:AMBER+STRICT".
func (t TLP) Label() string {
	if t == "" {
		return ""
	}
	return "TLP:" + strings.ToUpper(string(t))
}

// MaxTLP is the more restrictive of two levels.
func MaxTLP(a, b TLP) TLP {
	if b.Rank() > a.Rank() || a == "" {
		return b
	}
	return a
}

// Admits reports whether an item marked t may be shown under the limit
// max ("" admits everything).
func (limit TLP) Admits(t TLP) bool { return limit == "" || t.Rank() <= limit.Rank() }

// FilterTLP keeps in g only what max admits: entities, sources and
// relationships marked above it go, with the relationships and paths
// that touch what went, and a relationship none of whose sources is left
// (a claim is never shown without its source). It returns how many items
// went, and sets g.TLP to the most restrictive marking left.
func FilterTLP(g *Subgraph, max TLP) int {
	gone := 0
	keepSrc := map[string]bool{}
	var sources []Source
	for _, s := range g.Sources {
		if max.Admits(s.TLP) {
			keepSrc[s.ID] = true
			sources = append(sources, s)
		} else {
			gone++
		}
	}
	cited := func(ids []string) []string {
		var out []string
		for _, id := range ids {
			if keepSrc[id] {
				out = append(out, id)
			}
		}
		return out
	}
	keepNode := map[string]bool{}
	var nodes []Entity
	for _, n := range g.Nodes {
		if !max.Admits(n.TLP) {
			gone++
			continue
		}
		keepNode[n.ID] = true
		if len(g.Sources) > 0 {
			n.Sources = cited(n.Sources)
		}
		nodes = append(nodes, n)
	}
	keepRel := map[RelKey]bool{}
	var rels []Relationship
	for _, r := range g.Relationships {
		if !keepNode[r.From] || !keepNode[r.To] {
			gone++
			continue
		}
		if len(r.Claims) > 0 {
			// Several datasets' claims: what is left is what the claims
			// the limit admits (with a source left) say.
			var claims []Claim
			for _, c := range r.Claims {
				if len(g.Sources) > 0 {
					c.Sources = cited(c.Sources)
				}
				if max.Admits(c.TLP) && (len(c.Sources) > 0 || len(g.Sources) == 0) {
					claims = append(claims, c)
				}
			}
			if len(claims) == 0 {
				gone++
				continue
			}
			keep := CombineClaims(r.Key(), claims)
			for _, c := range claims {
				keep.Datasets = appendNew(keep.Datasets, c.Dataset)
			}
			r = keep
		} else {
			if !max.Admits(r.TLP) {
				gone++
				continue
			}
			if len(g.Sources) > 0 && len(r.Sources) > 0 {
				if r.Sources = cited(r.Sources); len(r.Sources) == 0 {
					gone++
					continue
				}
			}
		}
		keepRel[r.Key()] = true
		rels = append(rels, r)
	}
	var paths []Path
	for _, p := range g.Paths {
		ok := true
		for _, n := range p.Nodes {
			ok = ok && keepNode[n]
		}
		for _, st := range p.Rels {
			ok = ok && keepRel[RelKey(st)]
		}
		if ok {
			paths = append(paths, p)
		} else {
			gone++
		}
	}
	g.Sources, g.Nodes, g.Relationships = orEmpty(sources), orEmpty(nodes), orEmpty(rels)
	if g.Paths != nil {
		g.Paths = paths
	}
	g.TLP = ""
	for _, s := range g.Sources {
		g.TLP = MaxTLP(g.TLP, s.TLP)
	}
	for _, n := range g.Nodes {
		g.TLP = MaxTLP(g.TLP, n.TLP)
	}
	for _, r := range g.Relationships {
		g.TLP = MaxTLP(g.TLP, r.TLP)
	}
	return gone
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
