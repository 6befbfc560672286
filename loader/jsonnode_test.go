package loader

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/aptgraph/aptgraph/internal/fixture"
)

// TestJSONNodePositions: every node's line and column is where its text
// starts, whatever the white space around it (checked against a count from
// byte 0, the slow way).
func TestJSONNodePositions(t *testing.T) {
	cases := map[string]string{
		"compact":  `{"a":[1,"x",{"b":null}],"c":true}`,
		"spaced":   "{ \"a\" : [ 1 ,\n  \"x\",\t{ \"b\" :\r\n null } ] ,\n\n \"c\": true }",
		"unicode":  "{\"名前\": \"宇宙航空研究開発機構\",\n  \"k\": [\"é\", 2]}",
		"nested":   "[[[\n[1],\n [2]]]]",
		"trailing": "{\"a\": 1}\n\n",
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			data := []byte(doc)
			n, err := jsonNode(data)
			if err != nil {
				t.Fatal(err)
			}
			var walk func(*yaml.Node)
			walk = func(n *yaml.Node) {
				off := nodeOffset(data, n)
				wl, wc := offsetPos(data, int64(off))
				if n.Line != wl || n.Column != wc {
					t.Errorf("node %q at %d:%d, want %d:%d", n.Value, n.Line, n.Column, wl, wc)
				}
				for _, c := range n.Content {
					walk(c)
				}
			}
			walk(n.Content[0])
		})
	}
}

// nodeOffset is the byte offset of n's line:column (columns count bytes).
func nodeOffset(data []byte, n *yaml.Node) int {
	line, off := 1, 0
	for off < len(data) && line < n.Line {
		if data[off] == '\n' {
			line++
		}
		off++
	}
	return off + n.Column - 1
}

// BenchmarkJSONNode prints the time per byte for growing files: it stays
// flat when positions are counted incrementally (it grew with the file
// when every token recounted from byte 0).
func BenchmarkJSONNode(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		var sb strings.Builder
		sb.WriteString(`{"dataset": "x", "entities": [`)
		for i := range n {
			if i > 0 {
				sb.WriteString(",\n")
			}
			fmt.Fprintf(&sb, `{"id": "e%d", "kind": "group", "name": "Group %d"}`, i, i)
		}
		sb.WriteString("]}")
		data := []byte(sb.String())
		b.Run(fmt.Sprintf("entities=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := jsonNode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestATTACKEnterprise checks all of ATT&CK Enterprise (46 MB as JSON) in
// one piece: with positions counted from byte 0 for every token it never
// finished; counted incrementally it takes seconds.
func TestATTACKEnterprise(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short")
	}
	path := fixture.Path(t, "attack-enterprise-v18.1.stix21.json.xz")
	start := time.Now()
	ds, diags, err := ReadAll(context.Background(), []string{path})
	if err != nil {
		t.Fatalf("%v\n%v", err, diags)
	}
	t.Logf("checked ATT&CK Enterprise in %v: %d entities, %d relationships", time.Since(start), len(ds[0].Entities), len(ds[0].Relationships))
	if len(ds[0].Entities) < 900 || len(ds[0].Relationships) < 1000 {
		t.Errorf("only %d entities and %d relationships from ATT&CK Enterprise", len(ds[0].Entities), len(ds[0].Relationships))
	}
}
