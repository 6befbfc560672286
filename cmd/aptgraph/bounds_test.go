package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A diagram past what can be drawn or read is refused with exit 2 and
// what to do, and no file is left behind; the formats made for big
// graphs still write it. (render.TestPNGTooThin checks the PNG's own
// bound: a layout whose text would be unreadable at 8192 pixels a side.)
func TestDiagramTooBig(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "big.db")
	big := filepath.Join(dir, "big.yaml")
	writeGroups(t, big, "big", 0, 1100)
	mustRun(t, "--db", db, "load", big)

	for _, tc := range []struct {
		name string
		args []string
		out  string
		want string // in stderr; "" for success
	}{
		{"svg of the whole store", []string{"export"}, "all.svg", "too big to draw: 1100 entities and 2192 relationships, more than a svg diagram draws (1000 and 2000)"},
		{"png of the whole store", []string{"export"}, "all.png", "more than a png diagram draws"},
		{"mermaid past its 500 edges", []string{"export", "--format", "mermaid"}, "all.mmd", "more than a mermaid diagram draws (1000 and 500)"},
		{"graphml of the whole store", []string{"export"}, "all.graphml", ""},
		{"a part of it as SVG", []string{"neighbors", "g00010"}, "part.svg", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, tc.out)
			r := run(t, nil, append(append([]string{"--db", db}, tc.args...), "-o", out)...)
			_, statErr := os.Stat(out)
			if tc.want == "" {
				if r.code != 0 || statErr != nil {
					t.Fatalf("exit %d, %v: %s", r.code, statErr, r.stderr)
				}
				return
			}
			if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", r.code, r.stderr, tc.want)
			}
			if strings.Contains(r.stderr, "--help") {
				t.Errorf("a too-big diagram is no usage error: %q", r.stderr)
			}
			if statErr == nil {
				t.Errorf("%s was written", tc.out)
			}
		})
	}
}
