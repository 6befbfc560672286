package gvcache

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPick(t *testing.T) {
	ok := filepath.Join(t.TempDir(), "cache")
	blocked := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocked, nil, 0o644) // a file: no directory can be made under it
	cases := []struct {
		name       string
		candidates []string
		free       uint64
		want       string
	}{
		{"first usable", []string{ok}, 0, ok},
		{"skips an impossible one", []string{filepath.Join(blocked, "x"), ok}, 0, ok},
		{"none usable: no cache", []string{filepath.Join(blocked, "x")}, 0, noCache},
		{"not enough room: no cache", []string{ok}, 1 << 62, noCache},
	}
	for _, c := range cases {
		if got := pick(c.candidates, c.free); got != c.want {
			t.Errorf("%s: pick = %q, want %q", c.name, got, c.want)
		}
	}
	if _, err := os.Stat(filepath.Dir(noCache)); err == nil {
		t.Errorf("%s exists: go-graphviz could create its cache there", filepath.Dir(noCache))
	}
}
