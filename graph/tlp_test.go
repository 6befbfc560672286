package graph

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseTLP(t *testing.T) {
	for in, want := range map[string]TLP{"amber": TLPAmber, "TLP:AMBER+STRICT": TLPAmberStrict, "white": TLPClear, " Red ": TLPRed, "tlp:clear": TLPClear} {
		if got, ok := ParseTLP(in); !ok || got != want {
			t.Errorf("%q: %q %v", in, got, ok)
		}
	}
	if _, ok := ParseTLP("secret"); ok {
		t.Error("secret is no TLP level")
	}
}

// FilterTLP leaves out what the limit does not admit, what touches it,
// and every claim that has no source left; a relationship two datasets
// hold keeps the claims the limit admits.
func TestFilterTLP(t *testing.T) {
	mk := func() *Subgraph {
		return &Subgraph{
			Nodes: []Entity{{ID: "g", Name: "G"}, {ID: "v", Name: "V", TLP: TLPGreen}, {ID: "s", Name: "S", TLP: TLPRed}},
			Relationships: []Relationship{
				{From: "g", Type: "ATTACKED", To: "v", Confidence: Reported, Sources: []string{"pub"}},
				{From: "g", Type: "TARGETED", To: "v", Confidence: Alleged, Sources: []string{"closed"}},
				{From: "g", Type: "USED", To: "s", Confidence: Alleged, Sources: []string{"pub"}},
				CombineClaims(RelKey{"v", "ALIAS_OF", "g"}, []Claim{
					{Dataset: "a", Confidence: Alleged, Sources: []string{"pub"}, TLP: TLPClear},
					{Dataset: "b", Confidence: Confirmed, Sources: []string{"closed"}, TLP: TLPAmber}}),
			},
			Paths:   []Path{{Nodes: []string{"g", "s"}, Rels: []Step{{"g", "USED", "s"}}}, {Nodes: []string{"g", "v"}, Rels: []Step{{"g", "ATTACKED", "v"}}}},
			Sources: []Source{{ID: "closed", Publisher: "C", TLP: TLPAmber}, {ID: "pub", Publisher: "P"}},
		}
	}
	for _, tc := range []struct {
		limit TLP
		want  string // relationships kept, the answer's TLP, items gone
	}{
		{"", "ATTACKED TARGETED USED ALIAS_OF:confirmed|red|0"},
		{TLPRed, "ATTACKED TARGETED USED ALIAS_OF:confirmed|red|0"},
		{TLPAmber, "ATTACKED TARGETED ALIAS_OF:confirmed|amber|3"},
		// TARGETED has no source left; ALIAS_OF keeps dataset a's claim.
		{TLPGreen, "ATTACKED ALIAS_OF:alleged|green|5"},
		// What is left is unmarked: no banner.
		{TLPClear, "||9"},
	} {
		t.Run(string(tc.limit), func(t *testing.T) {
			g := mk()
			gone := FilterTLP(g, tc.limit)
			var rels []string
			for _, r := range g.Relationships {
				s := r.Type
				if r.Type == "ALIAS_OF" {
					s += ":" + string(r.Confidence)
				}
				rels = append(rels, s)
			}
			got := fmt.Sprintf("%s|%s|%d", strings.Join(rels, " "), g.TLP, gone)
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
