package wasm

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

var (
	loadOnce  sync.Once
	loadErr   error
	onLoad    []func() error
	pendingFS fs.FS
	cacheDir  *string
)

// Load compiles and instantiates the WebAssembly Graphviz the first time
// it is called, then runs the OnLoad functions; later calls return the
// first call's error. Every entry point that reaches the module calls it,
// so a program that links go-graphviz but draws nothing pays nothing.
func Load() error {
	loadOnce.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				loadErr = fmt.Errorf("go-graphviz: load the WebAssembly module: %v", r)
			}
		}()
		load()
		for _, f := range onLoad {
			if err := f(); err != nil {
				loadErr = err
				return
			}
		}
	})
	return loadErr
}

// OnLoad registers f to run once the module is loaded (package init
// functions that need the module register here instead).
func OnLoad(f func() error) {
	onLoad = append(onLoad, f)
}

// SetCompilationCacheDir chooses where the compiled module is cached
// ("" for no cache) instead of $TMPDIR/go-graphviz. Call it before the
// first Load.
func SetCompilationCacheDir(dir string) {
	cacheDir = &dir
}

// wasmBytes unpacks the module, or reads it unpacked from the compilation
// cache's directory, where the first load leaves it: unpacking cost a
// third of every later load.
func wasmBytes() ([]byte, error) {
	if cacheDir == nil || *cacheDir == "" {
		return gunzip(wasmGzip)
	}
	sum := sha256.Sum256(wasmGzip)
	path := filepath.Join(*cacheDir, "graphviz-"+hex.EncodeToString(sum[:8])+".wasm")
	if b, err := os.ReadFile(path); err == nil {
		return b, nil
	}
	b, err := gunzip(wasmGzip)
	if err != nil {
		return nil, err
	}
	if f, err := os.CreateTemp(*cacheDir, "graphviz-*.tmp"); err == nil {
		_, werr := f.Write(b)
		if cerr := f.Close(); werr == nil && cerr == nil {
			os.Rename(f.Name(), path)
		}
		os.Remove(f.Name())
	}
	return b, nil
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

func DefaultSymList(ctx context.Context) ([]*SymList, error) {
	p, err := mod.NewPtr(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := mod.ExportedFunction("wasm_bridge_SymList_default").Call(ctx, p); err != nil {
		return nil, err
	}
	ptr, err := mod.readU32(p)
	if err != nil {
		return nil, err
	}
	slice, err := mod.toSlice(ctx, ptr)
	if err != nil {
		return nil, err
	}
	return newSymListSlice(slice), nil
}

func PluginAPIZero(ctx context.Context) (*PluginAPI, error) {
	p, err := mod.NewPtr(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := mod.ExportedFunction("wasm_bridge_PluginAPI_zero").Call(ctx, p); err != nil {
		return nil, err
	}
	ptr, err := mod.readU32(p)
	if err != nil {
		return nil, err
	}
	return newPluginAPI(ptr), nil
}

func PluginInstalledZero(ctx context.Context) (*PluginInstalled, error) {
	p, err := mod.NewPtr(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := mod.ExportedFunction("wasm_bridge_PluginInstalled_zero").Call(ctx, p); err != nil {
		return nil, err
	}
	ptr, err := mod.readU32(p)
	if err != nil {
		return nil, err
	}
	return newPluginInstalled(ptr), nil
}

func SymListZero(ctx context.Context) (*SymList, error) {
	p, err := mod.NewPtr(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := mod.ExportedFunction("wasm_bridge_SymList_zero").Call(ctx, p); err != nil {
		return nil, err
	}
	ptr, err := mod.readU32(p)
	if err != nil {
		return nil, err
	}
	return newSymList(ptr), nil
}

var (
	fsMu sync.Mutex
)

func SetWasmFileSystem(fs fs.FS) {
	fsMu.Lock()
	pendingFS = fs
	if mod != nil {
		mod.fs.subFS = fs
	}
	fsMu.Unlock()
}

func FileSystem() fs.FS {
	if err := Load(); err != nil {
		return nil
	}
	fsMu.Lock()
	defer fsMu.Unlock()
	return mod.fs
}
