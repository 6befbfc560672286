package loader

import (
	"context"
	"errors"

	"github.com/aptgraph/aptgraph/graph"
)

// Input is one validated dataset file: read whole (YAML, JSON, STIX) into
// Dataset, or, for JSON Lines, checked and left on disk as a Stream.
type Input struct {
	File    string
	Dataset *graph.Dataset // whole files
	Stream  *Stream        // JSON Lines
	// Renames are stored entities this input takes over (see
	// graph.Rename): apply them before loading it.
	Renames []graph.Rename
	at      positions // whole files: where each item stands
}

// Position is where the input defines an item: kind "source", "entity" or
// "relationship", key its id or "FROM TYPE TO". A JSON Lines file keeps
// no positions (it is read line by line): ok is false.
func (in Input) Position(kind, key string) (line, col int, ok bool) {
	n := in.at[kind+":"+key]
	if n == nil {
		return 0, 0, false
	}
	return n.Line, n.Column, true
}

// Name is the dataset's name.
func (in Input) Name() string {
	if in.Stream != nil {
		return in.Stream.Dataset
	}
	return in.Dataset.Name
}

// Counts are the numbers of sources, entities and relationships.
func (in Input) Counts() (sources, entities, relationships int) {
	if in.Stream != nil {
		return in.Stream.Sources, in.Stream.Entities, in.Stream.Relationships
	}
	return len(in.Dataset.Sources), len(in.Dataset.Entities), len(in.Dataset.Relationships)
}

// ReadInputs validates dataset files of every format together, in the
// order given: whole files as ReadAllWith does (references may cross
// them), then JSON Lines files, whose references may also point into the
// whole files. Dataset names must differ across all of them. Inputs come
// back only when no file has an error.
func ReadInputs(ctx context.Context, names []string, o Options) ([]Input, Diagnostics, error) {
	sp := o.Spool
	if sp == nil {
		sp = NewSpooler()
		defer sp.Close()
	}
	in, diags, err := readInputs(ctx, names, o, sp)
	for i := range diags {
		diags[i].File = sp.Given(diags[i].File)
		diags[i].Message = sp.renameText(diags[i].Message)
	}
	for i := range in {
		in[i].File = sp.Given(in[i].File)
	}
	if ve, ok := err.(*ValidationError); ok {
		ve.Diagnostics = diags
	}
	return in, diags, sp.rename(err)
}

func readInputs(ctx context.Context, given []string, o Options, sp *Spooler) ([]Input, Diagnostics, error) {
	var names, whole, streams []string
	stream := map[string]bool{}
	for _, g := range given {
		n, err := sp.Path(ctx, g)
		if err != nil {
			return nil, nil, err
		}
		if stream[n], err = isStream(n); err != nil {
			return nil, nil, err
		}
		names = append(names, n)
		if stream[n] {
			streams = append(streams, n)
		} else {
			whole = append(whole, n)
		}
	}
	var diags Diagnostics
	var read []readFile
	if len(whole) > 0 {
		var err error
		var d Diagnostics
		read, d, err = readAll(ctx, whole, o)
		diags = append(diags, d...)
		var ve *ValidationError
		if err != nil && !errors.As(err, &ve) {
			return nil, nil, err
		}
	}
	known := alsoKnown{o.Known, map[string]bool{}, map[string]bool{}}
	names2 := map[string]string{}
	for i, r := range read {
		ds := r.ds
		names2[ds.Name] = sp.Given(whole[i])
		for _, e := range ds.Entities {
			known.entities[e.ID] = true
		}
		for _, s := range ds.Sources {
			known.sources[s.ID] = true
		}
	}
	checked := map[string]*Stream{}
	for _, n := range streams {
		st, d, err := CheckStream(ctx, n, known)
		diags = append(diags, d...)
		var ve *ValidationError
		if err != nil && !errors.As(err, &ve) {
			return nil, nil, err
		}
		if st == nil {
			continue
		}
		if prev, dup := names2[st.Dataset]; dup {
			diags = append(diags, Diagnostic{File: n, Line: 1, Column: 1, Severity: Error,
				Message: "dataset \"" + st.Dataset + "\" is also the name of " + prev, Hint: "give each file its own dataset name"})
			continue
		}
		names2[st.Dataset] = sp.Given(n)
		checked[n] = st
	}
	diags.sort()
	if diags.Errors() > 0 {
		return nil, diags, &ValidationError{Diagnostics: diags}
	}
	var out []Input
	i := 0
	for _, n := range names {
		if st := checked[n]; st != nil {
			out = append(out, Input{File: n, Stream: st})
		} else if !stream[n] {
			out = append(out, Input{File: n, Dataset: read[i].ds, Renames: read[i].renames, at: read[i].at})
			i++
		}
	}
	return out, diags, nil
}

// alsoKnown resolves references against the whole files read with the
// streams, then the store.
type alsoKnown struct {
	store             Known
	entities, sources map[string]bool
}

func (k alsoKnown) resolve(ctx context.Context, ids []string, mine map[string]bool, theirs func(context.Context, []string) (map[string]bool, error)) (map[string]bool, error) {
	out := map[string]bool{}
	var rest []string
	for _, id := range ids {
		if mine[id] {
			out[id] = true
		} else {
			rest = append(rest, id)
		}
	}
	if len(rest) == 0 || k.store == nil {
		return out, nil
	}
	found, err := theirs(ctx, rest)
	for id := range found {
		out[id] = found[id]
	}
	return out, err
}

func (k alsoKnown) KnownEntities(ctx context.Context, ids []string) (map[string]bool, error) {
	var theirs func(context.Context, []string) (map[string]bool, error)
	if k.store != nil {
		theirs = k.store.KnownEntities
	}
	return k.resolve(ctx, ids, k.entities, theirs)
}

func (k alsoKnown) KnownSources(ctx context.Context, ids []string) (map[string]bool, error) {
	var theirs func(context.Context, []string) (map[string]bool, error)
	if k.store != nil {
		theirs = k.store.KnownSources
	}
	return k.resolve(ctx, ids, k.sources, theirs)
}

func (k alsoKnown) Lookup(ctx context.Context, name string) ([]graph.Entity, error) {
	if k.store == nil {
		return nil, nil
	}
	return k.store.Lookup(ctx, name)
}

func (k alsoKnown) LookupNames(ctx context.Context, names []string) (map[string][]graph.Entity, error) {
	if k.store == nil {
		return nil, nil
	}
	return k.store.LookupNames(ctx, names)
}

// Positions parses one dataset file on its own, without checking its
// references, to tell where it defines its items: what a message about
// another dataset's definition points at. A JSON Lines file has none.
func Positions(ctx context.Context, name string) (func(kind, key string) (line, col int, ok bool), error) {
	stream, err := isStream(name)
	if err != nil {
		return nil, err
	}
	none := func(string, string) (int, int, bool) { return 0, 0, false }
	if stream {
		return none, nil
	}
	f, _, err := readFileCtx(ctx, name, nil)
	if err != nil {
		return nil, err
	}
	in := Input{at: positionsOf(f)}
	return in.Position, nil
}
