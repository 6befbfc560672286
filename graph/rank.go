package graph

import (
	"cmp"
	"slices"
)

// Credibility is what ranks a path or an attribution chain for a reader
// who must defend it: its weakest link first (a chain is only as sure as
// its least sure claim), then whether it climbs a hierarchy and comes down
// again, then its length, then how many distinct sources it rests on.
type Credibility struct {
	// Weakest is the lowest confidence of its relationships, and
	// WeakestAt the index of the first relationship with it.
	Weakest   Confidence `json:"weakest"`
	WeakestAt int        `json:"weakest_at"`
	// Detour says how the path joins its ends only through a third party,
	// which says less than it seems: it climbs a hierarchy (PART_OF,
	// MEMBER_OF walked from the member to the whole) and comes down again
	// (walked the other way, or a command from above) — Unit 61419 → PLA
	// → Tick says the two share a parent, not that one dealt with the
	// other — or it passes through an investigator (two subjects of one
	// police investigation). Empty for a direct path.
	Detour  string `json:"detour,omitempty"`
	Hops    int    `json:"hops"`
	Sources int    `json:"sources"`
}

// The detours Assess names.
const (
	DetourClimb        = "climbs a hierarchy and comes down again"
	DetourInvestigator = "meets only at an investigator"
)

// hierarchy are the types that lead from a part to its whole.
var hierarchy = []string{"PART_OF", "MEMBER_OF"}

// command are the types that lead from the top down.
var command = []string{"DIRECTED", "SPONSORED", "INSTRUCTED", "COMMANDED"}

// investigation are the types of an investigator acting on its subjects.
var investigation = []string{"INVESTIGATED", "REFERRED_TO_PROSECUTORS"}

// Assess measures a path with its relationships (by key; a missing one
// counts as suspected, with no source).
func Assess(p Path, rels map[RelKey]Relationship) Credibility {
	c := Credibility{Hops: p.Len(), Weakest: Confirmed}
	sources := map[string]bool{}
	up := false
	for i, st := range p.Rels {
		r, ok := rels[RelKey(st)]
		conf, cited := support(r, p)
		if !ok || conf.Rank() == 0 {
			conf = Suspected
		}
		if conf.Rank() < c.Weakest.Rank() {
			c.Weakest, c.WeakestAt = conf, i
		}
		for _, s := range cited {
			sources[s] = true
		}
		forward := st.From == p.Nodes[i]
		isHier := slices.Contains(hierarchy, st.Type)
		switch {
		case isHier && forward:
			up = true
		case up && (isHier && !forward || slices.Contains(command, st.Type) && forward):
			c.Detour = DetourClimb
		}
		// An investigator between two subjects: the path enters it
		// against an investigation and leaves it along another.
		if i > 0 && c.Detour == "" {
			prev, at := p.Rels[i-1], p.Nodes[i]
			if prev.From == at && st.From == at && slices.Contains(investigation, prev.Type) && slices.Contains(investigation, st.Type) {
				c.Detour = DetourInvestigator
			}
		}
	}
	if p.Len() == 0 {
		c.Weakest = ""
	}
	c.Sources = len(sources)
	return c
}

// support is the confidence and sources a relationship lends a path.
// When several datasets claim it and the path goes on through entities
// of its route (Via), only the claims naming that route support the
// path: the strongest of them — the weakest, if no one claim names every
// entity of the route the path takes — and their sources. Otherwise the
// relationship's own (its strongest claim).
func support(r Relationship, p Path) (Confidence, []string) {
	if len(r.Claims) < 2 || len(r.Via) == 0 {
		return r.Confidence, r.Sources
	}
	var route []string
	for _, v := range r.Via {
		if v != r.From && v != r.To && slices.Contains(p.Nodes, v) {
			route = append(route, v)
		}
	}
	if len(route) == 0 {
		return r.Confidence, r.Sources
	}
	var best, weakest Confidence
	var cited, all []string
	for _, cl := range r.Claims {
		names := 0
		for _, v := range route {
			if slices.Contains(cl.Via, v) {
				names++
			}
		}
		if names == 0 {
			continue
		}
		all = appendNew(all, cl.Sources...)
		if weakest == "" || cl.Confidence.Rank() < weakest.Rank() {
			weakest = cl.Confidence
		}
		if names == len(route) {
			cited = appendNew(cited, cl.Sources...)
			if cl.Confidence.Rank() > best.Rank() {
				best = cl.Confidence
			}
		}
	}
	if best == "" {
		return weakest, all
	}
	return best, cited
}

// CompareCredibility orders the firmest first: the weakest link, then
// direct before detours, then fewer hops, then more sources.
func CompareCredibility(a, b Credibility) int {
	if x := cmp.Compare(b.Weakest.Rank(), a.Weakest.Rank()); x != 0 {
		return x
	}
	if (a.Detour == "") != (b.Detour == "") {
		if a.Detour != "" {
			return 1
		}
		return -1
	}
	if x := cmp.Compare(a.Hops, b.Hops); x != 0 {
		return x
	}
	return cmp.Compare(b.Sources, a.Sources)
}

// Rank sorts paths firmest first (CompareCredibility, then ComparePaths
// for a stable order on ties) and returns their credibility in the same
// order.
func Rank(paths []Path, rels map[RelKey]Relationship) ([]Path, []Credibility) {
	type ranked struct {
		p Path
		c Credibility
	}
	rs := make([]ranked, len(paths))
	for i, p := range paths {
		rs[i] = ranked{p, Assess(p, rels)}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		if x := CompareCredibility(a.c, b.c); x != 0 {
			return x
		}
		return ComparePaths(a.p, b.p)
	})
	out, cs := make([]Path, len(rs)), make([]Credibility, len(rs))
	for i, r := range rs {
		out[i], cs[i] = r.p, r.c
	}
	return out, cs
}
