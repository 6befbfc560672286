package loader

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/aptgraph/aptgraph/graph"
)

// TestStreamRoundTrip: the Tick case written as JSON Lines checks clean
// and reads back, in parts of any size, as the same dataset.
func TestStreamRoundTrip(t *testing.T) {
	ctx := context.Background()
	want, _, err := ReadAll(ctx, []string{filepath.Join("..", "testdata", "tick-2021.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "tick.jsonl")
	var buf bytes.Buffer
	if err := WriteStream(&buf, want[0], "the Tick case"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	st, diags, err := CheckStream(ctx, name, nil)
	if err != nil || len(diags) != 0 {
		t.Fatalf("check: %v %v", err, diags)
	}
	if st.Dataset != want[0].Name || st.Entities != len(want[0].Entities) || st.Relationships != len(want[0].Relationships) {
		t.Fatalf("check counted %+v", st)
	}
	for _, size := range []int{1, 4, 1000} {
		got := &graph.Dataset{Name: st.Dataset}
		parts := 0
		for p, err := range st.Parts(ctx, size) {
			if err != nil {
				t.Fatal(err)
			}
			parts++
			got.Sources = append(got.Sources, p.Sources...)
			got.Entities = append(got.Entities, p.Entities...)
			got.Relationships = append(got.Relationships, p.Relationships...)
		}
		got.Normalize()
		if !reflect.DeepEqual(got, want[0]) {
			t.Errorf("parts of %d: read back differs from the YAML dataset", size)
		}
		if total := len(want[0].Sources) + len(want[0].Entities) + len(want[0].Relationships); parts != (total+size-1)/size {
			t.Errorf("parts of %d: %d parts for %d items", size, parts, total)
		}
	}
	// A file changed after its check is refused, not half-read.
	if err := os.WriteFile(name, append(buf.Bytes(), '\n', '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, err := range st.Parts(ctx, 10) {
		if err == nil || !strings.Contains(err.Error(), "changed after it was checked") {
			t.Errorf("changed file: got %v", err)
		}
		break
	}
}

// TestStreamDiagnostics: every mistake is reported with its line and
// column, as for YAML and JSON, and nothing is returned to load.
func TestStreamDiagnostics(t *testing.T) {
	const head = `{"dataset": "s"}` + "\n"
	const src = `{"source": {"id": "s1", "publisher": "NHK"}}` + "\n"
	const ents = `{"entity": {"id": "a", "kind": "group", "name": "A"}}` + "\n" + `{"entity": {"id": "b", "kind": "victim", "name": "B"}}` + "\n"
	cases := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", []string{"1:1: error: file is empty"}},
		{"no header", src, []string{"1:1: error: the first line must be the header", `1:1: warning: source "s1" is never cited`}},
		{"header typo", `{"datset": "s"}` + "\n", []string{`1:2: error: unknown field "datset" in header`, `1:1: error: header is missing required field "dataset"`}},
		{"bad json", head + `{"source": {"id": "s1",}}` + "\n", []string{"2:25: error: invalid JSON"}},
		{"not an object", head + `[1, 2]` + "\n", []string{"2:1: error: wrong shape: each line must be a JSON object, found a list"}},
		{"two items", head + `{"source": {}, "entity": {}}` + "\n", []string{"2:1: error: a line holds exactly one item: found 2 keys"}},
		{"unknown item", head + `{"entty": {}}` + "\n", []string{`2:2: error: unknown item "entty"`}},
		{"unknown field", head + src + `{"entity": {"id": "a", "kind": "group", "name": "A", "alias": ["x"]}}` + "\n",
			[]string{`3:54: error: unknown field "alias" in entity`, `2:1: warning: source "s1" is never cited`}},
		{"bad kind", head + `{"entity": {"id": "a", "kind": "gruop", "name": "A"}}` + "\n", []string{`2:32: error: unknown kind "gruop"`}},
		{"duplicate entity", head + ents + `{"entity": {"id": "a", "kind": "group", "name": "A2"}}` + "\n", []string{`4:19: error: duplicate entity id "a" (first defined at line 2)`}},
		{"out of order", head + ents + src, []string{"4:1: error: source after the entities section"}},
		{"undefined entity and source", head + src + ents +
			`{"relationship": {"from": "a", "type": "ATTACKED", "to": "c", "confidence": "alleged", "sources": ["s2"]}}` + "\n",
			[]string{`5:58: error: to: entity "c" is not defined`, `5:100: error: source "s2" is not defined`, `2:1: warning: source "s1" is never cited`}},
		{"duplicate relationship", head + src + ents +
			`{"relationship": {"from": "a", "type": "ATTACKED", "to": "b", "confidence": "alleged", "sources": ["s1"]}}` + "\n" +
			`{"relationship": {"from": "a", "type": "ATTACKED", "to": "b", "confidence": "confirmed", "sources": ["s1"]}}` + "\n",
			[]string{`6:18: error: duplicate relationship a -[ATTACKED]-> b (first at line 5)`}},
		{"bad confidence and date", head + src + ents +
			`{"relationship": {"from": "a", "type": "ATTACKED", "to": "b", "confidence": "sure", "sources": ["s1"], "start": "2021-13"}}` + "\n",
			[]string{`5:77: error: unknown confidence "sure"`, `5:113: error: malformed start`}},
		{"not utf-8", head + "{\"source\": \"\xff\"}\n", []string{"2:1: error: line is not valid UTF-8 text"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "s.jsonl")
			if err := os.WriteFile(name, []byte(c.in), 0o644); err != nil {
				t.Fatal(err)
			}
			st, diags, err := CheckStream(context.Background(), name, nil)
			var ve *ValidationError
			if !errors.As(err, &ve) || st != nil {
				t.Fatalf("want a validation error and no stream, got %v, %v", st, err)
			}
			var got []string
			for _, d := range diags {
				got = append(got, d.String())
			}
			for _, w := range c.want {
				found := false
				for _, g := range got {
					found = found || strings.Contains(g, ":"+w)
				}
				if !found {
					t.Errorf("missing %q in:\n%s", w, strings.Join(got, "\n"))
				}
			}
			if len(got) != len(c.want) {
				t.Errorf("got %d diagnostics, want %d:\n%s", len(got), len(c.want), strings.Join(got, "\n"))
			}
		})
	}
}

// TestStreamKnown: references may point to what the store (or a whole
// file loaded with the stream) holds.
func TestStreamKnown(t *testing.T) {
	dir := t.TempDir()
	yml := filepath.Join(dir, "base.yaml")
	if err := os.WriteFile(yml, []byte(valid), 0o644); err != nil {
		t.Fatal(err)
	}
	jl := filepath.Join(dir, "more.jsonl")
	if err := os.WriteFile(jl, []byte(`{"dataset": "more"}
{"entity": {"id": "jaxa", "kind": "victim", "name": "JAXA"}}
{"relationship": {"from": "tick", "type": "ATTACKED", "to": "jaxa", "confidence": "alleged", "sources": ["s1"]}}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	inputs, diags, err := ReadInputs(context.Background(), []string{yml, jl}, Options{})
	if err != nil || len(diags) != 0 {
		t.Fatalf("%v %v", err, diags)
	}
	if len(inputs) != 2 || inputs[0].Dataset == nil || inputs[1].Stream == nil || inputs[1].Name() != "more" {
		t.Fatalf("inputs: %+v", inputs)
	}
	if _, _, err := ReadInputs(context.Background(), []string{jl}, Options{}); err == nil {
		t.Error("without the YAML file, tick and s1 are undefined: want an error")
	}
}

// FuzzLineNode: the JSON Lines scanner accepts exactly what encoding/json
// accepts as one value, decodes strings the same way, and never panics.
func FuzzLineNode(f *testing.F) {
	for _, s := range []string{`{"entity": {"id": "a", "kind": "group", "name": "A\u00e9\n"}}`, `[1, -2.5e3, true, null]`, `"\ud83d\ude00"`, `{"a":}`, `{"a" "b"}`, "\"\x01\"", `01`, `{"k": "\u0000<script>"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := lineNode(data, 1)
		if (err == nil) != json.Valid(data) {
			t.Fatalf("lineNode error %v, json.Valid %v, for %q", err, json.Valid(data), data)
		}
		if err != nil {
			return
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		var walk func(n *yaml.Node, v any)
		walk = func(n *yaml.Node, v any) {
			switch x := v.(type) {
			case string:
				if n.Value != x {
					t.Fatalf("string %q decoded as %q", x, n.Value)
				}
			case map[string]any:
				for i := 0; i+1 < len(n.Content); i += 2 {
					if _, ok := x[n.Content[i].Value]; !ok {
						t.Fatalf("key %q not in %v", n.Content[i].Value, x)
					}
				}
			case []any:
				if len(n.Content) != len(x) {
					t.Fatalf("list of %d decoded as %d", len(x), len(n.Content))
				}
				for i := range x {
					walk(n.Content[i], x[i])
				}
			}
		}
		walk(n, v)
	})
}
