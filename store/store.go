// Package store is the contract between aptgraph's commands and its two
// stores: the embedded one (store/local, one SQLite file) and Neo4j
// (store/neo4jstore). Both implement Store and pass the same conformance
// suite (internal/storetest), which demands identical answers.
package store

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/aptgraph/aptgraph/graph"
)

// Store holds a graph and answers queries over it. Every method takes ctx
// first and stops when it is cancelled. Lists come back in a documented,
// deterministic order so that output is byte-identical across runs and
// across stores.
type Store interface {
	graph.Traverser

	// Load writes datasets: it plans each with graph.PlanLoad against the
	// stored state and applies the plan unless o.DryRun. Loading the same
	// dataset twice changes nothing. It returns one plan per dataset.
	Load(ctx context.Context, datasets []*graph.Dataset, o LoadOptions) ([]graph.Plan, error)
	// LoadParts writes one dataset that arrives in parts — sources, then
	// entities, then relationships, as a JSON Lines file is read — in
	// memory bounded by the part size: each part is planned against the
	// stored state of its own items; with o.Prune, stored items tagged
	// with the dataset that no part held are removed at the end. The
	// result is the same as Load of the whole dataset.
	LoadParts(ctx context.Context, name string, parts iter.Seq2[*graph.Dataset, error], o LoadOptions) (graph.Plan, error)
	// Rename applies a plan made by graph.PlanRename: a stored entity
	// moves to another id with its relationships, in one transaction on
	// the embedded store.
	Rename(ctx context.Context, p graph.Plan) error

	// Entities returns the entities with the given ids that exist, by id.
	Entities(ctx context.Context, ids []string) ([]graph.Entity, error)
	// List returns every entity of a kind (all kinds when kind is ""),
	// ordered by kind (legend order), then name, then id.
	List(ctx context.Context, kind graph.Kind) ([]graph.Entity, error)
	// Lookup returns the entities whose id, name or an alias equals name
	// after graph.Fold, ordered by id.
	Lookup(ctx context.Context, name string) ([]graph.Entity, error)
	// LookupNames is Lookup of many names at once, by folded name (only
	// names that name something): one query, where importing a galaxy
	// once made one per synonym.
	LookupNames(ctx context.Context, names []string) (map[string][]graph.Entity, error)
	// Search returns up to limit entities whose id, name or an alias
	// contains text after graph.Fold, ordered by id.
	Search(ctx context.Context, text string, limit int) ([]graph.Entity, error)
	// Relationships returns the relationships with the given keys that
	// exist, ordered by key.
	Relationships(ctx context.Context, keys []graph.RelKey) ([]graph.Relationship, error)
	// Sources returns the sources with the given ids that exist, by id.
	Sources(ctx context.Context, ids []string) ([]graph.Source, error)
	// Stats counts what the store holds.
	Stats(ctx context.Context) (graph.Stats, error)
	// DatasetFiles returns the file each named dataset was last loaded
	// from, where a load recorded one (LoadOptions.Files).
	DatasetFiles(ctx context.Context, names []string) (map[string]string, error)

	// ShortestPaths returns all shortest paths between two entity ids,
	// as graph.ShortestPaths defines them.
	ShortestPaths(ctx context.Context, from, to string, o graph.PathOptions) ([]graph.Path, error)
	// Attribution returns the attribution chains into a victim id, as
	// graph.Attribution defines them.
	Attribution(ctx context.Context, victim string, o graph.ChainOptions) ([]graph.Path, error)

	// Describe names the store for messages ("embedded store /path").
	Describe() string
	Close() error
}

// LoadOptions tune Store.Load.
type LoadOptions struct {
	DryRun bool // plan only; write nothing
	Prune  bool // remove what the dataset no longer contains
	// Replace takes this load's definition of an item another dataset
	// defines differently; without it such a load is refused with a
	// *graph.ConflictError and nothing is written.
	Replace   bool
	BatchSize int // rows per write batch, where the store batches (0: default)
	Writers   int // write transactions at once, where the store can (0: default)
	// Progress, when set, is called as items are written.
	Progress func(Progress)
	// Files are the files the datasets come from, by dataset name: the
	// store records them, so that a later conflict can point at the
	// other dataset's definition.
	Files map[string]string
}

// Progress reports a load under way.
type Progress struct {
	Dataset string
	Phase   string // "sources", "entities", "relationships", "prune"
	Done    int
	Total   int
}

// PartProgress turns parts written into Progress calls: Done counts the
// items of each phase so far; Total is 0 (the caller knows the file's
// counts and fills them in).
func PartProgress(dataset string, progress func(Progress)) func(*graph.Dataset) {
	done := map[string]int{}
	return func(part *graph.Dataset) {
		if progress == nil {
			return
		}
		for _, x := range []struct {
			phase string
			n     int
		}{{"sources", len(part.Sources)}, {"entities", len(part.Entities)}, {"relationships", len(part.Relationships)}} {
			if x.n > 0 {
				done[x.phase] += x.n
				progress(Progress{Dataset: dataset, Phase: x.phase, Done: done[x.phase]})
			}
		}
	}
}

// Errors the stores return, for callers to test with errors.Is.
var (
	// ErrBusy: another process holds the store's write lock too long.
	ErrBusy = errors.New("store is busy: another aptgraph is writing to it; try again when it has finished")
	// ErrNoStore: the embedded store file does not exist yet.
	ErrNoStore = errors.New("store does not exist")
	// ErrUnavailable: the store cannot be reached or refuses us.
	ErrUnavailable = errors.New("store unavailable")
)

// UnavailableError explains why a store cannot be used and what to try.
type UnavailableError struct {
	Store string // what we tried to open, without secrets
	What  string // what failed
	Hint  string // what to try
	Err   error
}

func (e *UnavailableError) Error() string {
	s := fmt.Sprintf("%s: %s", e.Store, e.What)
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// Unwrap lets errors.Is find ErrUnavailable and the cause.
func (e *UnavailableError) Unwrap() []error { return []error{ErrUnavailable, e.Err} }

// Known answers which entity and source ids exist in a store, and looks
// names up in it: what validation needs to resolve a dataset's references
// to what earlier loads stored (it is a loader.Known).
type Known struct{ Store }

// KnownEntities reports which of ids are stored entities.
func (k Known) KnownEntities(ctx context.Context, ids []string) (map[string]bool, error) {
	es, err := k.Entities(ctx, ids)
	out := map[string]bool{}
	for _, e := range es {
		out[e.ID] = true
	}
	return out, err
}

// KnownSources reports which of ids are stored sources.
func (k Known) KnownSources(ctx context.Context, ids []string) (map[string]bool, error) {
	ss, err := k.Sources(ctx, ids)
	out := map[string]bool{}
	for _, s := range ss {
		out[s.ID] = true
	}
	return out, err
}
