package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// hostileFile is one case of testdata/hostile-files.json: a file no
// aptgraph should accept, and what its error must name.
type hostileFile struct {
	Name   string `json:"name"`
	File   string `json:"file"`
	Text   string `json:"text"`
	Base64 string `json:"base64"`
	Want   string `json:"want"`
}

// TestHostileFiles runs the corpus of hostile files (billion laughs, deep
// nesting, duplicate keys, tags, bad encodings, injections in ids and
// types, dangling references in YAML, JSON, STIX and JSON Lines) through
// check and load, on the embedded store and on Neo4j: each is refused
// with exit 2 and its file (and line, where it has one), never a panic,
// and a refused load leaves the store as it was.
func TestHostileFiles(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "hostile-files.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []hostileFile
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tick := filepath.Join("..", "..", "testdata", "tick-2021.yaml")
	embedded := filepath.Join(dir, "store.db")
	mustRun(t, "--db", embedded, "load", tick)
	before := mustRun(t, "--db", embedded, "export", "--format", "json")
	datasets := func(db string) []string {
		var st struct{ Datasets []string }
		if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "stats", "--format", "json")), &st); err != nil {
			t.Fatal(err)
		}
		return st.Datasets
	}
	stores := []string{embedded}
	if uri := neo().URI; uri != "" {
		stores = append(stores, uri)
	} else if os.Getenv("APTGRAPH_REQUIRE_NEO4J") == "1" {
		neo().Require(t) // fails, saying why
	}
	var neoBefore []string
	if len(stores) > 1 {
		neoBefore = datasets(stores[1])
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			data := []byte(c.Text)
			if c.Base64 != "" {
				if data, err = base64.StdEncoding.DecodeString(c.Base64); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(dir, c.File)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"check", path}, {"--db", stores[0], "load", path}} {
				r := run(t, nil, args...)
				if r.code != 2 || !strings.Contains(r.stderr, c.Want) || strings.Contains(r.stderr, "panic") {
					t.Errorf("%s: exit %d, stderr %q; want exit 2 naming %q", args[len(args)-2], r.code, clip(r.stderr), c.Want)
				}
			}
			for _, db := range stores[1:] {
				r := run(t, nil, "--db", db, "load", path)
				if r.code != 2 {
					t.Errorf("load into Neo4j: exit %d, %q", r.code, clip(r.stderr))
				}
			}
		})
	}
	if after := mustRun(t, "--db", embedded, "export", "--format", "json"); after != before {
		t.Error("a refused load changed the embedded store")
	}
	// Neo4j is shared with other tests, which load their own datasets:
	// none of these files' may have arrived.
	if len(stores) > 1 {
		if got := datasets(stores[1]); slices.Contains(got, "h") && !slices.Contains(neoBefore, "h") {
			t.Errorf("a refused load wrote dataset h into Neo4j: %v", got)
		}
	}
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
