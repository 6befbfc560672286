package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/render"
)

// graphFormats are the formats a graph result can be written in: the
// table in package render.
var graphFormats = render.FormatNames()

// tableExtensions are the -o extensions of the table formats that some
// commands (cypher, list) write besides graphs.
var tableExtensions = map[string]string{".csv": "csv", ".tsv": "tsv"}

// outputOpts are the flags of every command that prints a graph.
type outputOpts struct {
	format string
	output string
	title  string
	layout string
	scale  float64
	// maxTLP leaves out what is marked above it.
	maxTLP string
}

func (o *outputOpts) register(c *cobra.Command) {
	var help []string
	for _, f := range render.Formats {
		help = append(help, f.Name)
	}
	c.Flags().StringVar(&o.format, "format", "", "output format: "+strings.Join(help, ", ")+" (default: from -o's extension, else text)")
	c.Flags().StringVarP(&o.output, "output", "o", "", "write to this file instead of stdout (- is stdout); the format comes from its extension: "+strings.Join(render.Extensions(), " "))
	c.Flags().StringVar(&o.title, "title", "", "title drawn on diagrams (default: the query)")
	c.Flags().StringVar(&o.layout, "layout", "", "Graphviz layout engine: "+strings.Join(render.Layouts, ", ")+" (default: dot for small graphs, sfdp for large)")
	c.Flags().Float64Var(&o.scale, "scale", 2, "PNG pixels per point (2 gives 144 dpi)")
	c.Flags().StringVar(&o.maxTLP, "max-tlp", "", "leave out entities, relationships and sources marked above this TLP level: "+strings.Join(graph.TLPNames(), ", "))
}

// tlpLimit reads --max-tlp ("" for none).
func tlpLimit(s string) (graph.TLP, error) {
	if s == "" {
		return "", nil
	}
	t, ok := graph.ParseTLP(s)
	if !ok {
		return "", usagef("--max-tlp %q is not a TLP level; use one of %s", s, strings.Join(graph.TLPNames(), ", "))
	}
	return t, nil
}

// resolve settles the output format from --format and -o, once.
func (o *outputOpts) resolve(allowed []string) (string, error) {
	f := strings.ToLower(o.format)
	if f == "" && o.output != "" && o.output != "-" {
		if rf, ok := render.FormatForFile(o.output); ok {
			f = rf.Name
		} else if t, ok := tableExtensions[strings.ToLower(filepath.Ext(o.output))]; ok {
			f = t
		} else {
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

// emit writes what write produces to -o, or to stdout for none or "-".
// A regular file (or a new one) is written atomically: a temporary file
// beside it, renamed into place, so no half-written diagram is ever left;
// it keeps an existing file's mode, and a new one gets the umask's. A
// device or FIFO (/dev/stdout, a named pipe) is written in place, never
// replaced; a symbolic link is refused. Errors name the file the user
// gave, never the temporary one.
func (a *app) emit(o *outputOpts, binary bool, write func(io.Writer) error) error {
	if o.output == "" || o.output == "-" {
		if binary && a.outTTY {
			return usagef("will not write PNG to a terminal; use -o FILE.png or redirect stdout")
		}
		return write(a.out)
	}
	fail := func(err error) error { return fmt.Errorf("write %s: %w", o.output, unwrapPath(err)) }
	fi, err := os.Lstat(o.output)
	switch {
	case err == nil && fi.Mode()&os.ModeSymlink != 0:
		return usagef("write %s: it is a symbolic link; give the path it points to", o.output)
	case err == nil && !fi.Mode().IsRegular() && !fi.IsDir():
		f, err := os.OpenFile(o.output, os.O_WRONLY, 0)
		if err != nil {
			return fail(err)
		}
		return errors.Join(write(f), closeErr(f, fail))
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fail(err)
	}
	tmp, err := createBeside(o.output)
	if err != nil {
		return fail(err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if fi != nil && fi.Mode().IsRegular() {
		if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
			tmp.Close()
			return fail(err)
		}
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp.Name(), o.output); err != nil {
		return fail(err)
	}
	return nil
}

// createBeside creates a new temporary file in the directory of path,
// with mode 0666 less the umask (os.CreateTemp would give 0600 whatever
// the umask says).
func createBeside(path string) (*os.File, error) {
	dir, base := filepath.Split(path)
	for range 100 {
		name := filepath.Join(dir, "."+base+".aptgraph-"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, errors.New("no free temporary name")
}

// unwrapPath drops the path from an *fs.PathError: the caller names the
// file the user gave instead (a temporary file's name means nothing).
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func closeErr(f *os.File, fail func(error) error) error {
	if err := f.Close(); err != nil {
		return fail(err)
	}
	return nil
}

// writeGraph writes a subgraph in the chosen format.
func (a *app) writeGraph(ctx context.Context, o *outputOpts, g *graph.Subgraph, title string) error {
	name, err := o.resolve(graphFormats)
	if err != nil {
		return err
	}
	f, _ := render.FormatNamed(name)
	limit, err := tlpLimit(o.maxTLP)
	if err != nil {
		return err
	}
	// Every graph output passes here: what --max-tlp does not admit
	// never reaches a writer, and the answer carries its marking.
	if gone := graph.FilterTLP(g, limit); gone > 0 {
		fmt.Fprintf(a.errOut, "note: %d items marked above %s left out (--max-tlp)\n", gone, limit.Label())
	}
	if o.title != "" {
		title = o.title
	}
	ro := render.Options{Title: title, Layout: o.layout, Scale: o.scale}
	if f.Directory {
		if o.output == "" || o.output == "-" {
			return usagef("--format %s writes a directory of files: give it with -o DIR", f.Name)
		}
		if err := f.WriteDir(o.output, g); err != nil {
			return err
		}
		if f.Name == "neo4j-csv" {
			fmt.Fprintf(a.errOut, "wrote %s; import into an empty, stopped database with:\n  neo4j-admin database import full %s neo4j\n",
				strings.Join(render.Neo4jCSVFiles, ", "), strings.Join(render.Neo4jImportArgs(o.output), " "))
		}
		return nil
	}
	return a.emit(o, f.Binary, func(w io.Writer) error { return f.Write(ctx, w, g, ro) })
}

// filterOpts are the relationship filters of the traversal commands.
type filterOpts struct {
	rels          []string
	minConfidence string
	during        string
	datedOnly     bool
	avoid         []string
}

func (f *filterOpts) register(c *cobra.Command) {
	c.Flags().StringSliceVar(&f.rels, "rel", nil, "follow only these relationship types, e.g. --rel DIRECTED,ATTACKED")
	c.Flags().StringVar(&f.minConfidence, "min-confidence", "", "follow only relationships at least this sure: "+strings.Join(graph.ConfidenceNames(), ", "))
	c.Flags().StringVar(&f.during, "during", "", "follow only claims whose dates overlap FROM..TO (2016..2017, 2016-04.., ..2017, 2016); undated claims count unless --dated-only")
	c.Flags().BoolVar(&f.datedOnly, "dated-only", false, "follow only dated claims (with --during, those that overlap it)")
	c.Flags().StringArrayVar(&f.avoid, "avoid", nil, "never pass through this entity (repeatable)")
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
	if f.during != "" {
		p, err := graph.ParsePeriod(f.during)
		if err != nil {
			return out, usagef("--during: %v", err)
		}
		out.Period = p
	}
	out.Period.DatedOnly = f.datedOnly
	out.Avoid = f.avoid
	return out, nil
}
