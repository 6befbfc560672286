#!/bin/sh
# Rebuilds go-graphviz's lazy-init fork from the upstream module and
# lazy-init.patch: sync.sh [DIR] (DIR defaults to this directory).
# TestGraphvizFork runs it into a temporary directory and compares.
set -eu
version=v0.2.10
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
upstream=$(cd / && GOFLAGS=-mod=mod GOWORK=off go mod download -json "github.com/goccy/go-graphviz@$version" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$upstream" ] || { echo "sync.sh: go mod download found no github.com/goccy/go-graphviz@$version" >&2; exit 1; }
mkdir -p "$out"
# Only what aptgraph builds: no tests, examples, C sources or protobufs.
(cd "$upstream" && cp --parents LICENSE go.mod alias.go graphviz.go option.go \
	cdt/cdt.go cdt/link.go cgraph/attribute.go cgraph/cgraph.go cgraph/init.go cgraph/link.go \
	gvc/device_plugin.go gvc/gvc.go gvc/image_plugin.go gvc/image_renderer.go gvc/init.go \
	gvc/link.go gvc/plugin.go gvc/render_plugin.go internal/wasm/bind.go internal/wasm/ext.go "$out/")
chmod -R u+w "$out"
(cd "$out" && patch -s -p1 < "$here/lazy-init.patch")
# gofmt, as every Go file of the repository (upstream's cgraph/attribute.go
# has two comments gofmt rewrites).
gofmt -w "$out"
# The module's 1.5 MB WebAssembly Graphviz, compressed to stay under the
# repository's 1 MB a file; bind.go unpacks it on first use.
gzip -9 -n -c "$upstream/internal/wasm/graphviz.wasm" > "$out/internal/wasm/graphviz.wasm.gz"
