package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aptgraph/aptgraph/internal/fixture"
)

// TestSTIXRoundTrip: a store exported as STIX and loaded into an empty
// store gives back the same store — ids, kinds, names, aliases, countries,
// attributes, external ids, sources with their ids and dates, citations,
// confidence, dates as written, via and TLP — so the two STIX exports are
// byte for byte the same, and so are the JSON exports but for the datasets
// that hold the items (the second store has one, the bundle). (Kinds,
// identity aliases and citations changed, and path PLA JAXA then failed.)
func TestSTIXRoundTrip(t *testing.T) {
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first.db"), filepath.Join(dir, "second.db")
	tlp := filepath.Join(dir, "marked.yaml")
	os.WriteFile(tlp, []byte(`dataset: marked
tlp: amber
sources:
  - {id: closed, publisher: Closed Briefing, date: 2022-03, tlp: red}
entities:
  - {id: persona-x, kind: persona, name: Persona X, aliases: [PX, {name: "Persona Ten", sources: [closed]}], country: RU, attributes: {handle: "@px"}, roles: [victim]}
  - {id: op-x, kind: campaign, name: Operation X}
  - {id: tool-x, kind: tool, name: Tool X, tlp: green}
relationships:
  - {from: op-x, type: ATTRIBUTED_TO, to: tick, confidence: suspected, start: 2019, end: 2020-06, sources: [closed]}
  - {from: persona-x, type: LEAKED_TO, to: jaxa, confidence: confirmed, sources: [closed], description: "as the briefing says"}
  - {from: persona-x, type: PAID, to: tool-x, confidence: alleged, sources: [closed], attributes: {amount: "0.5", currency: BTC, means: bitcoin}}
  - from: tool-x
    type: HOSTED_ON
    to: persona-x
    sources: [{id: closed, confidence: reported, quote: "ran on its server", locator: "p. 2"}]
`), 0o644)
	mustRun(t, "--db", first, "load", filepath.Join("..", "..", "testdata", "tick-2021.yaml"))
	mustRun(t, "--db", first, "load", fixture.Path(t, "attack-g0060-bronze-butler.stix21.json"), tlp)
	bundle := filepath.Join(dir, "export.json")
	mustRun(t, "--db", first, "export", "--format", "stix", "-o", bundle)
	mustRun(t, "--db", second, "load", bundle)
	a := mustRun(t, "--db", first, "export", "--format", "stix")
	b := mustRun(t, "--db", second, "export", "--format", "stix")
	if a != b {
		os.WriteFile(filepath.Join(dir, "a.json"), []byte(a), 0o644)
		os.WriteFile(filepath.Join(dir, "b.json"), []byte(b), 0o644)
		t.Errorf("the STIX export of the reloaded store differs (diff %s/a.json %s/b.json)", dir, dir)
	}
	strip := func(s string) string {
		var g map[string]any
		if err := json.Unmarshal([]byte(s), &g); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"nodes", "relationships", "sources"} {
			items, _ := g[k].([]any)
			for _, it := range items {
				delete(it.(map[string]any), "datasets")
			}
		}
		out, _ := json.MarshalIndent(g, "", " ")
		return string(out)
	}
	if ja, jb := strip(mustRun(t, "--db", first, "export", "--format", "json")), strip(mustRun(t, "--db", second, "export", "--format", "json")); ja != jb {
		os.WriteFile(filepath.Join(dir, "a.json"), []byte(ja), 0o644)
		os.WriteFile(filepath.Join(dir, "b.json"), []byte(jb), 0o644)
		t.Errorf("the JSON export of the reloaded store differs (diff %s/a.json %s/b.json)", dir, dir)
	}
	if out := mustRun(t, "--db", second, "path", "PLA", "JAXA", "--limit", "1"); out == "" {
		t.Error("path PLA JAXA found nothing in the reloaded store")
	}
}
