package loader

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/internal/fixture"
	"github.com/aptgraph/aptgraph/store"
	"github.com/aptgraph/aptgraph/store/local"
)

// TestMISPGalaxy reads the MISP threat-actor galaxy: actors as groups
// with their synonyms and vendor names as aliases and their ATT&CK ids,
// suspected sponsors and countries as hedged claims on states, suspected
// victims, references as sources, related links; a synonym that names a
// military unit is reported, not taken as an alias.
func TestMISPGalaxy(t *testing.T) {
	path := fixture.Path(t, "misp-galaxy-threat-actor.json.xz")
	f, diags, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := diags.Errors(); n > 0 {
		t.Fatalf("%d errors: %v", n, diags)
	}
	var unitWarning bool
	for _, d := range diags {
		if d.Severity == Warning && strings.Contains(d.Message, `"Tick" lists "PLA Unit 61419" among its synonyms, which names a military unit`) {
			unitWarning = true
		}
	}
	if !unitWarning {
		t.Error("Tick's synonym PLA Unit 61419 was not reported")
	}
	ds := f.Dataset
	if ds.Name != "misp-galaxy-threat-actor" {
		t.Errorf("dataset %q", ds.Name)
	}
	ents := map[string]graph.Entity{}
	for _, e := range ds.Entities {
		ents[e.ID] = e
	}
	tick := ents["misp-tick"]
	if tick.Kind != graph.KindGroup || tick.ExternalIDs["mitre-attack"] != "G0060" || tick.Country != "CN" {
		t.Errorf("tick: %+v", tick)
	}
	for _, a := range tick.Aliases {
		if strings.Contains(a, "61419") {
			t.Errorf("the unit became an alias of Tick: %v", tick.Aliases)
		}
	}
	if !strings.Contains(strings.Join(tick.Aliases, "|"), "BRONZE BUTLER") || len(tick.Sources) < 5 {
		t.Errorf("tick's aliases %v, sources %v", tick.Aliases, tick.Sources)
	}
	if china := ents["state-cn"]; china.Name != "China" || china.Kind != graph.KindOrganization {
		t.Errorf("state-cn: %+v", china)
	}
	rels := map[graph.RelKey]graph.Relationship{}
	types := map[string]int{}
	for _, r := range ds.Relationships {
		rels[r.Key()] = r
		types[r.Type]++
	}
	sponsor, ok := rels[graph.RelKey{From: "state-cn", Type: "SPONSORED", To: "misp-tick"}]
	if !ok || sponsor.Confidence != graph.Alleged || !strings.Contains(strings.Join(sponsor.Sources, " "), "misp-galaxy-threat-actor") {
		t.Errorf("China sponsored Tick: %+v (attribution-confidence 50 is alleged)", sponsor)
	}
	if _, ok := rels[graph.RelKey{From: "misp-tick", Type: "TARGETED", To: "victim-japan"}]; !ok {
		t.Error("Tick's suspected victim Japan is missing")
	}
	if types["SIMILAR_TO"] == 0 || types["ATTRIBUTED_TO"] == 0 {
		t.Errorf("relationship types %v", types)
	}
	if len(ds.Entities) < 1041 || len(ds.Sources) < 1000 {
		t.Errorf("%d entities, %d sources", len(ds.Entities), len(ds.Sources))
	}
}

// TestMISPConfidence: the galaxy's attribution-confidence on our scale.
func TestMISPConfidence(t *testing.T) {
	for in, want := range map[string]graph.Confidence{"": graph.Suspected, "10": graph.Suspected, "50": graph.Alleged, "75": graph.Reported, "100": graph.Confirmed, "high": graph.Suspected} {
		if got := MispConfidence(in); got != want {
			t.Errorf("%q: %s, want %s", in, got, want)
		}
	}
}

// TestImportMerging: ATT&CK's BRONZE BUTLER, the MISP galaxy's Tick and
// the Tick case's tick share ATT&CK id G0060 and become one entity, the
// same one in every order of the files; without the hand-written case,
// the ATT&CK id wins.
func TestImportMerging(t *testing.T) {
	attack := fixture.Path(t, "attack-g0060-bronze-butler.stix21.json")
	misp := fixture.Path(t, "misp-galaxy-threat-actor.json.xz")
	tick := "../testdata/tick-2021.yaml"
	merged := map[int]string{} // by the number of files: the merged entity's JSON
	for _, tc := range []struct {
		name  string
		files []string
		want  string
	}{
		{"attack misp tick", []string{attack, misp, tick}, "tick"},
		{"misp tick attack", []string{misp, tick, attack}, "tick"},
		{"tick attack misp", []string{tick, attack, misp}, "tick"},
		{"attack misp", []string{attack, misp}, "mitre-g0060"},
		{"misp attack", []string{misp, attack}, "mitre-g0060"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dss, diags, err := ReadAll(context.Background(), tc.files)
			if err != nil {
				t.Fatalf("%v\n%v", err, diags)
			}
			var holders []string
			for _, ds := range dss {
				for _, e := range ds.Entities {
					if e.ExternalIDs["mitre-attack"] == "G0060" {
						holders = append(holders, ds.Name+":"+e.ID)
						if e.ID != tc.want {
							t.Errorf("%s holds G0060 as %s, want %s", ds.Name, e.ID, tc.want)
						}
					}
				}
			}
			if len(holders) != len(tc.files) {
				t.Errorf("G0060 held as %v", holders)
			}
			// Loaded together, every order gives the same store.
			st, err := local.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), true)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if _, err := st.Load(context.Background(), dss, store.LoadOptions{}); err != nil {
				t.Fatal(err)
			}
			sub, err := st.Entities(context.Background(), []string{tc.want})
			if err != nil || len(sub) != 1 {
				t.Fatalf("%v %v", sub, err)
			}
			b, _ := json.Marshal(sub[0])
			if prev, ok := merged[len(tc.files)]; ok && prev != string(b) {
				t.Errorf("another entity than in an earlier order:\n%s\n%s", b, prev)
			}
			merged[len(tc.files)] = string(b)
		})
	}
}
