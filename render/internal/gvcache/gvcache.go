// Package gvcache points go-graphviz's compilation cache at a directory of
// the current user's own before go-graphviz initialises.
//
// go-graphviz compiles its WebAssembly Graphviz in a package init and
// caches the result (about 6 MB) in $TMPDIR/go-graphviz; when that
// directory belongs to another user (a shared machine, or a command run
// under another uid), or the cache cannot be written (a full disk), the
// init panics before main runs. This package's init runs first (Go
// initialises ready packages in import-path order, and github.com/aptgraph
// sorts before github.com/goccy), sets TMPDIR to a private directory with
// room for the cache — or, when there is none, to a path that cannot be
// created, which makes go-graphviz run without a cache — and Restore
// (called from package render's init, which runs after go-graphviz's) puts
// the user's TMPDIR back.
package gvcache

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// minFree is the room a cache directory must have: the compiled module
// and its temporary copy.
const minFree = 64 << 20

// noCache is a TMPDIR under which go-graphviz cannot create its cache
// directory, so it compiles in memory instead of panicking.
const noCache = "/nonexistent/aptgraph-no-graphviz-cache"

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
	saved.value, saved.had = os.LookupEnv("TMPDIR")
	saved.set = true
	os.Setenv("TMPDIR", pick(candidates, minFree))
}

// pick returns the first candidate that can be created, written and has
// free bytes to spare, else noCache.
func pick(candidates []string, free uint64) string {
	for _, dir := range candidates {
		if usable(dir, free) {
			return dir
		}
	}
	return noCache
}

func usable(dir string, free uint64) bool {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false
	}
	f, err := os.CreateTemp(dir, "probe-")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err == nil && st.Bavail*uint64(st.Bsize) < free {
		return false
	}
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
