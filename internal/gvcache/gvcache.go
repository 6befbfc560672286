// Package gvcache points go-graphviz's compilation cache at a directory of
// the current user's own before go-graphviz initialises.
//
// go-graphviz compiles its WebAssembly Graphviz in a package init and
// caches the result in $TMPDIR/go-graphviz; when that directory belongs to
// another user (a shared machine, or a command run under another uid) the
// init panics before main runs. This package's init runs first (Go
// initialises ready packages in import-path order, and
// github.com/aptgraph sorts before github.com/goccy), sets TMPDIR to a
// private directory for the duration, and Restore (called from package
// render's init, which runs after go-graphviz's) puts the user's TMPDIR
// back.
package gvcache

import (
	"fmt"
	"os"
	"path/filepath"
)

var saved struct {
	set   bool
	had   bool
	value string
}

func init() {
	var candidates []string
	if dir, err := os.UserCacheDir(); err == nil {
		candidates = append(candidates, filepath.Join(dir, "aptgraph", "graphviz"))
	}
	candidates = append(candidates, filepath.Join(os.TempDir(), fmt.Sprintf("aptgraph-%d", os.Getuid())))
	for _, dir := range candidates {
		if writable(dir) {
			saved.value, saved.had = os.LookupEnv("TMPDIR")
			saved.set = true
			os.Setenv("TMPDIR", dir)
			return
		}
	}
	// None usable: go-graphviz falls back to its own choice.
}

// writable creates dir (private to the user) and checks that a file can
// be made in it.
func writable(dir string) bool {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false
	}
	f, err := os.CreateTemp(dir, "probe-")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}

// Restore puts back the TMPDIR the process started with.
func Restore() {
	if !saved.set {
		return
	}
	if saved.had {
		os.Setenv("TMPDIR", saved.value)
	} else {
		os.Unsetenv("TMPDIR")
	}
}
