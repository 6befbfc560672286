package loader

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/internal/fixture"
	"github.com/aptgraph/aptgraph/render"
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

// TestSTIXKinds: tools, campaigns and personas are kinds of their own on
// import (ATT&CK tools were malware; OASIS's APT1 personas, threat actors
// attributed to a person, were organizations), and an aptgraph STIX export
// loads back with every kind as it was.
func TestSTIXKinds(t *testing.T) {
	bundle := `{"type": "bundle", "id": "bundle--1", "objects": [
 {"type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--ug", "name": "Ugly Gorilla", "threat_actor_types": ["nation-state"], "roles": ["agent", "malware-author"], "aliases": ["Greenfield", "JackWang"]},
 {"type": "identity", "spec_version": "2.1", "id": "identity--wd", "name": "Wang Dong", "identity_class": "individual"},
 {"type": "relationship", "spec_version": "2.1", "id": "relationship--1", "relationship_type": "attributed-to", "source_ref": "threat-actor--ug", "target_ref": "identity--wd"},
 {"type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--pla", "name": "PLA Unit 61398", "threat_actor_types": ["nation-state"]},
 {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--apt1", "name": "APT1"},
 {"type": "campaign", "spec_version": "2.1", "id": "campaign--c", "name": "Operation Test", "external_references": [{"source_name": "mitre-attack", "external_id": "C0001"}]},
 {"type": "relationship", "spec_version": "2.1", "id": "relationship--2", "relationship_type": "attributed-to", "source_ref": "campaign--c", "target_ref": "intrusion-set--apt1"},
 {"type": "tool", "spec_version": "2.1", "id": "tool--m", "name": "Mimikatz"},
 {"type": "malware", "spec_version": "2.1", "id": "malware--s", "name": "Seasalt", "is_family": true}
]}`
	f, diags := Parse("apt1.json", []byte(bundle))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	got := map[string]graph.Kind{}
	for _, e := range f.Dataset.Entities {
		got[e.Name] = e.Kind
	}
	want := map[string]graph.Kind{"Ugly Gorilla": graph.KindPersona, "Wang Dong": graph.KindPerson, "PLA Unit 61398": graph.KindOrganization,
		"APT1": graph.KindGroup, "Operation Test": graph.KindCampaign, "Mimikatz": graph.KindTool, "Seasalt": graph.KindMalware}
	for n, k := range want {
		if got[n] != k {
			t.Errorf("%s: %s, want %s", n, got[n], k)
		}
	}
	var attributed bool
	for _, r := range f.Dataset.Relationships {
		if r.Type == "ATTRIBUTED_TO" && r.From == "mitre-c0001" {
			attributed = true
		}
	}
	if !attributed {
		t.Errorf("the campaign's attribution to APT1 is missing: %+v", f.Dataset.Relationships)
	}

	// Every kind out to STIX and back.
	g := &graph.Subgraph{}
	for _, k := range graph.Kinds() {
		if k.Kind == graph.KindOther {
			continue
		}
		g.Nodes = append(g.Nodes, graph.Entity{ID: "e-" + string(k.Kind), Kind: k.Kind, Name: "An entity of kind " + string(k.Kind)})
	}
	back := exportAndParse(t, g)
	for _, e := range back.Dataset.Entities {
		if want := graph.Kind(strings.TrimPrefix(e.Name, "An entity of kind ")); e.Kind != want {
			t.Errorf("%s came back as %s", e.Name, e.Kind)
		}
	}
	if len(back.Dataset.Entities) != len(g.Nodes) {
		t.Errorf("%d entities came back of %d", len(back.Dataset.Entities), len(g.Nodes))
	}
}

// TestSTIXOutsideRefs: a bundle's relationship whose end is in another
// bundle — loaded before into the store, or in the same load — keeps it
// (OpenCTI's companies bundle points to the sectors bundle; its 31 links
// were lost); an end nobody holds is counted out.
func TestSTIXOutsideRefs(t *testing.T) {
	dir := t.TempDir()
	sectors := filepath.Join(dir, "sectors.json")
	companies := filepath.Join(dir, "companies.json")
	os.WriteFile(sectors, []byte(`{"type": "bundle", "id": "bundle--s", "objects": [
 {"type": "identity", "spec_version": "2.1", "id": "identity--energy", "name": "Energy", "identity_class": "class"}]}`), 0o600)
	os.WriteFile(companies, []byte(`{"type": "bundle", "id": "bundle--c", "objects": [
 {"type": "identity", "spec_version": "2.1", "id": "identity--acme", "name": "ACME Power", "identity_class": "organization"},
 {"type": "relationship", "spec_version": "2.1", "id": "relationship--1", "relationship_type": "part-of", "source_ref": "identity--acme", "target_ref": "identity--energy"},
 {"type": "relationship", "spec_version": "2.1", "id": "relationship--2", "relationship_type": "part-of", "source_ref": "identity--acme", "target_ref": "identity--nowhere"}]}`), 0o600)
	ctx := context.Background()
	rels := func(dss []*graph.Dataset) []string {
		var out []string
		for _, ds := range dss {
			for _, r := range ds.Relationships {
				out = append(out, r.From+" "+r.Type+" "+r.To)
			}
		}
		return out
	}
	t.Run("same load", func(t *testing.T) {
		dss, diags, err := ReadAll(ctx, []string{companies, sectors})
		if err != nil {
			t.Fatal(err, diags)
		}
		if got := strings.Join(rels(dss), "|"); got != "acme-power PART_OF energy" {
			t.Errorf("relationships %q", got)
		}
		var said bool
		for _, d := range diags {
			said = said || strings.Contains(d.Message, "1 of 2 relationships pointing outside the bundle found their ends in the store or another file; 1 left out")
		}
		if !said {
			t.Errorf("not reported: %v", diags)
		}
	})
	t.Run("store", func(t *testing.T) {
		st, err := local.Open(ctx, filepath.Join(dir, "s.db"), true)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		dss, _, err := ReadAll(ctx, []string{sectors})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Load(ctx, dss, store.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
		dss, _, err = ReadAllWith(ctx, []string{companies}, Options{Known: store.Known{Store: st}})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(rels(dss), "|"); got != "acme-power PART_OF energy" {
			t.Errorf("relationships %q", got)
		}
	})
}

// TestSTIXReport: a report is the cited source of every object and
// relationship it holds.
func TestSTIXReport(t *testing.T) {
	bundle := `{"type": "bundle", "id": "bundle--1", "objects": [
 {"type": "identity", "spec_version": "2.1", "id": "identity--pub", "name": "Example CERT", "identity_class": "organization"},
 {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--t", "name": "Tick"},
 {"type": "identity", "spec_version": "2.1", "id": "identity--jaxa", "name": "JAXA", "identity_class": "organization"},
 {"type": "relationship", "spec_version": "2.1", "id": "relationship--1", "relationship_type": "targets", "source_ref": "intrusion-set--t", "target_ref": "identity--jaxa", "confidence": 50},
 {"type": "report", "spec_version": "2.1", "id": "report--r", "name": "Tick targets JAXA", "published": "2021-04-20T00:00:00Z", "created_by_ref": "identity--pub",
  "object_refs": ["intrusion-set--t", "relationship--1"], "external_references": [{"source_name": "cert", "url": "https://cert.example/tick"}]}
]}`
	f, diags := Parse("r.json", []byte(bundle))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	var src graph.Source
	for _, s := range f.Dataset.Sources {
		if s.ID == "report-tick-targets-jaxa" {
			src = s
		}
	}
	if src.Publisher != "Example CERT" || src.Date != "2021-04-20" || src.URL != "https://cert.example/tick" {
		t.Errorf("report source %+v", src)
	}
	cites := func(list []string) bool { return strings.Contains(strings.Join(list, " "), "report-tick-targets-jaxa") }
	for _, e := range f.Dataset.Entities {
		if (e.Name == "Tick") != cites(e.Sources) {
			t.Errorf("%s cites %v", e.Name, e.Sources)
		}
	}
	if len(f.Dataset.Relationships) != 1 || !cites(f.Dataset.Relationships[0].Sources) {
		t.Errorf("relationships %+v", f.Dataset.Relationships)
	}
}

// TestImportSharedObject: two bundles of one load holding the same object
// described differently (ATT&CK ICS and Mobile share software) give the
// same entity in either order of the files: the first dataset by name
// keeps its words.
func TestImportSharedObject(t *testing.T) {
	dir := t.TempDir()
	write := func(name, desc string) string {
		p := filepath.Join(dir, name+".json")
		os.WriteFile(p, []byte(`{"type": "bundle", "id": "bundle--`+name+`", "objects": [
 {"type": "malware", "spec_version": "2.1", "id": "malware--x", "name": "X", "is_family": true, "description": "`+desc+`",
  "external_references": [{"source_name": "mitre-attack", "external_id": "S9999"}]}]}`), 0o600)
		return p
	}
	a, b := write("alpha", "as alpha says"), write("beta", "as beta says")
	for _, files := range [][]string{{a, b}, {b, a}} {
		dss, _, err := ReadAll(context.Background(), files)
		if err != nil {
			t.Fatal(err)
		}
		for _, ds := range dss {
			if len(ds.Entities) != 1 || ds.Entities[0].ID != "mitre-s9999" || ds.Entities[0].Description != "as alpha says" {
				t.Errorf("files %v: %s defines %+v", files, ds.Name, ds.Entities)
			}
		}
	}
}

// TestSTIXTLP: TLP markings come in from object_marking_refs (TLP 1.0's
// and TLP 2.0's predefined definitions, and a bundle's own), and an
// aptgraph export loads back with every marking.
func TestSTIXTLP(t *testing.T) {
	bundle := `{"type": "bundle", "id": "bundle--1", "objects": [
 {"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--own", "definition_type": "tlp", "definition": {"tlp": "green"}},
 {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--a", "name": "A", "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"]},
 {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--b", "name": "B", "object_marking_refs": ["marking-definition--own"]},
 {"type": "identity", "spec_version": "2.1", "id": "identity--v", "name": "V", "identity_class": "organization"},
 {"type": "relationship", "spec_version": "2.1", "id": "relationship--1", "relationship_type": "targets", "source_ref": "intrusion-set--a", "target_ref": "identity--v",
  "object_marking_refs": ["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]}
]}`
	f, diags := Parse("m.json", []byte(bundle))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	got := map[string]graph.TLP{}
	for _, e := range f.Dataset.Entities {
		got[e.Name] = e.TLP
	}
	if got["A"] != graph.TLPAmber || got["B"] != graph.TLPGreen || got["V"] != "" {
		t.Errorf("entity markings %v", got)
	}
	if len(f.Dataset.Relationships) != 1 || f.Dataset.Relationships[0].TLP != graph.TLPRed {
		t.Errorf("relationship %+v (red and green: the more restrictive)", f.Dataset.Relationships)
	}
	g := &graph.Subgraph{}
	for _, level := range graph.TLPNames() {
		g.Nodes = append(g.Nodes, graph.Entity{ID: "e-" + slug(level), Kind: graph.KindGroup, Name: level, TLP: graph.TLP(level)})
	}
	back := exportAndParse(t, g)
	for _, e := range back.Dataset.Entities {
		if string(e.TLP) != e.Name {
			t.Errorf("%s came back marked %q", e.Name, e.TLP)
		}
	}
}

// exportAndParse writes g as STIX and parses the bundle back.
func exportAndParse(t *testing.T, g *graph.Subgraph) *File {
	t.Helper()
	var out bytes.Buffer
	if err := render.STIX(&out, g); err != nil {
		t.Fatal(err)
	}
	back, diags := Parse("export.json", out.Bytes())
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	return back
}

// TestSTIXSectors: an identity of class "class" is a sector, which attacks
// target (a victim); an organization's sectors are an attribute.
func TestSTIXSectors(t *testing.T) {
	f, diags := Parse("s.json", []byte(`{"type": "bundle", "id": "bundle--1", "objects": [
 {"type": "identity", "spec_version": "2.1", "id": "identity--energy", "name": "Energy", "identity_class": "class"},
 {"type": "identity", "spec_version": "2.1", "id": "identity--acme", "name": "ACME", "identity_class": "organization", "sectors": ["energy", "utilities"]}]}`))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	for _, e := range f.Dataset.Entities {
		switch e.Name {
		case "Energy":
			if e.Kind != graph.KindVictim {
				t.Errorf("sector: %s", e.Kind)
			}
		case "ACME":
			if e.Kind != graph.KindOrganization || e.Attributes["sectors"] != "energy, utilities" {
				t.Errorf("ACME: %+v", e)
			}
		}
	}
}

// TestSTIXOwnPropertiesChecked: a bundle that claims to be an aptgraph
// export is input like any other: ids must be ids, sources its own,
// citations and alias sources of those sources, kinds and roles real.
func TestSTIXOwnPropertiesChecked(t *testing.T) {
	f, diags := Parse("h.json", []byte(`{"type": "bundle", "id": "bundle--1", "objects": [
 {"type": "x-aptgraph-source", "spec_version": "2.1", "id": "x-aptgraph-source--1", "x_aptgraph_id": "s1", "publisher": "P"},
 {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--1", "name": "G", "x_aptgraph_id": "g",
  "x_aptgraph_kind": "dragon", "x_aptgraph_roles": ["victim", "dragon"], "aliases": ["A"], "x_aptgraph_sources": ["s1", "nope"],
  "x_aptgraph_alias_sources": {"A": ["s1", "nope"], "B": ["s1"]}},
 {"type": "identity", "spec_version": "2.1", "id": "identity--1", "name": "V", "identity_class": "organization", "x_aptgraph_id": "v"},
 {"type": "identity", "spec_version": "2.1", "id": "identity--2", "name": "H", "identity_class": "organization", "x_aptgraph_id": "Not An Id!"},
 {"type": "relationship", "spec_version": "2.1", "id": "relationship--1", "relationship_type": "targets", "source_ref": "intrusion-set--1", "target_ref": "identity--1",
  "x_aptgraph_sources": ["s1", "nope"], "x_aptgraph_citations": [{"source": "s1", "confidence": "sure"}, {"source": "nope"}, {"source": "s1", "locator": "p. 1"}]}
]}`))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	var g graph.Entity
	for _, e := range f.Dataset.Entities {
		if e.Name == "G" {
			g = e
		}
		if e.Name == "H" && !graph.IDPattern.MatchString(e.ID) {
			t.Errorf("H took the id %q", e.ID)
		}
	}
	if g.ID != "g" || g.Kind != graph.KindGroup || fmt.Sprint(g.Roles) != "[victim]" || fmt.Sprint(g.Sources) != "[s1]" || fmt.Sprint(g.AliasSources) != "map[A:[s1]]" {
		t.Errorf("entity %+v", g)
	}
	if len(f.Dataset.Relationships) != 1 {
		t.Fatalf("relationships %+v", f.Dataset.Relationships)
	}
	r := f.Dataset.Relationships[0]
	if fmt.Sprint(r.Sources) != "[s1]" || len(r.Citations) != 1 || r.Citations[0].Locator != "p. 1" {
		t.Errorf("relationship %+v", r)
	}
}
