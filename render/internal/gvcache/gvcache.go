// Package gvcache chooses where go-graphviz caches its compiled
// WebAssembly Graphviz: a directory of the current user's own.
//
// Left alone, go-graphviz caches the compiled module (about 6 MB) in
// $TMPDIR/go-graphviz, a directory another user of the machine may own or
// fill with their own compiled code; and when the cache cannot be written
// (a full disk), loading fails. Dir picks a private directory with room
// for the cache, or none (compile in memory, every time) when there is no
// such directory.
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

// Dir returns the directory to cache the compiled module in, or "" for
// no cache.
func Dir() string {
	var candidates []string
	if dir, err := os.UserCacheDir(); err == nil {
		candidates = append(candidates, filepath.Join(dir, "aptgraph", "graphviz"))
	}
	candidates = append(candidates, filepath.Join(os.TempDir(), fmt.Sprintf("aptgraph-%d", os.Getuid()), "graphviz"))
	return pick(candidates, minFree)
}

// pick returns the first candidate that can be created, written and has
// free bytes to spare, else "".
func pick(candidates []string, free uint64) string {
	for _, dir := range candidates {
		if usable(dir, free) {
			return dir
		}
	}
	return ""
}

// usable says whether dir is (or can be made) a directory of this user's
// alone, writable, with free bytes to spare.
func usable(dir string, free uint64) bool {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false
	}
	if fi, err := os.Stat(dir); err != nil || !owned(fi) || fi.Mode().Perm()&0o022 != 0 {
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

// owned says whether the current user owns the file: compiled code in a
// directory someone else controls would run as ours.
func owned(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}
