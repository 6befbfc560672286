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
	open := filepath.Join(t.TempDir(), "open")
	os.Mkdir(open, 0o777)
	os.Chmod(open, 0o777) // past the umask: anyone may plant compiled code here
	cases := []struct {
		name       string
		candidates []string
		free       uint64
		want       string
	}{
		{"first usable", []string{ok}, 0, ok},
		{"skips an impossible one", []string{filepath.Join(blocked, "x"), ok}, 0, ok},
		{"none usable: no cache", []string{filepath.Join(blocked, "x")}, 0, ""},
		{"not enough room: no cache", []string{ok}, 1 << 62, ""},
		{"writable by others: no cache", []string{open}, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := pick(c.candidates, c.free); got != c.want {
				t.Errorf("pick = %q, want %q", got, c.want)
			}
		})
	}
}
