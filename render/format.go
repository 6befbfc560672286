package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/aptgraph/aptgraph/graph"
)

// Format is one way of writing a graph result: the one table every
// command's --format and -o read. A new format is one writer and one row.
type Format struct {
	Name string
	// Extensions of -o files that mean this format.
	Extensions []string
	// Binary formats are never written to a terminal.
	Binary bool
	// Directory formats write several files into -o DIR instead of one
	// stream.
	Directory bool
	// Help is the format's line in --help and the README.
	Help string
	// MaxNodes and MaxEdges bound what a diagram format draws (0: no
	// bound). Past them a drawing is unreadable and Graphviz takes
	// minutes; Mermaid itself refuses more than 500 edges.
	MaxNodes, MaxEdges int
	// stream writes the format to w; dir writes it into a directory.
	stream func(ctx context.Context, w io.Writer, g *graph.Subgraph, o Options) error
	dir    func(dir string, g *graph.Subgraph) error
}

// Formats are the output formats of graph results, in the order help
// lists them.
var Formats = []Format{
	{Name: "text", Extensions: []string{".txt"}, Help: "paths or relationships one per line, sources numbered",
		stream: func(_ context.Context, w io.Writer, g *graph.Subgraph, _ Options) error { return Text(w, g) }},
	{Name: "json", Extensions: []string{".json"}, Help: "nodes, relationships, paths and sources, for scripts",
		stream: func(_ context.Context, w io.Writer, g *graph.Subgraph, _ Options) error { return JSON(w, g) }},
	{Name: "dot", Extensions: []string{".dot", ".gv"}, Help: "Graphviz source",
		stream: func(_ context.Context, w io.Writer, g *graph.Subgraph, o Options) error { return DOT(w, g, o) }},
	{Name: "svg", Extensions: []string{".svg"}, Help: "a diagram for the web or a slide", MaxNodes: MaxDrawnNodes, MaxEdges: MaxDrawnEdges,
		stream: func(ctx context.Context, w io.Writer, g *graph.Subgraph, o Options) error {
			return drawn(ctx, w, g, o, "svg")
		}},
	{Name: "png", Extensions: []string{".png"}, Binary: true, Help: "a picture to paste (--scale sets pixels per point)", MaxNodes: MaxDrawnNodes, MaxEdges: MaxDrawnEdges,
		stream: func(ctx context.Context, w io.Writer, g *graph.Subgraph, o Options) error {
			return drawn(ctx, w, g, o, "png")
		}},
	{Name: "mermaid", Extensions: []string{".mmd", ".mermaid"}, Help: "a Mermaid flowchart for Markdown (GitHub, GitLab, Obsidian)", MaxNodes: MaxDrawnNodes, MaxEdges: MaxMermaidEdges,
		stream: func(_ context.Context, w io.Writer, g *graph.Subgraph, o Options) error { return Mermaid(w, g, o) }},
	{Name: "stix", Extensions: []string{".stix"}, Help: "a STIX 2.1 bundle (OpenCTI, MISP)",
		stream: func(_ context.Context, w io.Writer, g *graph.Subgraph, _ Options) error { return STIX(w, g) }},
	{Name: "graphml", Extensions: []string{".graphml"}, Help: "GraphML for Gephi, yEd, Cytoscape, networkx",
		stream: func(_ context.Context, w io.Writer, g *graph.Subgraph, _ Options) error { return GraphML(w, g) }},
	{Name: "neo4j-csv", Directory: true, Help: "a directory of CSV files for neo4j-admin database import (-o DIR)",
		dir: Neo4jCSV},
}

// The bounds of the diagram formats.
const (
	MaxDrawnNodes   = 1000
	MaxDrawnEdges   = 2000
	MaxMermaidEdges = 500 // mermaid's own maxEdges
)

// ErrTooBig is what a diagram format returns for a graph past its bounds
// (wrapped with the figures and what to do).
var ErrTooBig = errors.New("too big to draw")

// FormatNames lists the names of formats, in table order.
func FormatNames() []string {
	out := make([]string, len(Formats))
	for i, f := range Formats {
		out[i] = f.Name
	}
	return out
}

// FormatNamed finds a format by name (case-insensitive).
func FormatNamed(name string) (Format, bool) {
	for _, f := range Formats {
		if strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return Format{}, false
}

// FormatForFile finds the format an -o file's extension means.
func FormatForFile(path string) (Format, bool) {
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range Formats {
		for _, e := range f.Extensions {
			if e == ext {
				return f, true
			}
		}
	}
	return Format{}, false
}

// Extensions lists every -o extension the table knows, in table order.
func Extensions() []string {
	var out []string
	for _, f := range Formats {
		out = append(out, f.Extensions...)
	}
	return out
}

// Write writes g in the format to w. A directory format cannot be
// streamed: use WriteDir.
func (f Format) Write(ctx context.Context, w io.Writer, g *graph.Subgraph, o Options) error {
	if f.stream == nil {
		return fmt.Errorf("format %s writes a directory, not a stream", f.Name)
	}
	if n, e := len(g.Nodes), len(g.Relationships); f.MaxNodes > 0 && n > f.MaxNodes || f.MaxEdges > 0 && e > f.MaxEdges {
		return fmt.Errorf("%w: %d entities and %d relationships, more than a %s diagram draws (%d and %d); narrow the query (--limit, --depth, --kind, --min-confidence) or write --format graphml or json for a tool made for big graphs",
			ErrTooBig, n, e, f.Name, f.MaxNodes, f.MaxEdges)
	}
	return f.stream(ctx, w, g, o)
}

// WriteDir writes g in a directory format into dir.
func (f Format) WriteDir(dir string, g *graph.Subgraph) error {
	if f.dir == nil {
		return fmt.Errorf("format %s writes a stream, not a directory", f.Name)
	}
	return f.dir(dir, g)
}

// drawn lays the DOT of g out with Graphviz and writes SVG or PNG.
func drawn(ctx context.Context, w io.Writer, g *graph.Subgraph, o Options, as string) error {
	var dot bytes.Buffer
	if err := DOT(&dot, g, o); err != nil {
		return err
	}
	layout := o.Layout
	if layout == "" {
		layout = LayoutFor(g)
	}
	gv, err := NewGraphviz(ctx)
	if err != nil {
		return err
	}
	defer gv.Close()
	if as == "svg" {
		return gv.SVG(ctx, w, dot.Bytes(), layout)
	}
	scale := o.Scale
	if scale == 0 {
		scale = 2
	}
	return gv.PNG(ctx, w, dot.Bytes(), layout, scale)
}
