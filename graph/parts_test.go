package graph

import (
	"reflect"
	"testing"
)

func TestFreshLookup(t *testing.T) {
	rel := func(from, to string) Relationship { return Relationship{From: from, Type: "ATTACKED", To: to} }
	key := func(from, to string) RelKey { return RelKey{From: from, Type: "ATTACKED", To: to} }
	for _, tc := range []struct {
		name     string
		parts    [][]Entity // entities of each earlier part, none of them stored
		entities []Entity
		stored   map[string]ItemState
		rels     []Relationship
		want     []RelKey
	}{
		{name: "nothing new", entities: []Entity{{ID: "g"}, {ID: "v"}}, stored: map[string]ItemState{"g": {}, "v": {}},
			rels: []Relationship{rel("g", "v")}, want: []RelKey{key("g", "v")}},
		{name: "new end in the same part", entities: []Entity{{ID: "g"}, {ID: "v"}}, stored: map[string]ItemState{"g": {}},
			rels: []Relationship{rel("g", "v"), rel("g", "w")}, want: []RelKey{key("g", "w")}},
		{name: "new start in an earlier part", parts: [][]Entity{{{ID: "g"}}},
			rels: []Relationship{rel("g", "v"), rel("h", "v")}, want: []RelKey{key("h", "v")}},
		{name: "ends the load does not define", rels: []Relationship{rel("x", "y")}, want: []RelKey{key("x", "y")}},
		{name: "every end new", entities: []Entity{{ID: "g"}, {ID: "v"}},
			rels: []Relationship{rel("g", "v"), rel("v", "g")}, want: []RelKey{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := NewFresh()
			for _, p := range tc.parts {
				f.Note(p, nil)
			}
			f.Note(tc.entities, tc.stored)
			if got := f.Lookup(tc.rels); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Lookup = %v, want %v", got, tc.want)
			}
		})
	}
}
