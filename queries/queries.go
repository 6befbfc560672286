// Package queries is aptgraph's query layer and the analysts' Cypher
// catalogue. Each query is a Go function over store.Store: it resolves the
// names users type, asks the store (each store answers its own way: the
// Neo4j store's Cypher lives beside it, in store/neo4jstore/cypher), ranks
// and limits, and turns the answer into a graph.Subgraph for rendering.
// analyst/ holds ready-made Cypher for analysts, embedded here so that
// tests can run every one of them against Neo4j.
package queries

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/store"
)

//go:embed analyst/*.cypher
var files embed.FS

// Analyst returns the text of an analyst query, such as
// "analyst/01-single-source-claims.cypher".
func Analyst(name string) (string, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("analyst query %s: %w", name, err)
	}
	return string(b), nil
}

// AnalystQueries lists the ready-made analyst queries (analyst/*.cypher),
// by file name.
func AnalystQueries() []string {
	names, _ := fs.Glob(files, "analyst/*.cypher")
	sort.Strings(names)
	return names
}

// ErrBadRequest is wrapped by errors in what was asked (an empty name,
// the same entity twice, attribution from a non-victim), so that the
// command line can exit 2 for them.
var ErrBadRequest = errors.New("bad request")

// requestError is an ErrBadRequest with its own message.
type requestError struct{ msg string }

func (e *requestError) Error() string { return e.msg }
func (e *requestError) Unwrap() error { return ErrBadRequest }

func badRequest(format string, args ...any) error {
	return &requestError{fmt.Sprintf(format, args...)}
}

// ErrNotFound is wrapped by every "no such entity" and "no path" error, so
// that the command line can exit 3 for them.
var ErrNotFound = errors.New("not found")

// NotFoundError says a name matched no entity, with near matches.
type NotFoundError struct {
	Name    string
	Similar []graph.Entity
}

func (e *NotFoundError) Error() string {
	s := fmt.Sprintf("no entity is called %q", e.Name)
	if len(e.Similar) > 0 {
		var names []string
		for _, c := range e.Similar {
			names = append(names, fmt.Sprintf("%s (%s)", c.Name, c.ID))
		}
		s += "; did you mean: " + strings.Join(names, ", ")
	} else {
		s += "; try `aptgraph search` or `aptgraph list`"
	}
	return s
}

// Unwrap makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// AmbiguousError says a name matched several entities.
type AmbiguousError struct {
	Name       string
	Candidates []graph.Entity
}

func (e *AmbiguousError) Error() string {
	var names []string
	for _, c := range e.Candidates {
		names = append(names, fmt.Sprintf("%s (%s, id %s)", c.Name, c.Kind, c.ID))
	}
	return fmt.Sprintf("%q is ambiguous: it names %s; use an id", e.Name, strings.Join(names, ", "))
}

// Resolve finds the one entity that a user's name means: by id, name or
// alias, case-insensitively. An exact id match wins over name and alias
// matches.
func Resolve(ctx context.Context, s store.Store, name string) (graph.Entity, error) {
	if strings.TrimSpace(name) == "" {
		return graph.Entity{}, badRequest("empty entity name")
	}
	found, err := s.Lookup(ctx, name)
	if err != nil {
		return graph.Entity{}, err
	}
	switch len(found) {
	case 0:
		similar, err := s.Search(ctx, name, 5)
		if err != nil {
			return graph.Entity{}, err
		}
		return graph.Entity{}, &NotFoundError{Name: name, Similar: similar}
	case 1:
		return found[0], nil
	}
	for _, e := range found {
		if e.ID == name {
			return e, nil
		}
	}
	return graph.Entity{}, &AmbiguousError{Name: name, Candidates: found}
}

// NoPathError says a path query found nothing within its limits.
type NoPathError struct {
	From, To graph.Entity
	What     string
	// Tries are what may find one: only the limits the query had.
	Tries []string
}

func (e *NoPathError) Error() string {
	msg := fmt.Sprintf("no %s between %s and %s", e.What, e.From.Name, e.To.Name)
	if len(e.Tries) > 0 {
		msg += "; try " + strings.Join(e.Tries, ", or ")
	}
	return msg
}

// tries lists what might find an answer that the limits of a query hid,
// naming only the flags it was given.
func tries(maxHops, ceiling int, directed bool, f graph.Filter) []string {
	var out []string
	if maxHops < ceiling {
		out = append(out, fmt.Sprintf("a larger --max-hops (at most %d)", ceiling))
	}
	if f.MinConfidence != "" && f.MinConfidence != graph.Suspected {
		out = append(out, fmt.Sprintf("a lower --min-confidence (%s leaves out every weaker claim)", f.MinConfidence))
	}
	if len(f.Types) > 0 {
		out = append(out, "more --rel types")
	}
	if f.Period.From != "" || f.Period.To != "" {
		out = append(out, "a wider --during")
	}
	if f.Period.DatedOnly {
		out = append(out, "without --dated-only")
	}
	if directed {
		out = append(out, "without --directed")
	}
	return out
}

// Unwrap makes errors.Is(err, ErrNotFound) true.
func (e *NoPathError) Unwrap() error { return ErrNotFound }

// Ranking chooses what a path answer is: by default the most credible
// paths (graph.Rank) among every simple path at most Search.Longer hops
// longer than the shortest; with AllShortest, every shortest path, sorted
// by ids (the answer before ranking existed).
type Ranking struct {
	AllShortest bool
	// Search bounds the candidates; its Via and Avoid are names, resolved
	// like FROM and TO.
	Search graph.PathSearch
}

// Path answers the paths between two named entities: the o.Limit most
// credible, ranked, with how many more there are (see Ranking).
func Path(ctx context.Context, s store.Store, from, to string, o graph.PathOptions, r Ranking) (*graph.Subgraph, error) {
	a, err := Resolve(ctx, s, from)
	if err != nil {
		return nil, err
	}
	b, err := Resolve(ctx, s, to)
	if err != nil {
		return nil, err
	}
	if a.ID == b.ID {
		return nil, badRequest("%q and %q are the same entity (%s); give two different ones", from, to, a.ID)
	}
	search := r.Search
	if search.Via, err = resolveAll(ctx, s, r.Search.Via); err != nil {
		return nil, err
	}
	if search.Avoid, err = resolveAll(ctx, s, slices.Concat(r.Search.Avoid, o.Avoid)); err != nil {
		return nil, err
	}
	o.Avoid = search.Avoid
	for _, id := range search.Avoid {
		if id == a.ID || id == b.ID {
			return nil, badRequest("--avoid %s is an end of the path", id)
		}
	}
	noPath := func(what string) error {
		t := tries(o.MaxHops, graph.MaxPathHops, o.Directed, o.Filter)
		if len(search.Via)+len(search.Avoid) > 0 {
			t = append(t, "fewer --via or --avoid")
		}
		return &NoPathError{From: a, To: b, What: what, Tries: t}
	}
	limit := o.Limit
	all := o
	all.Limit = 0
	t := traverser(s, o.Filter)
	var shortest []graph.Path
	if !o.InGo() {
		shortest, err = s.ShortestPaths(ctx, a.ID, b.ID, all)
	} else {
		shortest, err = graph.ShortestPaths(ctx, t, a.ID, b.ID, all)
	}
	if err != nil {
		return nil, fmt.Errorf("path %s → %s: %w", a.ID, b.ID, err)
	}
	if len(shortest) == 0 {
		return nil, noPath(fmt.Sprintf("path of at most %d hops", o.MaxHops))
	}
	if r.AllShortest {
		var kept []graph.Path
		for _, p := range shortest {
			if p.Through(search.Via) && !p.Touches(search.Avoid) {
				kept = append(kept, p)
			}
		}
		if len(kept) == 0 {
			return nil, noPath(fmt.Sprintf("shortest path (%d hops)", shortest[0].Len()))
		}
		g, err := FromPaths(ctx, s, limitPaths(kept, limit))
		if g != nil && limit > 0 && len(kept) > limit {
			g.MorePaths = len(kept) - limit
		}
		return g, err
	}
	cands, complete, err := graph.CandidatePaths(ctx, t, a.ID, b.ID, shortest[0].Len(), o, search)
	if err != nil {
		return nil, fmt.Errorf("path %s → %s: %w", a.ID, b.ID, err)
	}
	note := ""
	if !complete {
		// At hubs the search stops rather than run on: rank what is
		// certain to be complete, the shortest paths, and say so.
		cands = nil
		for _, p := range shortest {
			if p.Through(search.Via) && !p.Touches(search.Avoid) {
				cands = append(cands, p)
			}
		}
		note = fmt.Sprintf("the search for longer paths stopped at its budget (hubs of thousands of claims): ranked among the %d shortest paths only", len(shortest))
	}
	if len(cands) == 0 {
		return nil, noPath(fmt.Sprintf("path of at most %d hops", min(o.MaxHops, shortest[0].Len()+search.Longer)))
	}
	g, err := rankedPaths(ctx, s, cands, limit)
	if err != nil {
		return nil, err
	}
	g.Note = note
	return g, nil
}

// traverser is the store, or, when the filter has a period or entities to
// avoid, the store with those checked in Go (graph.InGo): the stores' own
// queries read neither, so both answer alike.
func traverser(s store.Store, f graph.Filter) graph.Traverser {
	if !f.InGo() {
		return s
	}
	return graph.InGo(s)
}

// resolveFilter turns the names in f.Avoid into entity ids.
func resolveFilter(ctx context.Context, s store.Store, f graph.Filter) (graph.Filter, error) {
	if len(f.Avoid) == 0 {
		return f, nil
	}
	ids, err := resolveAll(ctx, s, f.Avoid)
	f.Avoid = ids
	return f, err
}

// resolveAll resolves names to entity ids.
func resolveAll(ctx context.Context, s store.Store, names []string) ([]string, error) {
	var ids []string
	for _, n := range names {
		e, err := Resolve(ctx, s, n)
		if err != nil {
			return nil, err
		}
		ids = append(ids, e.ID)
	}
	return ids, nil
}

func limitPaths(ps []graph.Path, limit int) []graph.Path {
	if limit > 0 && len(ps) > limit {
		return ps[:limit]
	}
	return ps
}

// Attribution finds the chains that lead from organizations to a victim.
func Attribution(ctx context.Context, s store.Store, victim string, o graph.ChainOptions) (*graph.Subgraph, error) {
	v, err := Resolve(ctx, s, victim)
	if err != nil {
		return nil, err
	}
	if v.Kind != graph.KindVictim {
		return nil, badRequest("%s is %s, not a victim: attribution starts from a victim (see aptgraph list --kind victim)", v.Name, v.Kind.WithArticle())
	}
	limit := o.Limit
	o.Limit = 0 // every chain, to rank them all before the limit
	if o.Filter, err = resolveFilter(ctx, s, o.Filter); err != nil {
		return nil, err
	}
	via, err := resolveAll(ctx, s, o.Via)
	if err != nil {
		return nil, err
	}
	var chains []graph.Path
	if !o.InGo() {
		chains, err = s.Attribution(ctx, v.ID, o)
	} else {
		chains, err = graph.Attribution(ctx, traverser(s, o.Filter), v.ID, o)
	}
	if len(via) > 0 {
		var kept []graph.Path
		for _, c := range chains {
			if c.Through(via) {
				kept = append(kept, c)
			}
		}
		chains = kept
	}
	if err != nil {
		return nil, fmt.Errorf("attribution of %s: %w", v.ID, err)
	}
	if len(chains) == 0 {
		msg := fmt.Sprintf("no attribution chain of at most %d hops leads from an organization to %s", o.MaxHops, v.Name)
		if t := tries(o.MaxHops, graph.MaxChainHops, false, o.Filter); len(t) > 0 {
			msg += "; try " + strings.Join(t, ", or ")
		}
		return nil, fmt.Errorf("%s (chains follow only the relationships that carry responsibility: aptgraph attribution --help): %w", msg, ErrNotFound)
	}
	return rankedPaths(ctx, s, chains, limit)
}

// rankingFacts is a store that reads what ranking needs of many
// relationships faster than whole (both stores): answers at hubs rank
// thousands of paths, and reading each relationship whole was most of
// such an answer's time.
type rankingFacts interface {
	// RankingFacts returns the relationships of keys that exist, ordered
	// by key, with at least what graph.Assess reads: confidence, sources,
	// and claims and route where several claims name routes.
	RankingFacts(ctx context.Context, keys []graph.RelKey) ([]graph.Relationship, error)
}

// rankedPaths orders paths firmest first (graph.Rank), keeps the first
// limit of them (all for 0) and builds their subgraph, each path with its
// credibility and the count of those left out.
func rankedPaths(ctx context.Context, s store.Store, paths []graph.Path, limit int) (*graph.Subgraph, error) {
	read := s.Relationships
	if f, ok := s.(rankingFacts); ok {
		read = f.RankingFacts
	}
	all, err := read(ctx, pathKeys(paths))
	if err != nil {
		return nil, err
	}
	rels := map[graph.RelKey]graph.Relationship{}
	for _, r := range all {
		rels[r.Key()] = r
	}
	ranked, creds := graph.Rank(paths, rels)
	more := 0
	if limit > 0 && len(ranked) > limit {
		more = len(ranked) - limit
		ranked = ranked[:limit]
	}
	for i := range ranked {
		ranked[i].Credibility = &creds[i]
	}
	g, err := FromPaths(ctx, s, ranked)
	if err != nil {
		return nil, err
	}
	g.MorePaths = more
	return g, nil
}

// pathKeys lists the keys of the paths' relationships, once each, sorted.
func pathKeys(paths []graph.Path) []graph.RelKey {
	keys := map[graph.RelKey]bool{}
	for _, p := range paths {
		for _, r := range p.Rels {
			keys[graph.RelKey(r)] = true
		}
	}
	ks := make([]graph.RelKey, 0, len(keys))
	for k := range keys {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].Less(ks[j]) })
	return ks
}

// Neighbors returns the ego network of a named entity.
// With limit > 0 it keeps the limit entities nearest the centre (by hops,
// then id), the relationships among them, and counts the others.
func Neighbors(ctx context.Context, s store.Store, name string, depth int, f graph.Filter, limit int) (*graph.Subgraph, error) {
	c, err := Resolve(ctx, s, name)
	if err != nil {
		return nil, err
	}
	if f, err = resolveFilter(ctx, s, f); err != nil {
		return nil, err
	}
	if slices.Contains(f.Avoid, c.ID) {
		return nil, badRequest("--avoid %s is the entity whose neighbours are asked for", c.ID)
	}
	dist, rels, err := graph.NeighborhoodHops(ctx, traverser(s, f), c.ID, depth, f)
	if err != nil {
		return nil, fmt.Errorf("neighbors of %s: %w", c.ID, err)
	}
	ids := graph.SortedKeys(dist)
	more := 0
	if limit > 0 && len(ids)-1 > limit {
		sort.SliceStable(ids, func(i, j int) bool {
			if dist[ids[i]] != dist[ids[j]] {
				return dist[ids[i]] < dist[ids[j]]
			}
			return ids[i] < ids[j]
		})
		more = len(ids) - 1 - limit
		ids = ids[:limit+1]
		keep := map[string]bool{}
		for _, id := range ids {
			keep[id] = true
		}
		var kept []graph.Relationship
		for _, r := range rels {
			if keep[r.From] && keep[r.To] {
				kept = append(kept, r)
			}
		}
		rels = kept
		sort.Strings(ids)
	}
	g, err := complete(ctx, s, ids, rels, nil)
	if g != nil {
		g.MoreEntities = more
	}
	return g, err
}

// Show returns one entity with its direct relationships and the entities
// at their other ends.
func Show(ctx context.Context, s store.Store, name string) (graph.Entity, *graph.Subgraph, error) {
	e, err := Resolve(ctx, s, name)
	if err != nil {
		return e, nil, err
	}
	rels, err := s.Expand(ctx, []string{e.ID}, graph.Both, graph.Filter{})
	if err != nil {
		return e, nil, fmt.Errorf("show %s: %w", e.ID, err)
	}
	set := map[string]bool{e.ID: true}
	for _, r := range rels {
		set[r.From], set[r.To] = true, true
	}
	sort.Slice(rels, func(i, j int) bool { return rels[i].Key().Less(rels[j].Key()) })
	g, err := complete(ctx, s, graph.SortedKeys(set), rels, nil)
	return e, g, err
}

// FromPaths builds the subgraph of a list of paths: their nodes, their
// relationships and the sources cited.
func FromPaths(ctx context.Context, s store.Store, paths []graph.Path) (*graph.Subgraph, error) {
	ids := map[string]bool{}
	for _, p := range paths {
		for _, n := range p.Nodes {
			ids[n] = true
		}
	}
	rels, err := s.Relationships(ctx, pathKeys(paths))
	if err != nil {
		return nil, err
	}
	return complete(ctx, s, graph.SortedKeys(ids), rels, paths)
}

// complete fetches the entities and cited sources of a result.
func complete(ctx context.Context, s store.Store, ids []string, rels []graph.Relationship, paths []graph.Path) (*graph.Subgraph, error) {
	nodes, err := s.Entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	g := &graph.Subgraph{Nodes: nodes, Relationships: rels, Paths: paths}
	if g.Relationships == nil {
		g.Relationships = []graph.Relationship{}
	}
	g.Sources, err = s.Sources(ctx, g.CitedSourceIDs())
	if err != nil {
		return nil, err
	}
	if g.Sources == nil {
		g.Sources = []graph.Source{}
	}
	g.Sort()
	return g, nil
}

// Export returns the whole graph: every entity, every relationship among
// them, and every source cited.
func Export(ctx context.Context, s store.Store) (*graph.Subgraph, error) {
	es, err := s.List(ctx, "")
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	rels, err := s.Expand(ctx, ids, graph.Both, graph.Filter{})
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return complete(ctx, s, ids, rels, nil)
}

// Rename moves the stored entity from to the id of the entity a load
// brings (graph.Rename, graph.PlanRename): with its relationships, its
// contents merged under the load's scalars. It reports false when the
// store no longer holds from.
func Rename(ctx context.Context, s store.Store, to graph.Entity, from string) (bool, error) {
	ys, err := s.Entities(ctx, []string{from})
	if err != nil || len(ys) == 0 {
		return false, err
	}
	var stored *graph.Entity
	xs, err := s.Entities(ctx, []string{to.ID})
	if err != nil {
		return false, err
	}
	if len(xs) > 0 {
		stored = &xs[0]
	}
	rels, err := s.Expand(ctx, []string{from}, graph.Both, graph.Filter{})
	if err != nil {
		return false, err
	}
	var keys []graph.RelKey
	for _, r := range rels {
		k := r.Key()
		if k.From == from {
			k.From = to.ID
		}
		if k.To == from {
			k.To = to.ID
		}
		keys = append(keys, k)
	}
	existing, err := s.Relationships(ctx, keys)
	if err != nil {
		return false, err
	}
	atNew := map[graph.RelKey]graph.Relationship{}
	for _, r := range existing {
		atNew[r.Key()] = r
	}
	if err := s.Rename(ctx, graph.PlanRename(ys[0], to, stored, rels, atNew)); err != nil {
		return false, fmt.Errorf("merge stored %s into %s: %w", from, to.ID, err)
	}
	return true, nil
}
