package render

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/goccy/go-graphviz"

	"github.com/aptgraph/aptgraph/render/internal/gvcache"
)

// Graphviz lays out and renders DOT with go-graphviz (Graphviz compiled to
// WebAssembly, so there is nothing to install). go-graphviz is not safe
// for use from several goroutines, so calls are serialised here.
type Graphviz struct {
	mu sync.Mutex
	gv *graphviz.Graphviz
}

// NewGraphviz starts the Graphviz runtime. The first one in a process
// compiles go-graphviz's WebAssembly Graphviz (our fork loads it on first
// use rather than in init, so commands that draw nothing start at once),
// caching the compiled code in a directory of the user's own.
func NewGraphviz(ctx context.Context) (*Graphviz, error) {
	graphviz.SetCompilationCacheDir(gvcache.Dir())
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("start graphviz: %w", err)
	}
	return &Graphviz{gv: gv}, nil
}

// Close releases the runtime.
func (g *Graphviz) Close() error { return g.gv.Close() }

// render lays dot out with the engine and writes the format into a buffer
// (go-graphviz's RenderFilename writes empty files, so we never use it).
func (g *Graphviz) render(ctx context.Context, dot []byte, layout, format string) ([]byte, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	gr, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, fmt.Errorf("parse DOT: %w", err)
	}
	defer gr.Close()
	var buf bytes.Buffer
	if err := g.gv.SetLayout(graphviz.Layout(layout)).Render(ctx, gr, graphviz.Format(format), &buf); err != nil {
		return nil, fmt.Errorf("graphviz %s layout: %w", layout, err)
	}
	return buf.Bytes(), nil
}

// SVG renders DOT text to SVG.
func (g *Graphviz) SVG(ctx context.Context, w io.Writer, dot []byte, layout string) error {
	out, err := g.render(ctx, dot, layout, "svg")
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// PNG renders DOT text to PNG. go-graphviz's own PNG renderer drops every
// edge line and node border, so we ask Graphviz for the laid-out drawing
// operations (xdot in JSON) and paint them ourselves; the picture then
// matches the SVG.
func (g *Graphviz) PNG(ctx context.Context, w io.Writer, dot []byte, layout string, scale float64) error {
	js, err := g.render(ctx, dot, layout, "json")
	if err != nil {
		return err
	}
	return paintPNG(w, js, scale)
}
