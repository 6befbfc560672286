package loader

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/internal/fixture"
	"github.com/aptgraph/aptgraph/internal/hostile"
)

var update = flag.Bool("update", false, "rewrite golden files")

const valid = `dataset: t
sources:
  - {id: s1, publisher: NHK, date: 2021-04-20}
entities:
  - {id: pla, kind: organization, name: PLA}
  - {id: tick, kind: group, name: Tick}
relationships:
  - {from: pla, type: DIRECTED, to: tick, confidence: alleged, sources: [s1]}
`

func TestParseValid(t *testing.T) {
	for _, name := range []string{"t.yaml", "t.json"} {
		data := []byte(valid)
		if strings.HasSuffix(name, ".json") {
			data = []byte(`{"dataset": "t",
 "sources": [{"id": "s1", "publisher": "NHK", "date": "2021-04-20"}],
 "entities": [{"id": "pla", "kind": "organization", "name": "PLA"}, {"id": "tick", "kind": "group", "name": "Tick"}],
 "relationships": [{"from": "pla", "type": "DIRECTED", "to": "tick", "confidence": "alleged", "sources": ["s1"]}]}`)
		}
		f, diags := Parse(name, data)
		diags = append(diags, CrossCheck([]*File{f})...)
		if len(diags) != 0 {
			t.Errorf("%s: unexpected diagnostics: %v", name, diags)
		}
		if f.Dataset.Name != "t" || len(f.Dataset.Entities) != 2 || f.Dataset.Relationships[0].Confidence != "alleged" {
			t.Errorf("%s: parsed %+v", name, f.Dataset)
		}
	}
}

// TestDiagnostics covers every kind of mistake the issue lists: each input
// must give exactly the listed diagnostics, with their positions.
func TestDiagnostics(t *testing.T) {
	cases := []struct {
		name string
		file string
		in   string
		want []string // "line:col: severity: message fragment"
	}{
		{"empty file", "e.yaml", "", []string{"1:1: error: file is empty"}},
		{"long-form sources", "e.yaml", strings.Replace(valid, "confidence: alleged, sources: [s1]", "sources: [{id: s1, confidence: reported, page: 3}, [x], {quote: x}]", 1),
			[]string{`8:84: error: unknown field "page" in source citation`, `8:94: error: bad source: a list`, `8:99: error: source citation is missing required field "id"`}},
		{"no confidence anywhere", "e.yaml", strings.Replace(valid, "confidence: alleged, sources: [s1]", "sources: [{id: s1, quote: x}]", 1),
			[]string{`8:5: error: relationship is missing required field "confidence"`}},
		{"long-form alias", "e.yaml", strings.Replace(valid, "kind: group", "kind: group, aliases: [{name: TG, sources: [s9]}, {sources: [s1]}]", 1),
			[]string{`6:5: error: source "s9" is not defined`, `6:66: error: alias is missing required field "name"`}},
		{"unknown role", "e.yaml", strings.Replace(valid, "kind: group", "kind: group, roles: [victim, dragon, group]", 1),
			[]string{`6:45: error: unknown role "dragon": a role is another kind`, `6:53: error: role "group" is the entity's own kind`}},
		{"a value over 1 MiB", "e.yaml", "dataset: t\ndescription: " + strings.Repeat("x", MaxString+1) + "\n",
			[]string{"2:14: error: a value of 1048577 bytes; one value may hold at most 1 MiB"}},
		{"a key over 1 MiB", "e.json", `{"dataset": "t", "` + strings.Repeat("k", MaxString+1) + `": 1}`,
			[]string{"1:18: error: a value of 1048577 bytes; one value may hold at most 1 MiB"}},
		{"only comments", "e.yaml", "# nothing\n", []string{"1:1: error: file is empty"}},
		{"wrong top-level shape", "e.yaml", "- a\n- b\n", []string{"1:1: error: wrong top-level shape: found a list"}},
		{"yaml syntax", "e.yaml", "dataset: t\nentities: [\n", []string{"2:1: error: invalid YAML"}},
		{"json syntax", "e.json", "{\"dataset\": \"t\",\n \"entities\": [}\n", []string{"2:16: error: invalid JSON"}},
		{"unknown field with suggestion", "e.yaml", strings.Replace(valid, "{id: pla, kind", "{id: pla, knd: organization, kind", 1),
			[]string{`5:15: error: unknown field "knd" in entity; did you mean "kind"?`}},
		{"unknown top-level field", "e.yaml", "datset: t\n" + valid[len("dataset: t\n"):],
			[]string{`1:1: error: unknown field "datset"`, `1:1: error: dataset file is missing required field "dataset"`}},
		{"unknown kind", "e.yaml", strings.Replace(valid, "kind: group", "kind: grup", 1),
			[]string{`6:22: error: unknown kind "grup"; did you mean "group"?`}},
		{"duplicate entity id", "e.yaml", strings.Replace(valid, "{id: tick, kind: group", "{id: pla, kind: group", 1),
			[]string{`6:10: error: duplicate entity id "pla" (first defined at line 5)`, `8:37: error: to: entity "tick" is not defined`}},
		{"undefined entity", "e.yaml", strings.Replace(valid, "to: tick", "to: tik", 1),
			[]string{`8:37: error: to: entity "tik" is not defined; did you mean "tick"?`}},
		{"undefined source", "e.yaml", strings.Replace(valid, "sources: [s1]", "sources: [s2]", 1),
			[]string{`3:5: warning: source "s1" is never cited`, `8:74: error: source "s2" is not defined; did you mean "s1"?`}},
		{"malformed type", "e.yaml", strings.Replace(valid, "DIRECTED", "directed by", 1),
			[]string{`8:23: error: malformed relationship type "directed by"`}},
		{"type outside vocabulary", "e.yaml", strings.Replace(valid, "DIRECTED", "DIRECTD", 1),
			[]string{`8:23: warning: relationship type DIRECTD is not in the vocabulary; did you mean DIRECTED?`}},
		{"unknown confidence", "e.yaml", strings.Replace(valid, "alleged", "allegedly", 1),
			[]string{`8:55: error: unknown confidence "allegedly"; did you mean "alleged"?`}},
		{"malformed date", "e.yaml", strings.Replace(valid, "2021-04-20", "20/04/2021", 1),
			[]string{`3:36: error: malformed date`}},
		{"impossible date", "e.yaml", strings.Replace(valid, "2021-04-20", "2021-02-30", 1),
			[]string{`3:36: error: malformed date: date "2021-02-30" is not a real date`}},
		{"missing required field", "e.yaml", strings.Replace(valid, ", name: Tick", "", 1),
			[]string{`6:5: error: entity is missing required field "name"`}},
		{"missing sources", "e.yaml", strings.Replace(valid, ", sources: [s1]", "", 1),
			[]string{`3:5: warning: source "s1" is never cited`, `8:5: error: relationship is missing required field "sources"`}},
		{"empty sources", "e.yaml", strings.Replace(valid, "sources: [s1]}", "sources: []}", 1),
			[]string{`3:5: warning: source "s1" is never cited`, `8:73: error: relationship has an empty sources list`}},
		{"malformed id", "e.yaml", strings.Replace(valid, "{id: pla,", "{id: Pla Army,", 1),
			[]string{`5:10: error: malformed id "Pla Army"`, `8:12: error: from: entity "pla" is not defined`}},
		{"section not a list", "e.yaml", "dataset: t\nentities: {id: x}\n", []string{`2:11: error: entities must be a list, found a mapping`}},
		{"duplicate relationship", "e.yaml", valid + "  - {from: pla, type: DIRECTED, to: tick, confidence: reported, sources: [s1]}\n",
			[]string{`9:5: error: duplicate relationship pla -[DIRECTED]-> tick (first at line 8)`}},
		{"end before start", "e.yaml", strings.Replace(valid, "sources: [s1]}", "sources: [s1], start: 2017, end: 2016}", 1),
			[]string{`8:97: error: end 2016 is before start 2017`}},
		{"non-http url", "e.yaml", strings.Replace(valid, "date: 2021-04-20}", "date: 2021-04-20, url: 'javascript:alert(1)'}", 1),
			[]string{`3:53: error: url "javascript:alert(1)" is not an http(s) URL`}},
		{"url with a quote", "e.yaml", strings.Replace(valid, "date: 2021-04-20}", `date: 2021-04-20, url: 'https://x/?q="><script>'}`, 1),
			[]string{`3:53: error: url holds "\"", which a URL may not hold as it is; percent-encode it as RFC 3986 says (%22…)`}},
		{"url with non-ASCII", "e.yaml", strings.Replace(valid, "date: 2021-04-20}", `date: 2021-04-20, url: "https://x/宇宙"}`, 1),
			[]string{`3:53: error: url holds non-ASCII text`}},
		{"aliases not a list", "e.yaml", strings.Replace(valid, "name: PLA}", "name: PLA, aliases: PLA}", 1),
			[]string{`5:55: error: expected a list, found the value "PLA"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, diags := Parse(c.file, []byte(c.in))
			diags = append(diags, CrossCheck([]*File{f})...)
			diags.sort()
			var got []string
			for _, d := range diags {
				got = append(got, strings.TrimPrefix(d.String(), c.file+":"))
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(c.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], c.want[i]) {
					t.Errorf("diagnostic %d:\n got  %s\n want %s…", i, got[i], c.want[i])
				}
			}
		})
	}
}

func TestReadAllReportsEveryFile(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.yaml")
	b := filepath.Join(dir, "b.yaml")
	os.WriteFile(a, []byte(strings.Replace(valid, "kind: group", "kind: grup", 1)), 0o644)
	os.WriteFile(b, []byte("dataset: b\nentities:\n  - {id: x, kind: victim}\n"), 0o644)
	ds, diags, err := ReadAll(context.Background(), []string{a, b})
	var ve *ValidationError
	if !errors.As(err, &ve) || ds != nil {
		t.Fatalf("want a ValidationError and no datasets, got %v", err)
	}
	files := map[string]bool{}
	for _, d := range diags {
		files[d.File] = true
	}
	if !files[a] || !files[b] {
		t.Errorf("diagnostics should cover both files: %v", diags)
	}
}

func TestCrossFileReferences(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.yaml")
	b := filepath.Join(dir, "b.yaml")
	os.WriteFile(a, []byte(valid), 0o644)
	os.WriteFile(b, []byte("dataset: b\nentities:\n  - {id: jaxa, kind: victim, name: JAXA}\nrelationships:\n  - {from: tick, type: ATTACKED, to: jaxa, confidence: alleged, sources: [s1]}\n"), 0o644)
	ds, diags, err := ReadAll(context.Background(), []string{a, b})
	if err != nil || len(ds) != 2 {
		t.Fatalf("cross-file references: %v %v", err, diags)
	}
}

func TestTickCaseIsValid(t *testing.T) {
	ds, diags, err := ReadAll(context.Background(), []string{"../testdata/tick-2021.yaml"})
	if err != nil {
		t.Fatalf("tick case: %v", err)
	}
	if len(diags) != 0 {
		t.Errorf("tick case has diagnostics: %v", diags)
	}
	if len(ds[0].Entities) < 15 || len(ds[0].Relationships) < 20 {
		t.Errorf("tick case looks incomplete: %d entities, %d relationships", len(ds[0].Entities), len(ds[0].Relationships))
	}
}

// TestSchemaFile keeps loader/dataset.schema.json equal to Schema(); run
// with -update to rewrite it.
func TestSchemaFile(t *testing.T) {
	const path = "dataset.schema.json"
	if *update {
		if err := os.WriteFile(path, Schema(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, Schema()) {
		t.Errorf("%s is out of date; run go test ./loader -update", path)
	}
}

// fuzzSeeds are the seed corpus of the parser fuzz targets; crashers found
// by fuzzing are added here (and to testdata/fuzz) as regression cases.
var fuzzSeeds = []string{
	valid,
	`{"dataset":"t","entities":[{"id":"a","kind":"group","name":"A"}]}`,
	"dataset: [\n",
	"- a\n",
	"dataset: t\nrelationships:\n  - {from: a, type: X, to: b, confidence: alleged, sources: [s], start: 2017, end: 20}\n",
	"a: &x [*x]\n",
	"dataset: t\nentities:\n  - {id: a, kind: group, name: \"\\0\\u202e\", aliases: [\"\\t\"]}\n",
	`{"dataset": "t", "sources": [{"id": "s", "publisher": "p", "url": "javascript:x"}], "relationships": [{}]}`,
	"dataset: t\nentities: !!map {}\n",
	"\ufeffdataset: t\n",
	`{"type": "bundle", "id": "bundle--1", "objects": [{"type": "intrusion-set", "id": "intrusion-set--1", "name": "X", "aliases": ["Y"], "external_references": [{"source_name": "mitre-attack", "external_id": "G1"}]}, {"type": "malware", "id": "malware--1", "name": "M"}, {"type": "relationship", "id": "relationship--1", "relationship_type": "uses", "source_ref": "intrusion-set--1", "target_ref": "malware--1", "confidence": 55}, {"type": "location", "id": "location--1", "country": "JP"}, {"type": "relationship", "id": "relationship--2", "relationship_type": "located-at", "source_ref": "intrusion-set--1", "target_ref": "location--1"}]}`,
	`{"type": "bundle", "objects": [{"type": "identity", "id": "i", "identity_class": "individual"}, {"type": "relationship", "relationship_type": "targets", "source_ref": "x", "target_ref": "i"}, 7, null]}`,
	// MISP galaxies.
	`{"name": "Threat Actor", "type": "threat-actor", "uuid": "u", "version": 1, "values": [{"value": "Tick", "uuid": "a", "meta": {"synonyms": ["PLA Unit 61419", "G0060"], "country": "CN", "cfr-suspected-state-sponsor": "China", "attribution-confidence": "50", "cfr-suspected-victims": ["Japan"], "refs": ["https://x/", "not a url"]}, "related": [{"dest-uuid": "b", "type": "similar"}]}, {"value": "B", "uuid": "b", "meta": {"synonyms": "one"}}]}`,
	`{"type": "x", "uuid": "u", "values": [{"value": "", "uuid": ""}, 7, {"value": "A", "uuid": "a", "meta": {"refs": [1, 2], "country": ["C", "N"]}, "related": [{"dest-uuid": "a", "type": "similar"}]}]}`,
}

func fuzzParse(f *testing.F, name string) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, diags := Parse(name, data)
		if file == nil {
			t.Fatal("nil file")
		}
		diags = append(diags, CrossCheck([]*File{file})...)
		for _, d := range diags {
			if d.Line < 1 || d.Column < 1 || d.Message == "" {
				t.Fatalf("diagnostic without a position or message: %+v", d)
			}
		}
		if diags.Errors() == 0 {
			// What validates must survive normalisation and hashing.
			ds := file.Dataset
			ds.Normalize()
			for _, e := range ds.Entities {
				if !e.Kind.Valid() || e.ID == "" || e.Name == "" {
					t.Fatalf("invalid entity passed validation: %+v", e)
				}
			}
		}
	})
}

// FuzzParseYAML and FuzzParseJSON: no input panics the parser, every
// diagnostic has a position, and whatever validates is well-formed.
func FuzzParseYAML(f *testing.F) { fuzzParse(f, "f.yaml") }

// FuzzParseJSON is FuzzParseYAML for .json files (strict JSON first).
func FuzzParseJSON(f *testing.F) { fuzzParse(f, "f.json") }

// TestHostileStrings: every corpus string is rejected as an id or a type
// with a clear message, and accepted, unchanged, as a name, alias,
// description or source title.
func TestHostileStrings(t *testing.T) {
	for _, h := range hostile.Strings() {
		t.Run(h.Name, func(t *testing.T) {
			bad := map[string]any{
				"dataset":       "t",
				"sources":       []any{map[string]any{"id": "s", "publisher": "P"}},
				"entities":      []any{map[string]any{"id": h.Value, "kind": "group", "name": "X"}, map[string]any{"id": "v", "kind": "victim", "name": "V"}},
				"relationships": []any{map[string]any{"from": "v", "type": h.Value, "to": "v", "confidence": "alleged", "sources": []any{"s"}}},
			}
			data, _ := json.Marshal(bad)
			_, diags := Parse("h.json", data)
			var msgs []string
			for _, d := range diags {
				msgs = append(msgs, d.Message)
			}
			all := strings.Join(msgs, "\n")
			// Some hostile strings are well-formed ids ("true", "2021-04-20"
			// are ids like any slug): only the others must be refused.
			if !graph.IDPattern.MatchString(h.Value) && !strings.Contains(all, "malformed id") || !strings.Contains(all, "malformed relationship type") {
				t.Errorf("hostile id/type not rejected clearly: %s", clip(all))
			}
			good := map[string]any{
				"dataset":       "t",
				"sources":       []any{map[string]any{"id": "s", "publisher": h.Value, "title": h.Value}},
				"entities":      []any{map[string]any{"id": "g", "kind": "group", "name": h.Value, "aliases": []any{h.Value}, "description": h.Value, "attributes": map[string]any{h.Value: h.Value}}, map[string]any{"id": "v", "kind": "victim", "name": "V"}},
				"relationships": []any{map[string]any{"from": "g", "type": "ATTACKED", "to": "v", "confidence": "alleged", "sources": []any{"s"}, "description": h.Value}},
			}
			data, _ = json.Marshal(good)
			f, diags := Parse("h.json", data)
			diags = append(diags, CrossCheck([]*File{f})...)
			if diags.Errors() > 0 {
				t.Fatalf("hostile value rejected: %v", diags)
			}
			e := f.Dataset.Entities[0]
			if e.Name != h.Value || e.Description != h.Value || e.Aliases[0] != h.Value || e.Attributes[h.Value] != h.Value ||
				f.Dataset.Sources[0].Title != h.Value || f.Dataset.Relationships[0].Description != h.Value {
				t.Errorf("value changed by parsing")
			}
		})
	}
}

// attackFixture is MITRE ATT&CK's BRONZE BUTLER bundle in shared/. In CI
// it must be there: a missing fixture fails rather than skips.
func attackFixture(t *testing.T) string {
	t.Helper()
	return fixture.Path(t, "attack-g0060-bronze-butler.stix21.json")
}

func TestSTIXImport(t *testing.T) {
	ds, diags, err := ReadAll(context.Background(), []string{attackFixture(t)})
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	kinds := map[string]int{}
	for _, e := range d.Entities {
		kinds[string(e.Kind)]++
	}
	// ATT&CK's software: malware and tools each their own kind.
	if kinds["group"] != 1 || kinds["malware"] != 7 || kinds["tool"] != 7 || len(d.Entities) != 15 {
		t.Errorf("entities by kind: %v", kinds)
	}
	g := d.Entities[0]
	for _, e := range d.Entities {
		if e.Kind == "group" {
			g = e
		}
	}
	if g.ID != "mitre-g0060" || g.Name != "BRONZE BUTLER" || g.ExternalIDs["mitre-attack"] != "G0060" ||
		strings.Join(g.Aliases, ",") != "REDBALDKNIGHT,Tick" || strings.Contains(g.Description, "Citation") {
		t.Errorf("intrusion set mapped to %+v", g)
	}
	if len(d.Relationships) != 14 {
		t.Errorf("%d relationships, want the 14 uses of software", len(d.Relationships))
	}
	for _, r := range d.Relationships {
		if r.From != "mitre-g0060" || r.Type != "USED" || r.Confidence != graph.Reported || len(r.Sources) == 0 {
			t.Errorf("relationship %+v", r)
		}
	}
	var info []string
	for _, x := range diags {
		if x.Severity == Info {
			info = append(info, x.Message)
		}
	}
	want := "not mapped (kept out; --include TYPE keeps them): attack-pattern 40, identity (creator) 1, marking-definition 1; 40 relationships left out"
	if !strings.Contains(strings.Join(info, "\n"), want) {
		t.Errorf("report %q lacks %q", info, want)
	}
}

// TestSTIXMatchesKnown: the ATT&CK group matches the Tick case's Tick (by
// alias and kind, or by the external id), and takes its id; its software
// hangs off tick.
func TestSTIXMatchesKnown(t *testing.T) {
	ds, _, err := ReadAll(context.Background(), []string{"../testdata/tick-2021.yaml", attackFixture(t)})
	if err != nil {
		t.Fatal(err)
	}
	groups := 0
	for _, d := range ds {
		for _, e := range d.Entities {
			if e.Kind == graph.KindGroup {
				groups++
				if e.ID != "tick" || e.Name != "Tick" || !strings.Contains(strings.Join(e.Aliases, ","), "BRONZE BUTLER") {
					t.Errorf("group %+v", e)
				}
			}
		}
	}
	if groups != 2 { // the same merged entity, in both datasets
		t.Errorf("%d group definitions, want tick in both datasets", groups)
	}
	for _, r := range ds[0].Relationships {
		if r.From == "mitre-g0060" {
			t.Errorf("relationship still on the ATT&CK id: %+v", r)
		}
	}
	cases := []struct {
		in, known graph.Entity
		want      bool
	}{
		{graph.Entity{Kind: "group", Name: "X", ExternalIDs: map[string]string{"mitre-attack": "G0060"}}, graph.Entity{ID: "t", Kind: "group", Name: "Y", ExternalIDs: map[string]string{"mitre-attack": "G0060"}}, true},
		{graph.Entity{Kind: "group", Name: "Tick"}, graph.Entity{ID: "t", Kind: "group", Name: "TICK"}, true},
		{graph.Entity{Kind: "malware", Name: "Tick"}, graph.Entity{ID: "t", Kind: "group", Name: "Tick"}, false},
		{graph.Entity{Kind: "group", Name: "Other", Aliases: []string{"bronze butler"}}, graph.Entity{ID: "t", Kind: "group", Name: "Tick", Aliases: []string{"BRONZE BUTLER"}}, true},
		{graph.Entity{Kind: "group", Name: "Other"}, graph.Entity{ID: "t", Kind: "group", Name: "Tick"}, false},
	}
	for _, c := range cases {
		if got := sameEntity(c.in, c.known); got != c.want {
			t.Errorf("sameEntity(%+v, %+v) = %v", c.in, c.known, got)
		}
	}
}

// TestSTIXMapping covers the mappings the ATT&CK fixture lacks.
func TestSTIXMapping(t *testing.T) {
	bundle := `{"type": "bundle", "id": "bundle--1", "objects": [
 {"type": "identity", "spec_version": "2.1", "id": "identity--creator", "name": "Example CTI", "identity_class": "organization"},
 {"type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--state", "name": "State X", "threat_actor_types": ["nation-state"], "created_by_ref": "identity--creator"},
 {"type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--spy", "name": "Agent Y", "threat_actor_types": ["spy"], "created_by_ref": "identity--creator"},
 {"type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--crew", "name": "Crew Z", "threat_actor_types": ["crime-syndicate"], "roles": ["sponsor"], "created_by_ref": "identity--creator"},
 {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--g", "name": "Group G", "created_by_ref": "identity--creator"},
 {"type": "identity", "spec_version": "2.1", "id": "identity--victim", "name": "Victim V", "identity_class": "organization", "created_by_ref": "identity--creator"},
 {"type": "identity", "spec_version": "2.1", "id": "identity--person", "name": "Person P", "identity_class": "individual", "created_by_ref": "identity--creator"},
 {"type": "infrastructure", "spec_version": "2.1", "id": "infrastructure--s", "name": "Server S", "created_by_ref": "identity--creator"},
 {"type": "location", "spec_version": "2.1", "id": "location--jp", "country": "JP"},
 {"type": "indicator", "spec_version": "2.1", "id": "indicator--i", "pattern": "[x:y = 1]", "pattern_type": "stix"},
 {"type": "relationship", "spec_version": "2.1", "id": "relationship--1", "relationship_type": "targets", "source_ref": "intrusion-set--g", "target_ref": "identity--victim", "confidence": 85, "start_time": "2016-05-01T00:00:00Z", "created_by_ref": "identity--creator"},
 {"type": "relationship", "spec_version": "2.1", "id": "relationship--2", "relationship_type": "attributed-to", "source_ref": "intrusion-set--g", "target_ref": "threat-actor--state", "confidence": 45, "created_by_ref": "identity--creator"},
 {"type": "relationship", "spec_version": "2.1", "id": "relationship--3", "relationship_type": "uses", "source_ref": "intrusion-set--g", "target_ref": "infrastructure--s", "confidence": 10, "created_by_ref": "identity--creator"},
 {"type": "relationship", "spec_version": "2.1", "id": "relationship--4", "relationship_type": "located-at", "source_ref": "infrastructure--s", "target_ref": "location--jp"},
 {"type": "relationship", "spec_version": "2.1", "id": "relationship--5", "relationship_type": "indicates", "source_ref": "indicator--i", "target_ref": "intrusion-set--g"},
 {"type": "relationship", "spec_version": "2.1", "id": "relationship--6", "relationship_type": "impersonates", "source_ref": "threat-actor--spy", "target_ref": "identity--person", "confidence": 65, "created_by_ref": "identity--creator"}
]}`
	f, diags := Parse("b.json", []byte(bundle))
	diags = append(diags, CrossCheck([]*File{f})...)
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	kinds := map[string]graph.Kind{}
	for _, e := range f.Dataset.Entities {
		kinds[e.Name] = e.Kind
		if e.Name == "Server S" && e.Attributes["location"] != "JP" {
			t.Errorf("located-at not kept as an attribute: %v", e.Attributes)
		}
	}
	want := map[string]graph.Kind{"State X": "organization", "Agent Y": "person", "Crew Z": "organization", "Group G": "group",
		"Victim V": "victim", "Person P": "person", "Server S": "server", "JP": "location"}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("kinds %v, want %v", kinds, want)
	}
	rels := map[string]graph.Relationship{}
	for _, r := range f.Dataset.Relationships {
		rels[r.Type] = r
	}
	if r, ok := rels["LOCATED_AT"]; !ok || r.From != "server-s" {
		t.Errorf("located-at is not a relationship to the location: %+v", rels)
	}
	for typ, c := range map[string]graph.Confidence{"TARGETED": "confirmed", "ATTRIBUTED_TO": "alleged", "USED": "suspected", "IMPERSONATES": "reported"} {
		if rels[typ].Confidence != c {
			t.Errorf("%s: confidence %q, want %q", typ, rels[typ].Confidence, c)
		}
	}
	if r := rels["ATTRIBUTED_TO"]; r.From != "group-g" || r.To != "state-x" {
		t.Errorf("attributed-to reversed or remapped: %+v", r)
	}
	if r := rels["TARGETED"]; r.Start != "2016-05-01" || r.Sources[0] != "stix-creator-example-cti" {
		t.Errorf("targets: %+v", r)
	}
	if f.STIX.Unmapped["indicator"] != 1 || f.STIX.DroppedRels != 1 || f.STIX.Unmapped["identity (creator)"] != 1 {
		t.Errorf("report: %+v", f.STIX)
	}
}

// TestEntityInTwoFiles: two files may define one entity (it is merged on
// load) but not with two kinds.
func TestEntityInTwoFiles(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.yaml")
	b := filepath.Join(dir, "b.yaml")
	c := filepath.Join(dir, "c.yaml")
	os.WriteFile(a, []byte("dataset: a\nsources: [{id: s, publisher: P}]\nentities: [{id: x, kind: group, name: X, aliases: [A], sources: [s]}]\n"), 0o644)
	os.WriteFile(b, []byte("dataset: b\nsources: [{id: s, publisher: P}]\nentities: [{id: x, kind: group, name: X, aliases: [B], sources: [s]}]\n"), 0o644)
	os.WriteFile(c, []byte("dataset: c\nsources: [{id: s, publisher: P}]\nentities: [{id: x, kind: victim, name: X, sources: [s]}]\n"), 0o644)
	if _, diags, err := ReadAll(context.Background(), []string{a, b}); err != nil {
		t.Errorf("same entity, same kind in two files: %v %v", err, diags)
	}
	_, diags, err := ReadAll(context.Background(), []string{a, c})
	if err == nil || !strings.Contains(diags[0].Message, `entity "x" is a victim here and a group in`) {
		t.Errorf("two kinds: want an error, got %v %v", err, diags)
	}
}
