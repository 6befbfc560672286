package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestStartWithoutGraphviz checks that commands that draw nothing never
// load go-graphviz's WebAssembly Graphviz (our fork loads it on first use;
// upstream compiles it in a package init, about 4 MB of allocations and
// 25 ms before main): the process's package inits allocate little, and no
// compiled module is cached. Drawing a diagram does load it.
func TestStartWithoutGraphviz(t *testing.T) {
	db := filepath.Join(t.TempDir(), "tick.db")
	mustRun(t, "--db", db, "load", filepath.Join("..", "..", "testdata", "tick-2021.yaml"))
	initLine := regexp.MustCompile(`(?m)^init (\S+) @\S+ ms, \S+ ms clock, (\d+) bytes`)
	cases := []struct {
		name string
		args []string
	}{
		{"version", []string{"--version"}},
		{"stats", []string{"--db", db, "stats"}},
		{"show", []string{"--db", db, "show", "Tick"}},
		{"path as JSON", []string{"--db", db, "path", "PLA", "JAXA", "--format", "json"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cache := t.TempDir()
			r := run(t, []string{"GODEBUG=inittrace=1", "XDG_CACHE_HOME=" + cache, "TMPDIR=" + cache}, c.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			total := 0
			for _, m := range initLine.FindAllStringSubmatch(r.stderr, -1) {
				n, _ := strconv.Atoi(m[2])
				total += n
				if n > 1<<20 {
					t.Errorf("init of %s allocated %d bytes", m[1], n)
				}
			}
			if total == 0 {
				t.Fatalf("no init trace in stderr:\n%s", r.stderr)
			}
			if total > 2<<20 {
				t.Errorf("package inits allocated %d bytes in all", total)
			}
			if entries, _ := os.ReadDir(cache); len(entries) > 0 {
				t.Errorf("%s wrote %v: the Graphviz module was loaded", c.name, entries)
			}
		})
	}
	t.Run("a diagram loads it", func(t *testing.T) {
		cache := t.TempDir()
		out := filepath.Join(t.TempDir(), "p.svg")
		r := run(t, []string{"XDG_CACHE_HOME=" + cache}, "--db", db, "path", "PLA", "JAXA", "-o", out)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if _, err := os.Stat(filepath.Join(cache, "aptgraph", "graphviz")); err != nil {
			t.Errorf("drawing cached no compiled module: %v", err)
		}
	})
}
