package graph

import (
	"reflect"
	"testing"
)

func TestValidDate(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"2016", true}, {"2016-05", true}, {"2021-04-20", true},
		{"2021-02-30", false}, {"2021-13", false}, {"21", false}, {"2016/05", false}, {"", false}, {"abcd", false},
	} {
		if err := ValidDate(c.in); (err == nil) != c.ok {
			t.Errorf("ValidDate(%q) = %v, want ok=%v", c.in, err, c.ok)
		}
	}
}

func TestConfidenceOrder(t *testing.T) {
	prev := 0
	for _, c := range Confidences() {
		if c.Level.Rank() <= prev {
			t.Errorf("%s rank %d not above %d", c.Level, c.Level.Rank(), prev)
		}
		prev = c.Level.Rank()
	}
	want := map[Confidence]int{Confirmed: 90, Reported: 70, Alleged: 50, Suspected: 30}
	for c, stix := range want {
		if c.STIX() != stix {
			t.Errorf("%s STIX %d, want %d", c, c.STIX(), stix)
		}
	}
	if _, ok := ParseConfidence("Allegedly"); ok {
		t.Error("ParseConfidence accepted a non-level")
	}
}

func TestEntityNames(t *testing.T) {
	e := Entity{ID: "pla", Name: "People's Liberation Army", Aliases: []string{"PLA", " Chinese PLA "}, ExternalIDs: map[string]string{"wikidata": "Q4484"}}
	want := []string{"chinese pla", "people's liberation army", "pla", "q4484"}
	if got := e.Names(); !reflect.DeepEqual(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
}

func TestPlanLoad(t *testing.T) {
	ds := &Dataset{Name: "a",
		Sources:       []Source{{ID: "s", Publisher: "P"}},
		Entities:      []Entity{{ID: "x", Kind: KindGroup, Name: "X"}, {ID: "y", Kind: KindVictim, Name: "Y"}},
		Relationships: []Relationship{{From: "x", Type: "ATTACKED", To: "y", Confidence: Alleged, Sources: []string{"s"}}},
	}
	p := PlanLoad(ds, NewState(), false, false)
	if p.Entities.Created != 2 || p.Relationships.Created != 1 || p.Sources.Created != 1 || !p.Changed() {
		t.Fatalf("fresh plan: %+v", p)
	}
	// The same content stored: nothing to write.
	st := NewState()
	for _, w := range p.WriteEntities {
		st.Entities[w.Item.ID] = ItemState{Hash: w.Hash, Datasets: w.Datasets}
	}
	for _, w := range p.WriteSources {
		st.Sources[w.Item.ID] = ItemState{Hash: w.Hash, Datasets: w.Datasets}
	}
	for _, w := range p.WriteRels {
		st.Rels[w.Item.Key()] = ItemState{Hash: w.Hash, Datasets: w.Datasets}
	}
	if p2 := PlanLoad(ds, st, true, false); p2.Changed() || len(p2.WriteEntities) != 0 {
		t.Errorf("reload plan changes: %+v", p2)
	}
	// An entity dropped from the dataset: pruned only with --prune, and
	// kept (untagged) when another dataset holds it.
	ds.Entities = ds.Entities[:1]
	ds.Relationships = nil
	if p3 := PlanLoad(ds, st, false, false); p3.Entities.Removed != 0 {
		t.Errorf("without prune: %+v", p3.Entities)
	}
	p4 := PlanLoad(ds, st, true, false)
	if p4.Entities.Removed != 1 || p4.Relationships.Removed != 1 || !reflect.DeepEqual(p4.DeleteEntities, []string{"y"}) {
		t.Errorf("prune: %+v %v", p4.Entities, p4.DeleteEntities)
	}
	st.Entities["y"] = ItemState{Hash: st.Entities["y"].Hash, Datasets: []string{"a", "b"}}
	p5 := PlanLoad(ds, st, true, false)
	if p5.Entities.Removed != 0 || !reflect.DeepEqual(p5.RetagEntities["y"], []string{"b"}) {
		t.Errorf("prune shared: %+v %v", p5.Entities, p5.RetagEntities)
	}
}

func TestSortPaths(t *testing.T) {
	ps := []Path{
		{Nodes: []string{"a", "c", "d"}, Rels: []Step{{"a", "X", "c"}, {"c", "X", "d"}}},
		{Nodes: []string{"a", "d"}, Rels: []Step{{"a", "X", "d"}}},
		{Nodes: []string{"a", "b", "d"}, Rels: []Step{{"a", "X", "b"}, {"b", "X", "d"}}},
		{Nodes: []string{"a", "b", "d"}, Rels: []Step{{"a", "X", "b"}, {"b", "X", "d"}}},
	}
	got := SortPaths(ps)
	if len(got) != 3 || got[0].Len() != 1 || got[1].Nodes[1] != "b" || got[2].Nodes[1] != "c" {
		t.Errorf("SortPaths = %+v", got)
	}
}

func TestMergeEntity(t *testing.T) {
	base := Entity{ID: "tick", Kind: KindGroup, Name: "Tick", Aliases: []string{"BRONZE BUTLER"}, Sources: []string{"nhk"},
		ExternalIDs: map[string]string{"mitre-attack": "G0060"}, Attributes: map[string]string{"k": "base"}}
	add := Entity{ID: "mitre-g0060", Kind: KindGroup, Name: "BRONZE BUTLER", Aliases: []string{"REDBALDKNIGHT", "Tick"},
		Description: "from ATT&CK", Sources: []string{"mitre", "nhk"}, Attributes: map[string]string{"k": "add", "stix_id": "x"}}
	m := MergeEntity(base, add)
	want := Entity{ID: "tick", Kind: KindGroup, Name: "Tick", Aliases: []string{"BRONZE BUTLER", "REDBALDKNIGHT"}, Description: "from ATT&CK",
		Sources: []string{"mitre", "nhk"}, ExternalIDs: map[string]string{"mitre-attack": "G0060"}, Attributes: map[string]string{"k": "base", "stix_id": "x"}}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("MergeEntity =\n %+v\nwant\n %+v", m, want)
	}
	if again := MergeEntity(m, add); !reflect.DeepEqual(again, m) {
		t.Errorf("merging twice changed the entity: %+v", again)
	}
}
