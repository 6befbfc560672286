package loader

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/aptgraph/aptgraph/graph"
)

// ReadAll reads, parses and validates a set of dataset files together:
// references may cross files. It returns the datasets (normalized) only
// when no file has an error; the diagnostics hold every error and warning
// found, sorted by file and line. A file that cannot be read is an error.
func ReadAll(ctx context.Context, names []string) ([]*graph.Dataset, Diagnostics, error) {
	return ReadAllWith(ctx, names, Options{})
}

// Options tune ReadAllWith.
type Options struct {
	// Known resolves references to what is already stored (may be nil).
	Known Known
	// Include keeps these unmapped STIX object types ("all": every one)
	// as entities of kind other.
	Include []string
	// Spool gives pipes, FIFOs, devices and standard input ("-") a
	// private copy that can be read twice; nil refuses them. Its copies
	// must outlive the load, so the caller closes it.
	Spool *Spooler
}

// Known tells which of the given entity or source ids already exist
// outside the files, in the store a load writes into, so that a dataset
// may refer to what another dataset loaded.
type Known interface {
	KnownEntities(ctx context.Context, ids []string) (map[string]bool, error)
	KnownSources(ctx context.Context, ids []string) (map[string]bool, error)
	// Lookup finds known entities by id, name or alias (for matching
	// imported STIX objects).
	Lookup(ctx context.Context, name string) ([]graph.Entity, error)
	// LookupNames is Lookup of many names, by folded name.
	LookupNames(ctx context.Context, names []string) (map[string][]graph.Entity, error)
}

// ReadAllWith is ReadAll with options: references resolved against what is
// known, STIX types kept with --include.
func ReadAllWith(ctx context.Context, names []string, o Options) ([]*graph.Dataset, Diagnostics, error) {
	read, diags, err := readAll(ctx, names, o)
	var out []*graph.Dataset
	for _, r := range read {
		out = append(out, r.ds)
	}
	return out, diags, err
}

// readFile is a validated, normalised dataset with where its items stand.
type readFile struct {
	ds      *graph.Dataset
	at      positions
	renames []graph.Rename
}

// positions are where a file defines its items: "source:ID",
// "entity:ID" and "relationship:FROM TYPE TO".
type positions map[string]*yaml.Node

func readAll(ctx context.Context, names []string, o Options) ([]readFile, Diagnostics, error) {
	known := o.Known
	var files []*File
	var diags Diagnostics
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		f, d, err := readFileCtx(ctx, n, o.Include)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, f)
		diags = append(diags, d...)
	}
	stored, err := lookupAll(ctx, files, known)
	if err != nil {
		return nil, nil, err
	}
	diags = append(diags, matchImports(files, stored)...)
	renames := findRenames(files, stored)
	cross, err := crossCheck(ctx, files, known)
	if err != nil {
		return nil, nil, err
	}
	diags = append(diags, cross...)
	diags.sort()
	if diags.Errors() > 0 {
		return nil, diags, &ValidationError{Diagnostics: diags}
	}
	var out []readFile
	for i, f := range files {
		at := positionsOf(f)
		ds := f.Dataset
		// Normalize sorts the slices it shares with f: positions were
		// taken above, by key, not by index.
		ds.Normalize()
		out = append(out, readFile{&ds, at, renames[i]})
	}
	return out, diags, nil
}

// positionsOf is where a parsed file defines its items, by key.
func positionsOf(f *File) positions {
	at := positions{}
	for k, n := range f.at {
		if i, isRel := strings.CutPrefix(k, "rel:"); isRel {
			if j, err := strconv.Atoi(i); err == nil && j < len(f.Dataset.Relationships) {
				r := f.Dataset.Relationships[j]
				at["relationship:"+r.From+" "+r.Type+" "+r.To] = n
			}
			continue
		}
		at[k] = n
	}
	return at
}

// readFileCtx is ReadFileWith that returns as soon as ctx is done. The
// parsers themselves (encoding/json, yaml.v3) take no context, so the
// parse runs on its own goroutine and is abandoned on cancellation: its
// result is never used, and the command exits right after.
func readFileCtx(ctx context.Context, name string, include []string) (*File, Diagnostics, error) {
	type result struct {
		f   *File
		d   Diagnostics
		err error
	}
	done := make(chan result, 1)
	go func() {
		f, d, err := ReadFileWith(name, include)
		done <- result{f, d, err}
	}()
	select {
	case r := <-done:
		return r.f, r.d, r.err
	case <-ctx.Done():
		return nil, nil, fmt.Errorf("read dataset %s: %w", name, ctx.Err())
	}
}

// CrossCheck validates what needs every file at once: that every cited
// entity and source exists, that ids defined in two files agree, that
// dataset names are distinct, and that every source is cited.
func CrossCheck(files []*File) Diagnostics {
	d, _ := crossCheck(context.Background(), files, nil)
	return d
}

func crossCheck(ctx context.Context, files []*File, known Known) (Diagnostics, error) {
	var diags Diagnostics
	add := func(f *File, n *yaml.Node, sev Severity, hint, format string, args ...any) {
		line, col := 1, 1
		if n != nil {
			line, col = n.Line, n.Column
		}
		diags = append(diags, Diagnostic{File: f.Name, Line: line, Column: col, Severity: sev, Message: fmt.Sprintf(format, args...), Hint: hint})
	}
	type def[T any] struct {
		f *File
		v T
	}
	entities := map[string]def[graph.Entity]{}
	sources := map[string]def[graph.Source]{}
	datasets := map[string]*File{}
	for _, f := range files {
		if n := f.Dataset.Name; n != "" {
			if prev, dup := datasets[n]; dup {
				add(f, nil, Error, "give each file its own dataset name", "dataset %q is also the name of %s", n, prev.Name)
			} else {
				datasets[n] = f
			}
		}
		for _, s := range f.Dataset.Sources {
			if s.ID == "" {
				continue
			}
			if prev, dup := sources[s.ID]; dup && prev.f != f && !reflect.DeepEqual(prev.v, s) {
				add(f, f.at["source:"+s.ID], Error, "make both definitions the same, or rename one", "source %q is defined differently in %s", s.ID, prev.f.Name)
			} else if !dup {
				sources[s.ID] = def[graph.Source]{f, s}
			}
		}
		for _, e := range f.Dataset.Entities {
			if e.ID == "" {
				continue
			}
			if prev, dup := entities[e.ID]; dup && prev.f != f && prev.v.Kind != e.Kind && e.Kind != "" && prev.v.Kind != "" {
				add(f, f.at["entity:"+e.ID], Error, "an entity has one kind: rename one of them", "entity %q is %s here and %s in %s", e.ID, e.Kind.WithArticle(), prev.v.Kind.WithArticle(), prev.f.Name)
			} else if !dup {
				entities[e.ID] = def[graph.Entity]{f, e}
			}
		}
	}
	entityIDs := graph.SortedKeys(entities)
	sourceIDs := graph.SortedKeys(sources)
	outsideEntities, outsideSources := map[string]bool{}, map[string]bool{}
	if known != nil {
		var ents, srcs []string
		for _, f := range files {
			for _, r := range f.Dataset.Relationships {
				for _, id := range append([]string{r.From, r.To}, r.Via...) {
					if _, ok := entities[id]; !ok && id != "" {
						ents = append(ents, id)
					}
				}
				srcs = append(srcs, r.Sources...)
			}
			for _, e := range f.Dataset.Entities {
				srcs = append(srcs, e.Sources...)
			}
		}
		var missing []string
		for _, id := range srcs {
			if _, ok := sources[id]; !ok {
				missing = append(missing, id)
			}
		}
		var err error
		if len(ents) > 0 {
			if outsideEntities, err = known.KnownEntities(ctx, graph.SortedUnique(ents)); err != nil {
				return nil, fmt.Errorf("resolve references against the store: %w", err)
			}
		}
		if len(missing) > 0 {
			if outsideSources, err = known.KnownSources(ctx, graph.SortedUnique(missing)); err != nil {
				return nil, fmt.Errorf("resolve references against the store: %w", err)
			}
		}
	}
	cited := map[string]bool{}
	checkSources := func(f *File, item *yaml.Node, ids []string) {
		for i, id := range ids {
			cited[id] = true
			if _, ok := sources[id]; ok || outsideSources[id] {
				continue
			}
			hint := "define it under sources: (or load a dataset that does first), or fix the id"
			if s := suggest(id, sourceIDs); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			}
			add(f, listItem(item, "sources", i), Error, hint, "source %q is not defined", clip(id))
		}
	}
	for _, f := range files {
		for _, e := range f.Dataset.Entities {
			checkSources(f, f.at["entity:"+e.ID], e.Sources)
		}
		for i, r := range f.Dataset.Relationships {
			item := f.at["rel:"+strconv.Itoa(i)]
			for _, end := range entityRefs(r, item) {
				if end.id == "" {
					continue
				}
				if _, ok := entities[end.id]; !ok && !outsideEntities[end.id] {
					hint := "define it under entities: (or load a dataset that does first), or fix the id"
					if s := suggest(end.id, entityIDs); s != "" {
						hint = fmt.Sprintf("did you mean %q?", s)
					}
					add(f, end.at, Error, hint, "%s: entity %q is not defined", end.field, clip(end.id))
				}
			}
			checkSources(f, item, r.Sources)
		}
	}
	for _, f := range files {
		for _, s := range f.Dataset.Sources {
			if s.ID != "" && !cited[s.ID] && sources[s.ID].f == f {
				add(f, f.at["source:"+s.ID], Warning, "cite it from a relationship or entity, or remove it", "source %q is never cited", s.ID)
			}
		}
	}
	sort.SliceStable(diags, func(i, j int) bool { return diags[i].Line < diags[j].Line })
	return diags, nil
}

// entityRef is one entity a relationship refers to, with where it does.
type entityRef struct {
	field, id string
	at        *yaml.Node
}

// entityRefs lists the entities r refers to: its two ends, then its via.
func entityRefs(r graph.Relationship, item *yaml.Node) []entityRef {
	refs := []entityRef{{"from", r.From, fieldNode(item, "from")}, {"to", r.To, fieldNode(item, "to")}}
	for i, id := range r.Via {
		refs = append(refs, entityRef{"via", id, listItem(item, "via", i)})
	}
	return refs
}

func fieldNode(item *yaml.Node, name string) *yaml.Node {
	if item == nil || item.Kind != yaml.MappingNode {
		return item
	}
	for i := 0; i+1 < len(item.Content); i += 2 {
		if item.Content[i].Value == name {
			return item.Content[i+1]
		}
	}
	return item
}

func listItem(item *yaml.Node, name string, i int) *yaml.Node {
	n := fieldNode(item, name)
	if n != nil && n.Kind == yaml.SequenceNode && i < len(n.Content) {
		return n.Content[i]
	}
	return n
}
