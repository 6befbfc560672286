package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/render"
)

// graphFormats are the formats a graph result can be written in.
var graphFormats = []string{"text", "json", "dot", "svg", "png", "mermaid", "stix", "graphml", "neo4j-csv"}

// outputOpts are the flags of every command that prints a graph.
type outputOpts struct {
	format string
	output string
	title  string
	layout string
	scale  float64
}

func (o *outputOpts) register(c *cobra.Command) {
	c.Flags().StringVar(&o.format, "format", "", "output format: text, json, dot, svg, png, mermaid, stix, graphml or neo4j-csv (a directory for neo4j-admin import; default: from -o's extension, else text)")
	c.Flags().StringVarP(&o.output, "output", "o", "", "write to this file instead of stdout (format from the extension: .txt .json .dot .gv .svg .png .mmd .graphml)")
	c.Flags().StringVar(&o.title, "title", "", "title drawn on diagrams (default: the query)")
	c.Flags().StringVar(&o.layout, "layout", "", "Graphviz layout engine: "+strings.Join(render.Layouts, ", ")+" (default: dot for small graphs, sfdp for large)")
	c.Flags().Float64Var(&o.scale, "scale", 2, "PNG pixels per point (2 gives 144 dpi)")
}

// resolve settles the output format from --format and -o.
func (o *outputOpts) resolve(allowed []string) (string, error) {
	f := strings.ToLower(o.format)
	if f == "" && o.output != "" {
		switch ext := strings.ToLower(filepath.Ext(o.output)); ext {
		case ".txt":
			f = "text"
		case ".gv":
			f = "dot"
		case ".json", ".dot", ".svg", ".png", ".csv", ".tsv":
			f = ext[1:]
		case ".mmd", ".mermaid":
			f = "mermaid"
		case ".graphml":
			f = "graphml"
		default:
			return "", usagef("cannot tell the format of %q from its extension; add --format (%s)", o.output, strings.Join(allowed, ", "))
		}
	}
	if f == "" {
		f = "text"
	}
	if !slices.Contains(allowed, f) {
		return "", usagef("unknown format %q; use one of: %s", f, strings.Join(allowed, ", "))
	}
	if o.layout != "" && !slices.Contains(render.Layouts, o.layout) {
		return "", usagef("unknown layout %q; use one of: %s", o.layout, strings.Join(render.Layouts, ", "))
	}
	if o.scale <= 0 || o.scale > 8 {
		return "", usagef("--scale must be between 0 and 8")
	}
	return f, nil
}

// emit writes data produced by write to -o (atomically: a temporary file
// renamed into place, so no half-written diagram is ever left) or stdout.
func (a *app) emit(o *outputOpts, binary bool, write func(io.Writer) error) error {
	if o.output == "" {
		if binary && a.outTTY {
			return usagef("will not write PNG to a terminal; use -o FILE.png or redirect stdout")
		}
		return write(a.out)
	}
	dir := filepath.Dir(o.output)
	tmp, err := os.CreateTemp(dir, ".aptgraph-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", o.output, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", o.output, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", o.output, err)
	}
	if err := os.Rename(tmp.Name(), o.output); err != nil {
		return fmt.Errorf("write %s: %w", o.output, err)
	}
	return nil
}

// writeGraph writes a subgraph in the chosen format.
func (a *app) writeGraph(ctx context.Context, o *outputOpts, g *graph.Subgraph, title string) error {
	format, err := o.resolve(graphFormats)
	if err != nil {
		return err
	}
	if o.title != "" {
		title = o.title
	}
	ro := render.Options{Title: title, Layout: o.layout}
	switch format {
	case "neo4j-csv":
		if o.output == "" {
			return usagef("--format neo4j-csv writes a directory of CSV files: give it with -o DIR")
		}
		if err := render.Neo4jCSV(o.output, g); err != nil {
			return err
		}
		fmt.Fprintf(a.errOut, "wrote %s; import into an empty, stopped database with:\n  neo4j-admin database import full %s neo4j\n",
			strings.Join(render.Neo4jCSVFiles, ", "), strings.Join(render.Neo4jImportArgs(o.output), " "))
		return nil
	case "text":
		return a.emit(o, false, func(w io.Writer) error { return render.Text(w, g) })
	case "json":
		return a.emit(o, false, func(w io.Writer) error { return render.JSON(w, g) })
	case "dot":
		return a.emit(o, false, func(w io.Writer) error { return render.DOT(w, g, ro) })
	case "mermaid":
		return a.emit(o, false, func(w io.Writer) error { return render.Mermaid(w, g, ro) })
	case "stix":
		return a.emit(o, false, func(w io.Writer) error { return render.STIX(w, g) })
	case "graphml":
		return a.emit(o, false, func(w io.Writer) error { return render.GraphML(w, g) })
	}
	var dot bytes.Buffer
	if err := render.DOT(&dot, g, ro); err != nil {
		return err
	}
	layout := ro.Layout
	if layout == "" {
		layout = render.LayoutFor(g)
	}
	gv, err := render.NewGraphviz(ctx)
	if err != nil {
		return err
	}
	defer gv.Close()
	if format == "svg" {
		return a.emit(o, false, func(w io.Writer) error { return gv.SVG(ctx, w, dot.Bytes(), layout) })
	}
	return a.emit(o, true, func(w io.Writer) error { return gv.PNG(ctx, w, dot.Bytes(), layout, o.scale) })
}

// filterOpts are the relationship filters of the traversal commands.
type filterOpts struct {
	rels          []string
	minConfidence string
}

func (f *filterOpts) register(c *cobra.Command) {
	c.Flags().StringSliceVar(&f.rels, "rel", nil, "follow only these relationship types, e.g. --rel DIRECTED,ATTACKED")
	c.Flags().StringVar(&f.minConfidence, "min-confidence", "", "follow only relationships at least this sure: "+strings.Join(graph.ConfidenceNames(), ", "))
}

func (f *filterOpts) filter() (graph.Filter, error) {
	var out graph.Filter
	for _, t := range f.rels {
		t = strings.ToUpper(strings.TrimSpace(t))
		if !graph.TypePattern.MatchString(t) {
			return out, usagef("--rel %q is not a relationship type (UPPER_SNAKE, like ATTACKED)", t)
		}
		out.Types = append(out.Types, t)
	}
	if f.minConfidence != "" {
		c, ok := graph.ParseConfidence(f.minConfidence)
		if !ok {
			return out, usagef("--min-confidence %q: use one of %s", f.minConfidence, strings.Join(graph.ConfidenceNames(), ", "))
		}
		out.MinConfidence = c
	}
	return out, nil
}
