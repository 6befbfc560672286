package graph

import (
	"slices"
	"strings"
	"testing"
)

func TestCombineClaims(t *testing.T) {
	k := RelKey{"tick", "ATTACKED", "jaxa"}
	a := Claim{Dataset: "a", Confidence: Alleged, Sources: []string{"s1", "s2"}, Start: "2016-05", End: "2017", Description: "a's words", Via: []string{"srv"}}
	b := Claim{Dataset: "b", Confidence: Reported, Sources: []string{"s2", "s3"}, Start: "2016", End: "2017-03", Description: "b's words"}
	c := Claim{Dataset: "c", Confidence: Reported, Sources: []string{"s4"}, Description: "c's words", Via: []string{"id"}}
	for _, tc := range []struct {
		name   string
		claims []Claim
		want   string // confidence|sources|start|end|description|via|claim datasets
	}{
		{"one claim is the claim", []Claim{a}, "alleged|s1,s2|2016-05|2017|a's words|srv|"},
		{"strongest confidence and its words", []Claim{a, b}, "reported|s1,s2,s3|2016|2017|b's words|srv|a,b"},
		{"order does not matter", []Claim{b, a}, "reported|s1,s2,s3|2016|2017|b's words|srv|a,b"},
		{"a tie goes to the first dataset", []Claim{c, b, a}, "reported|s1,s2,s3,s4|2016|2017|b's words|srv,id|a,b,c"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := CombineClaims(k, tc.claims)
			var ds []string
			for _, c := range r.Claims {
				ds = append(ds, c.Dataset)
			}
			got := strings.Join([]string{string(r.Confidence), strings.Join(r.Sources, ","), r.Start, r.End, r.Description, strings.Join(r.Via, ","), strings.Join(ds, ",")}, "|")
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	t.Run("a dataset's new claim replaces only its own", func(t *testing.T) {
		r := CombineClaims(k, []Claim{a, b})
		r = WithClaim(r, []string{"a", "b"}, Claim{Dataset: "a", Confidence: Confirmed, Sources: []string{"s9"}})
		if r.Confidence != Confirmed || len(r.Claims) != 2 || r.Claims[1].Description != "b's words" || strings.Join(r.Sources, ",") != "s9,s2,s3" {
			t.Errorf("%+v", r)
		}
	})
	t.Run("pruning leaves exactly the other claim", func(t *testing.T) {
		r := KeepClaims(CombineClaims(k, []Claim{a, b}), []string{"a", "b"}, []string{"a"})
		if Hash(r) != Hash(CombineClaims(k, []Claim{a})) {
			t.Errorf("%+v", r)
		}
	})
	t.Run("a stored relationship without claims is each dataset's claim", func(t *testing.T) {
		r := CombineClaims(k, []Claim{a})
		cs := r.ClaimsBy([]string{"a", "x"})
		if len(cs) != 2 || cs[1].Dataset != "x" || cs[1].Confidence != Alleged {
			t.Errorf("%+v", cs)
		}
	})
}

// A path through an attack's route rests on the claims that name that
// route, not on a stronger claim that does not.
func TestSupport(t *testing.T) {
	k := RelKey{"tick", "ATTACKED", "jaxa"}
	weak := Claim{Dataset: "a", Confidence: Alleged, Sources: []string{"s1"}, Via: []string{"srv"}}
	strong := Claim{Dataset: "b", Confidence: Confirmed, Sources: []string{"s2"}}
	other := Claim{Dataset: "c", Confidence: Reported, Sources: []string{"s3"}, Via: []string{"id"}}
	r := CombineClaims(k, []Claim{weak, strong, other})
	rels := map[RelKey]Relationship{k: r}
	for _, tc := range []struct {
		name  string
		nodes []string
		want  string
	}{
		{"no route: the strongest claim", []string{"tick", "jaxa"}, "confirmed 3"},
		{"through one claim's route", []string{"x", "srv", "tick", "jaxa"}, "alleged 1"},
		{"through two claims' routes: the weakest", []string{"id", "srv", "tick", "jaxa"}, "alleged 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Path{Nodes: tc.nodes}
			for i := range tc.nodes[:len(tc.nodes)-2] {
				st := Step{tc.nodes[i], "USED", tc.nodes[i+1]}
				p.Rels = append(p.Rels, st)
				rels[RelKey(st)] = Relationship{From: st.From, Type: st.Type, To: st.To, Confidence: Confirmed}
			}
			p.Rels = append(p.Rels, Step(k))
			conf, srcs := support(r, p)
			if got := string(conf) + " " + string(rune('0'+len(srcs))); got != tc.want {
				t.Errorf("support %s, want %s", got, tc.want)
			}
			if c := Assess(p, rels); tc.name != "no route: the strongest claim" && c.Weakest != Alleged {
				t.Errorf("assess: weakest %s", c.Weakest)
			}
		})
	}
}

// PlanRename moves a stored entity to the id a load brings: its
// relationships re-keyed (claims united with any at the new key, a loop
// the two ids made dropped), its contents merged under the load's
// scalars, its datasets kept, and the old id deleted.
func TestPlanRename(t *testing.T) {
	from := Entity{ID: "mitre-g0060", Kind: KindGroup, Name: "BRONZE BUTLER", Aliases: []string{"REDBALDKNIGHT"},
		Description: "ATT&CK's words", ExternalIDs: map[string]string{"mitre-attack": "G0060"}, Datasets: []string{"attack"}}
	to := Entity{ID: "tick", Kind: KindGroup, Name: "Tick", Description: "the case's words", ExternalIDs: map[string]string{"mitre-attack": "G0060"}}
	rels := []Relationship{
		{From: "mitre-g0060", Type: "USED", To: "s1", Confidence: Reported, Sources: []string{"a"}, Datasets: []string{"attack"}},
		{From: "x", Type: "ATTRIBUTED_TO", To: "mitre-g0060", Confidence: Alleged, Sources: []string{"m"}, Via: []string{"mitre-g0060"}, Datasets: []string{"misp"}},
		{From: "tick", Type: "ALIAS_OF", To: "mitre-g0060", Confidence: Reported, Sources: []string{"m"}, Datasets: []string{"misp"}},
	}
	atNew := map[RelKey]Relationship{
		{"x", "ATTRIBUTED_TO", "tick"}: {From: "x", Type: "ATTRIBUTED_TO", To: "tick", Confidence: Confirmed, Sources: []string{"c"}, Datasets: []string{"case"}},
	}
	p := PlanRename(from, to, nil, rels, atNew)
	if len(p.WriteEntities) != 1 {
		t.Fatalf("entities %+v", p.WriteEntities)
	}
	e := p.WriteEntities[0]
	if e.Item.ID != "tick" || e.Item.Name != "Tick" || e.Item.Description != "the case's words" || !slices.Contains(e.Item.Aliases, "BRONZE BUTLER") ||
		strings.Join(e.Datasets, ",") != "attack" || !e.New {
		t.Errorf("merged entity %+v in %v", e.Item, e.Datasets)
	}
	var written []string
	for _, w := range p.WriteRels {
		written = append(written, w.Item.Key().String()+" "+string(w.Item.Confidence)+" "+strings.Join(w.Datasets, ","))
	}
	want := "tick -[USED]-> s1 reported attack|x -[ATTRIBUTED_TO]-> tick confirmed case,misp"
	if strings.Join(written, "|") != want {
		t.Errorf("relationships written:\n%s\nwant\n%s", strings.Join(written, "|"), want)
	}
	if len(p.WriteRels) == 2 && len(p.WriteRels[1].Item.Claims) != 2 {
		t.Errorf("claims at the new key: %+v", p.WriteRels[1].Item.Claims)
	}
	if len(p.DeleteRels) != 2 || strings.Join(p.DeleteEntities, ",") != "mitre-g0060" {
		t.Errorf("deletes %v %v", p.DeleteRels, p.DeleteEntities)
	}
}
