package neo4jstore

import (
	"context"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"golang.org/x/sync/errgroup"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/store"
)

// DefaultBatchSize is the number of rows per UNWIND transaction, measured
// with BenchmarkLoadBatchSize (figures in the README, "Neo4j"): past about
// 1000 rows a batch, larger batches stop paying and hold locks longer.
const DefaultBatchSize = 1000

// DefaultWriters is how many write transactions a load runs at once.
// One, measured on the two-core machine the benchmarks run on: at 1M
// relationships two writers took as long (86 s against 88 s) and cost the
// server 15 s more processor time, as both walk the shared end nodes in
// the same order and wait on each other's locks (docs/DESIGN-NOTES.md,
// "Scale"). A server with more cores than the loader shares it with can
// use more (--writers).
const DefaultWriters = 1

// EnsureSchema creates the constraints and indexes, each in its own
// transaction, before any data (IF NOT EXISTS: safe to repeat).
func (s *Store) EnsureSchema(ctx context.Context) error {
	for _, stmt := range statements(statement("schema.cypher")) {
		if _, err := s.write(ctx, stmt, nil); err != nil {
			return fmt.Errorf("%s: create schema: %w", s.Describe(), err)
		}
	}
	return nil
}

// finish ends a load: it waits until the eventually consistent full-text
// index holds what the load wrote (see schema.cypher), so that a search
// after a load finds it.
func (s *Store) finish(ctx context.Context, o store.LoadOptions) error {
	if o.DryRun {
		return nil
	}
	if _, err := s.write(ctx, statement("await_fulltext.cypher"), nil); err != nil {
		return s.opErr(ctx, "wait for the full-text index", err)
	}
	return nil
}

// SchemaStatements are the statements EnsureSchema runs, for tools that
// build the same graph another way (the benchmark's LOAD CSV).
func SchemaStatements() []string { return statements(statement("schema.cypher")) }

// statements splits a file of ;-separated statements, dropping comments.
func statements(text string) []string {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "//") {
			lines = append(lines, l)
		}
	}
	var out []string
	for _, st := range strings.Split(strings.Join(lines, "\n"), ";") {
		if st = strings.TrimSpace(st); st != "" {
			out = append(out, st)
		}
	}
	return out
}

// write runs one statement in a managed write transaction (retried on
// transient errors) and returns its records.
func (s *Store) write(ctx context.Context, query string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := neo4j.ExecuteQuery(ctx, s.driver, query, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.db), neo4j.ExecuteQueryWithWritersRouting())
	if err != nil {
		return nil, err
	}
	return res.Records, nil
}

// EntityQuery is load_entities.cypher for one kind; the label comes from
// the allow-list graph.Kinds. For entities the store did not hold (fresh)
// the line that removes the other kinds' labels is left out: a new node
// has none, and removing nine labels from each of a million nodes was a
// fifth of loading them.
func EntityQuery(k graph.Kind, fresh bool) (string, error) {
	label := k.Label()
	if label == "" {
		return "", fmt.Errorf("unknown kind %q", k)
	}
	var all strings.Builder
	for _, ki := range graph.Kinds() {
		all.WriteString(":" + ki.Label)
	}
	q := statement("load_entities.cypher")
	if fresh {
		q = strings.Replace(q, "REMOVE n{{ALL_LABELS}}\n", "", 1)
	}
	q = strings.ReplaceAll(q, "{{ALL_LABELS}}", all.String())
	return strings.ReplaceAll(q, "{{LABEL}}", label), nil
}

// RelationshipQuery is load_relationships.cypher for one type; the type
// must match graph.TypePattern, so it cannot carry Cypher.
func RelationshipQuery(t string) (string, error) {
	if !graph.TypePattern.MatchString(t) {
		return "", fmt.Errorf("refusing relationship type %q: not an UPPER_SNAKE identifier", t)
	}
	return strings.ReplaceAll(statement("load_relationships.cypher"), "{{TYPE}}", t), nil
}

// Load implements store.Store: schema first, then for each dataset the
// stored state is read, planned with graph.PlanLoad and written in UNWIND
// batches — sources, then entities by kind, then relationships by type —
// each batch its own managed transaction. A load that fails part-way
// leaves the batches written so far; loading again converges, because
// every write is an idempotent MERGE … SET.
func (s *Store) Load(ctx context.Context, datasets []*graph.Dataset, o store.LoadOptions) ([]graph.Plan, error) {
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if !o.DryRun {
		if err := s.EnsureSchema(ctx); err != nil {
			return nil, err
		}
	}
	plan := func(ds *graph.Dataset) (graph.Plan, error) {
		st, err := s.state(ctx, ds, o.Prune, graph.NewFresh())
		if err != nil {
			return graph.Plan{}, fmt.Errorf("load %s: read stored state: %w", ds.Name, err)
		}
		return graph.PlanLoad(ds, st, o.Prune, o.Replace), nil
	}
	// Neo4j writes in batches, not in one transaction, so every dataset
	// is planned before anything is written: a conflict with what other
	// datasets defined refuses the whole load. The first plan stays valid
	// (nothing was written since); each later dataset is planned again
	// after the ones before it are written, as it merges with them.
	plans := make([]graph.Plan, len(datasets))
	var bad []graph.Plan
	for i, ds := range datasets {
		p, err := plan(ds)
		if err != nil {
			return nil, err
		}
		plans[i] = p
		if len(p.Conflicts) > 0 {
			bad = append(bad, p)
		}
	}
	if o.DryRun {
		return plans, s.finish(ctx, o)
	}
	if len(bad) > 0 {
		return nil, &graph.ConflictError{Plans: bad}
	}
	for i, ds := range datasets {
		if i > 0 {
			p, err := plan(ds)
			if err != nil {
				return nil, err
			}
			plans[i] = p
		}
		if err := s.apply(ctx, &plans[i], o); err != nil {
			return nil, fmt.Errorf("load %s into %s: %w", ds.Name, s.Describe(), err)
		}
		if err := s.recordFile(ctx, ds.Name, o.Files); err != nil {
			return nil, err
		}
	}
	if err := s.finish(ctx, o); err != nil {
		return nil, err
	}
	return plans, nil
}

// state reads the stored state of the items ds defines; with prune, also
// every item tagged with the dataset. Entities the store does not hold
// are noted in fresh, and relationships with a fresh end are not looked
// up.
func (s *Store) state(ctx context.Context, ds *graph.Dataset, prune bool, fresh *graph.Fresh) (graph.State, error) {
	st := graph.NewState()
	item := func(r *neo4j.Record) graph.ItemState {
		h, _ := r.Get("hash")
		d, _ := r.Get("datasets")
		return graph.ItemState{Hash: asString(h), Datasets: asStrings(d)}
	}
	var ids []string
	for _, x := range ds.Sources {
		ids = append(ids, x.ID)
	}
	for _, chunk := range chunks(ids, 5000) {
		recs, err := s.readQuery(ctx, "state_sources.cypher", map[string]any{"ids": chunk})
		if err != nil {
			return st, err
		}
		for _, r := range recs {
			id, _ := r.Get("id")
			st.Sources[asString(id)] = item(r)
		}
	}
	ids = ids[:0]
	for _, x := range ds.Entities {
		ids = append(ids, x.ID)
	}
	for _, chunk := range chunks(ids, 5000) {
		recs, err := s.readQuery(ctx, "state_entities.cypher", map[string]any{"ids": chunk})
		if err != nil {
			return st, err
		}
		for _, r := range recs {
			id, _ := r.Get("id")
			is := item(r)
			props, _ := r.Get("props")
			e, err := EntityFromProps(asMap(props))
			if err != nil {
				return st, err
			}
			is.Entity = &e
			st.Entities[asString(id)] = is
		}
	}
	fresh.Note(ds.Entities, st.Entities)
	keys := fresh.Lookup(ds.Relationships)
	for i := 0; i < len(keys); i += 5000 {
		recs, err := s.readQuery(ctx, "state_relationships.cypher", map[string]any{"keys": keyList(keys[i:min(i+5000, len(keys))])})
		if err != nil {
			return st, err
		}
		for _, r := range recs {
			k, is, err := storedRel(r)
			if err != nil {
				return st, err
			}
			st.Rels[k] = is
		}
	}
	if !prune {
		return st, nil
	}
	recs, err := s.readQuery(ctx, "tagged.cypher", map[string]any{"dataset": ds.Name})
	if err != nil {
		return st, err
	}
	// Items the dataset still holds were read whole above (an entity with
	// its stored content, which PlanLoad merges with): only those it no
	// longer holds are added here, for pruning. Overwriting the whole
	// entity with its bare tag once made a prune of an unchanged dataset
	// replace an entity another dataset also holds with this dataset's
	// version alone, stripping the other's aliases and sources.
	for _, r := range recs {
		k, _ := r.Get("kind")
		key := asStrings(func() any { v, _ := r.Get("key"); return v }())
		switch asString(k) {
		case "entity":
			if _, ok := st.Entities[key[0]]; !ok {
				st.Entities[key[0]] = item(r)
			}
		case "source":
			if _, ok := st.Sources[key[0]]; !ok {
				st.Sources[key[0]] = item(r)
			}
		case "relationship":
			rk := graph.RelKey{From: key[0], Type: key[1], To: key[2]}
			if _, ok := st.Rels[rk]; !ok {
				st.Rels[rk] = item(r)
			}
		}
	}
	return st, nil
}

// storedRel reads a record of state_relationships.cypher.
func storedRel(r *neo4j.Record) (graph.RelKey, graph.ItemState, error) {
	f, _ := r.Get("from")
	t, _ := r.Get("type")
	to, _ := r.Get("to")
	h, _ := r.Get("hash")
	d, _ := r.Get("datasets")
	props, _ := r.Get("props")
	k := graph.RelKey{From: asString(f), Type: asString(t), To: asString(to)}
	rel, err := RelationshipFromProps(k.From, k.Type, k.To, asMap(props))
	if err != nil {
		return k, graph.ItemState{}, err
	}
	rel.Datasets = nil
	return k, graph.ItemState{Hash: asString(h), Datasets: asStrings(d), Rel: &rel}, nil
}

// retractions are the relationships a prune keeps with fewer claims,
// written again as the remaining datasets' claims make them.
func (s *Store) retractions(ctx context.Context, retag map[graph.RelKey][]string) ([]graph.Write[graph.Relationship], error) {
	var keys []graph.RelKey
	for k := range retag {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Less(keys[j]) })
	var out []graph.Write[graph.Relationship]
	for i := 0; i < len(keys); i += 5000 {
		recs, err := s.readQuery(ctx, "state_relationships.cypher", map[string]any{"keys": keyList(keys[i:min(i+5000, len(keys))])})
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			k, is, err := storedRel(r)
			if err != nil {
				return nil, err
			}
			rel := graph.KeepClaims(*is.Rel, is.Datasets, retag[k])
			out = append(out, graph.Write[graph.Relationship]{Item: rel, Hash: graph.Hash(rel), Datasets: retag[k]})
		}
	}
	return out, nil
}

func chunks(ids []string, n int) [][]string {
	var out [][]string
	for i := 0; i < len(ids); i += n {
		out = append(out, ids[i:min(i+n, len(ids))])
	}
	return out
}

// tally counts the rows a phase has written, for progress reports from
// concurrent writers.
type tally struct {
	mu             sync.Mutex
	done, total    int
	phase, dataset string
	report         func(store.Progress)
}

func (t *tally) add(n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.done += n
	if t.report != nil {
		t.report(store.Progress{Dataset: t.dataset, Phase: t.phase, Done: t.done, Total: t.total})
	}
}

// writeLanes writes each lane's rows in batches of o.BatchSize: a lane's
// batches one after another, the lanes at once. The first error stops
// every lane.
func (s *Store) writeLanes(ctx context.Context, query string, lanes [][]map[string]any, o store.LoadOptions, t *tally) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, rows := range lanes {
		g.Go(func() error {
			for i := 0; i < len(rows); i += o.BatchSize {
				batch := rows[i:min(i+o.BatchSize, len(rows))]
				if _, err := s.write(gctx, query, map[string]any{"rows": toAny(batch)}); err != nil {
					return s.opErr(ctx, "write "+t.phase, err)
				}
				t.add(len(batch))
			}
			return nil
		})
	}
	return g.Wait()
}

// splitRows cuts rows into n lanes of consecutive rows. Entities and
// sources are distinct nodes, so their lanes never touch the same one.
func splitRows(rows []map[string]any, n int) [][]map[string]any {
	size := (len(rows) + n - 1) / n
	var lanes [][]map[string]any
	for i := 0; i < len(rows); i += size {
		lanes = append(lanes, rows[i:min(i+size, len(rows))])
	}
	return lanes
}

// relationshipLanes puts relationships into n lanes by their start node,
// so that a group's thousands of relationships are written by one lane
// and two lanes never lock the same start node; each lane is ordered by
// end node, so that two lanes lock the end nodes they share in the same
// order and do not deadlock. (A node that is the start of one and the end
// of another relationship of the same type can still meet itself in two
// lanes; Neo4j then detects the deadlock and the managed transaction is
// retried.)
func relationshipLanes(rows []map[string]any, n int) [][]map[string]any {
	if n <= 1 {
		return [][]map[string]any{rows} // one writer takes no shared locks
	}
	lanes := make([][]map[string]any, n)
	for _, r := range rows {
		h := fnv.New32a()
		h.Write([]byte(r["from"].(string)))
		i := int(h.Sum32() % uint32(n))
		lanes[i] = append(lanes[i], r)
	}
	out := lanes[:0]
	for _, l := range lanes {
		if len(l) == 0 {
			continue
		}
		sort.SliceStable(l, func(i, j int) bool { return l[i]["to"].(string) < l[j]["to"].(string) })
		out = append(out, l)
	}
	return out
}

func toAny(rows []map[string]any) []any {
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	return out
}

func (s *Store) apply(ctx context.Context, p *graph.Plan, o store.LoadOptions) error {
	if o.Writers <= 0 {
		o.Writers = DefaultWriters
	}
	if o.BatchSize <= 0 {
		// A zero batch would never advance (a Rename once spun here).
		o.BatchSize = DefaultBatchSize
	}
	var srcRows []map[string]any
	for _, w := range p.WriteSources {
		srcRows = append(srcRows, sourceProps(w))
	}
	t := &tally{phase: "sources", dataset: p.Dataset, total: len(srcRows), report: o.Progress}
	if err := s.writeLanes(ctx, statement("load_sources.cypher"), [][]map[string]any{srcRows}, o, t); err != nil {
		return err
	}
	type group struct {
		kind  graph.Kind
		fresh bool
	}
	byKind := map[group][]map[string]any{}
	for _, w := range p.WriteEntities {
		g := group{w.Item.Kind, w.New}
		byKind[g] = append(byKind[g], entityProps(w))
	}
	t = &tally{phase: "entities", dataset: p.Dataset, total: len(p.WriteEntities), report: o.Progress}
	for _, k := range graph.Kinds() {
		for _, fresh := range []bool{true, false} {
			rows := byKind[group{k.Kind, fresh}]
			if len(rows) == 0 {
				continue
			}
			q, err := EntityQuery(k.Kind, fresh)
			if err != nil {
				return err
			}
			if err := s.writeLanes(ctx, q, splitRows(rows, o.Writers), o, t); err != nil {
				return err
			}
		}
	}
	retracted, err := s.retractions(ctx, p.RetagRels)
	if err != nil {
		return fmt.Errorf("prune: %w", err)
	}
	byType := map[string][]map[string]any{}
	for _, w := range append(p.WriteRels[:len(p.WriteRels):len(p.WriteRels)], retracted...) {
		byType[w.Item.Type] = append(byType[w.Item.Type], relProps(w))
	}
	t = &tally{phase: "relationships", dataset: p.Dataset, total: len(p.WriteRels) + len(retracted), report: o.Progress}
	for _, typ := range graph.SortedKeys(byType) {
		q, err := RelationshipQuery(typ)
		if err != nil {
			return err
		}
		if err := s.writeLanes(ctx, q, relationshipLanes(byType[typ], o.Writers), o, t); err != nil {
			return err
		}
	}
	if len(p.RetagEntities)+len(p.RetagSources) > 0 {
		var ents, srcs []any
		for _, id := range graph.SortedKeys(p.RetagEntities) {
			ents = append(ents, map[string]any{"id": id, "datasets": p.RetagEntities[id]})
		}
		for _, id := range graph.SortedKeys(p.RetagSources) {
			srcs = append(srcs, map[string]any{"id": id, "datasets": p.RetagSources[id]})
		}
		if _, err := s.write(ctx, statement("retag.cypher"), map[string]any{"entities": orEmpty(ents), "sources": orEmpty(srcs)}); err != nil {
			return fmt.Errorf("prune: %w", err)
		}
	}
	if len(p.DeleteEntities)+len(p.DeleteSources)+len(p.DeleteRels) > 0 {
		// Relationships, then entities, then sources, each in its own
		// transaction (one statement that matched and deleted all three
		// would plan an Eager operator).
		if err := s.deleteRelationships(ctx, p.DeleteRels); err != nil {
			return fmt.Errorf("prune: %w", err)
		}
		for _, d := range []struct {
			file   string
			params map[string]any
		}{
			{"delete_entities.cypher", map[string]any{"ids": nonNil(p.DeleteEntities)}},
			{"delete_sources.cypher", map[string]any{"ids": nonNil(p.DeleteSources)}},
		} {
			if _, err := s.write(ctx, statement(d.file), d.params); err != nil {
				return fmt.Errorf("prune: %w", err)
			}
		}
		if o.Progress != nil {
			o.Progress(store.Progress{Dataset: p.Dataset, Phase: "prune", Done: 1, Total: 1})
		}
	}
	return nil
}

func orEmpty(v []any) []any {
	if v == nil {
		return []any{}
	}
	return v
}

// deleteRelationships finds the relationships' element ids and deletes
// them in one managed transaction.
func (s *Store) deleteRelationships(ctx context.Context, keys []graph.RelKey) error {
	if len(keys) == 0 {
		return nil
	}
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite, DatabaseName: s.db})
	defer sess.Close(context.Background())
	_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, statement("find_relationships.cypher"), map[string]any{"keys": keyList(keys)})
		if err != nil {
			return nil, err
		}
		recs, err := res.Collect(ctx)
		if err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(recs))
		for _, r := range recs {
			ids = append(ids, asString(r.Values[0]))
		}
		res, err = tx.Run(ctx, statement("delete_relationships.cypher"), map[string]any{"ids": ids})
		if err != nil {
			return nil, err
		}
		_, err = res.Consume(ctx)
		return nil, err
	})
	return err
}

// recordFile remembers where a dataset was loaded from.
func (s *Store) recordFile(ctx context.Context, name string, files map[string]string) error {
	f, ok := files[name]
	if !ok {
		return nil
	}
	if _, err := s.write(ctx, statement("dataset_file.cypher"), map[string]any{"name": name, "file": f}); err != nil {
		return fmt.Errorf("load %s: record its file: %w", name, err)
	}
	return nil
}

// DatasetFiles implements store.Store.
func (s *Store) DatasetFiles(ctx context.Context, names []string) (map[string]string, error) {
	recs, err := s.readQuery(ctx, "dataset_files.cypher", map[string]any{"names": nonNil(names)})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, r := range recs {
		n, _ := r.Get("name")
		f, _ := r.Get("file")
		out[asString(n)] = asString(f)
	}
	return out, nil
}

// Rename implements store.Store. Like a load, its batches are idempotent
// writes: run again, it converges.
func (s *Store) Rename(ctx context.Context, p graph.Plan) error {
	if err := s.apply(ctx, &p, store.LoadOptions{}); err != nil {
		return fmt.Errorf("%s: %w", s.Describe(), err)
	}
	return s.finish(ctx, store.LoadOptions{})
}
