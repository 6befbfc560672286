package graph

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
)

// Claim is what one dataset says of a relationship: its confidence, its
// sources, its dates, its words and the route of an attack. Two datasets
// may hold the same relationship (the same from, type and to) and say
// different things of it — one outlet hedges where another does not —
// and each keeps its own claim: a reload of one never overwrites the
// other, and pruning one removes its claim only.
type Claim struct {
	Dataset     string            `json:"dataset"`
	Confidence  Confidence        `json:"confidence"`
	Sources     []string          `json:"sources"`
	Start       string            `json:"start,omitempty"`
	End         string            `json:"end,omitempty"`
	Description string            `json:"description,omitempty"`
	Via         []string          `json:"via,omitempty"`
	TLP         TLP               `json:"tlp,omitempty"`
	Attributes  map[string]string `json:"attributes,omitempty"`
	Citations   []Citation        `json:"citations,omitempty"`
}

// ClaimOf is the claim a dataset makes by defining r.
func ClaimOf(r Relationship, dataset string) Claim {
	return Claim{Dataset: dataset, Confidence: r.Confidence, Sources: r.Sources, Start: r.Start,
		End: r.End, Description: r.Description, Via: r.Via, TLP: r.TLP, Attributes: r.Attributes, Citations: r.Citations}
}

// ClaimsBy are the claims of a stored relationship held by datasets: its
// own list when more than one dataset made one, else the relationship's
// fields as each dataset's claim (one dataset, or a store written before
// claims were kept apart, when datasets holding a relationship had to
// agree on it).
func (r Relationship) ClaimsBy(datasets []string) []Claim {
	if len(r.Claims) > 0 {
		return r.Claims
	}
	out := make([]Claim, 0, len(datasets))
	for _, d := range datasets {
		out = append(out, ClaimOf(r, d))
	}
	return out
}

// CombineClaims is the relationship the claims make together, the same
// whatever order they came in:
//
//   - confidence: the strongest claim's (a claim is as credible as its
//     best support; every weaker one stays listed in Claims and is shown
//     where its sources are cited);
//   - sources and via: every claim's, in the order of the datasets' names;
//   - start: the earliest; end: the latest;
//   - description: the strongest claim's, the first dataset's on a tie;
//   - TLP: the most restrictive claim's;
//   - attributes: every claim's, the strongest claim's value on a clash.
//
// Claims is filled in only when more than one dataset makes a claim: a
// relationship of one dataset is exactly what that dataset says.
func CombineClaims(k RelKey, claims []Claim) Relationship {
	cs := slices.Clone(claims)
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Dataset < cs[j].Dataset })
	if len(cs) == 1 {
		c := cs[0]
		return Relationship{From: k.From, Type: k.Type, To: k.To, Confidence: c.Confidence, Sources: c.Sources,
			Start: c.Start, End: c.End, Description: c.Description, Via: c.Via, TLP: c.TLP, Attributes: c.Attributes, Citations: c.Citations}
	}
	r := Relationship{From: k.From, Type: k.Type, To: k.To, Claims: cs}
	best := -1
	for i, c := range cs {
		if best < 0 || c.Confidence.Rank() > cs[best].Confidence.Rank() {
			best = i
		}
		r.Sources = appendNew(r.Sources, c.Sources...)
		r.Via = appendNew(r.Via, c.Via...)
		r.TLP = MaxTLP(r.TLP, c.TLP)
		r.Citations = append(r.Citations, c.Citations...)
		if c.Start != "" && (r.Start == "" || lowerDate(c.Start) < lowerDate(r.Start)) {
			r.Start = c.Start
		}
		if c.End != "" && (r.End == "" || upperDate(c.End) > upperDate(r.End)) {
			r.End = c.End
		}
	}
	if best >= 0 {
		r.Confidence = cs[best].Confidence
		r.Description = cs[best].Description
		// Attributes: every claim's, the strongest claim's value first.
		r.Attributes = unionMaps(cs[best].Attributes, nil)
		for _, c := range cs {
			r.Attributes = unionMaps(r.Attributes, c.Attributes)
		}
	}
	return r
}

// appendNew appends the values list does not hold yet.
func appendNew(list []string, vs ...string) []string {
	for _, v := range vs {
		if !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// WithClaim is the stored relationship r (held by datasets) once dataset
// makes claim c: c replaces that dataset's earlier claim, if any, and
// the other datasets' claims stay as they are.
func WithClaim(r Relationship, datasets []string, c Claim) Relationship {
	var cs []Claim
	for _, o := range r.ClaimsBy(datasets) {
		if o.Dataset != c.Dataset {
			cs = append(cs, o)
		}
	}
	return CombineClaims(r.Key(), append(cs, c))
}

// KeepClaims is the stored relationship r (held by datasets) with only
// the claims of the datasets in keep: what pruning a dataset leaves of a
// relationship other datasets still hold.
func KeepClaims(r Relationship, datasets, keep []string) Relationship {
	var cs []Claim
	for _, c := range r.ClaimsBy(datasets) {
		if slices.Contains(keep, c.Dataset) {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		return r // nothing to keep: the caller deletes it
	}
	return CombineClaims(r.Key(), cs)
}

// JSONText is a list or map as JSON text, "" when it is empty: how the
// Neo4j store (a property cannot hold maps) and the CSV and GraphML
// exports keep claims, citations, alias sources, external ids and
// attributes — one encoding for all of them.
func JSONText(v any) string {
	if rv := reflect.ValueOf(v); !rv.IsValid() || rv.Len() == 0 {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic("graph: JSON text: " + err.Error()) // plain values always marshal
	}
	return string(b)
}
