package local

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/store"
)

// Load implements store.Store. All datasets are planned and written in one
// transaction under the write lock: readers see the store as before until
// the commit, and a crash leaves it as before.
func (s *Store) Load(ctx context.Context, datasets []*graph.Dataset, o store.LoadOptions) ([]graph.Plan, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, s.writeErr(s.openErr(err))
	}
	defer conn.Close()
	var plans []graph.Plan
	err = s.inWriteTx(ctx, conn, func() error {
		sh, err := startShape(ctx, conn)
		if err != nil {
			return err
		}
		for _, ds := range datasets {
			st, err := readState(ctx, conn, ds, o.Prune, graph.NewFresh())
			if err != nil {
				return fmt.Errorf("load %s: read stored state: %w", ds.Name, err)
			}
			p := graph.PlanLoad(ds, st, o.Prune, o.Replace)
			if len(p.Conflicts) > 0 && !o.DryRun {
				return &graph.ConflictError{Plans: []graph.Plan{p}}
			}
			if !o.DryRun {
				if err := apply(ctx, conn, &p, o.Progress, sh); err != nil {
					return fmt.Errorf("load %s: %w", ds.Name, err)
				}
				if err := recordFile(ctx, conn, ds.Name, o.Files); err != nil {
					return fmt.Errorf("load %s: %w", ds.Name, err)
				}
			}
			plans = append(plans, p)
		}
		if o.DryRun {
			return errDryRun
		}
		return reshape(ctx, conn, sh, plans...)
	})
	if err == errDryRun {
		err = nil
	}
	if err != nil {
		return nil, s.writeErr(err)
	}
	return plans, nil
}

// errDryRun rolls back the transaction of a dry run, which only reads.
var errDryRun = fmt.Errorf("dry run")

// readState reads the stored state of the items ds defines, by key
// through the primary keys; with prune, also every item tagged with the
// dataset (a scan of the datasets columns). Entities the store does not
// hold are noted in fresh, and relationships with a fresh end are not
// looked up.
func readState(ctx context.Context, conn *sql.Conn, ds *graph.Dataset, prune bool, fresh *graph.Fresh) (graph.State, error) {
	st := graph.NewState()
	var srcIDs, entIDs []string
	for _, x := range ds.Sources {
		srcIDs = append(srcIDs, x.ID)
	}
	for _, x := range ds.Entities {
		entIDs = append(entIDs, x.ID)
	}
	keepSource := func(k []string, is graph.ItemState) { st.Sources[k[0]] = is }
	keepEntity := func(k []string, is graph.ItemState) { st.Entities[k[0]] = is }
	keepRel := func(k []string, is graph.ItemState) { st.Rels[graph.RelKey{From: k[0], Type: k[1], To: k[2]}] = is }
	// decode fills in the stored content: an entity, which a load merges
	// with, or a relationship, whose other claims a load keeps.
	read := func(query, arg string, keep func(key []string, is graph.ItemState), decode func(data string, is *graph.ItemState) error) error {
		rows, err := conn.QueryContext(ctx, query, arg)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var key, hash, sets, data string
			if err := rows.Scan(&key, &hash, &sets, &data); err != nil {
				return err
			}
			list, _ := tagged(sets, ds.Name)
			is := graph.ItemState{Hash: hash, Datasets: list}
			if data != "" && decode != nil {
				if err := decode(data, &is); err != nil {
					return err
				}
			}
			keep(splitNUL(key), is)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return rows.Close()
	}
	if err := read(`SELECT s.id, s.hash, s.datasets, '' FROM json_each(?1) AS k JOIN sources s ON s.id = k.value`, jsonList(srcIDs), keepSource, nil); err != nil {
		return st, err
	}
	if err := read(`SELECT e.id, e.hash, e.datasets, e.data FROM json_each(?1) AS k JOIN entities e ON e.id = k.value`, jsonList(entIDs), keepEntity, decodeEntity); err != nil {
		return st, err
	}
	// Which relationships to look up depends on the entities just read.
	fresh.Note(ds.Entities, st.Entities)
	var relKeys [][3]string
	for _, k := range fresh.Lookup(ds.Relationships) {
		relKeys = append(relKeys, [3]string{k.From, k.Type, k.To})
	}
	if err := read(`SELECT r.from_id || char(0) || r.type || char(0) || r.to_id, r.hash, r.datasets, r.data
		    FROM json_each(?1) AS k JOIN relationships r
		      ON r.from_id = json_extract(k.value, '$[0]') AND r.type = json_extract(k.value, '$[1]') AND r.to_id = json_extract(k.value, '$[2]')`,
		jsonList(relKeys), keepRel, decodeRel); err != nil {
		return st, err
	}
	if !prune {
		return st, nil
	}
	like := quoteJSON(ds.Name)
	for _, x := range []struct {
		query  string
		keep   func(key []string, is graph.ItemState)
		decode func(string, *graph.ItemState) error
	}{
		{`SELECT id, hash, datasets, '' FROM sources WHERE instr(datasets, ?1) > 0`, keepSource, nil},
		{`SELECT id, hash, datasets, data FROM entities WHERE instr(datasets, ?1) > 0`, keepEntity, decodeEntity},
		{`SELECT from_id || char(0) || type || char(0) || to_id, hash, datasets, data FROM relationships WHERE instr(datasets, ?1) > 0`, keepRel, decodeRel},
	} {
		if err := read(x.query, like, x.keep, x.decode); err != nil {
			return st, err
		}
	}
	return st, nil
}

func decodeEntity(data string, is *graph.ItemState) error {
	var e graph.Entity
	if err := json.Unmarshal([]byte(data), &e); err != nil {
		return fmt.Errorf("decode stored entity: %w", err)
	}
	is.Entity = &e
	return nil
}

func decodeRel(data string, is *graph.ItemState) error {
	var r graph.Relationship
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return fmt.Errorf("decode stored relationship: %w", err)
	}
	is.Rel = &r
	return nil
}

func splitNUL(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// apply writes a plan; sh, when not nil, follows what it changes of the
// graph's shape.
func apply(ctx context.Context, conn *sql.Conn, p *graph.Plan, progress func(store.Progress), sh *shape) error {
	report := func(phase string, done, total int) {
		if progress != nil && (done == total || done%1000 == 0) {
			progress(store.Progress{Dataset: p.Dataset, Phase: phase, Done: done, Total: total})
		}
	}
	// Statements are prepared once per plan: parsing SQL for each of a
	// million rows took a third of a big load.
	prepared := map[string]*sql.Stmt{}
	defer func() {
		for _, st := range prepared {
			st.Close()
		}
	}()
	exec := func(query string, args ...any) error {
		st, ok := prepared[query]
		if !ok {
			var err error
			if st, err = conn.PrepareContext(ctx, query); err != nil {
				return err
			}
			prepared[query] = st
		}
		_, err := st.ExecContext(ctx, args...)
		return err
	}
	for i, w := range p.WriteSources {
		if err := exec(`INSERT INTO sources(id, data, hash, datasets) VALUES (?1, ?2, ?3, ?4)
			ON CONFLICT(id) DO UPDATE SET data = excluded.data, hash = excluded.hash, datasets = excluded.datasets`,
			w.Item.ID, jsonList(w.Item), w.Hash, jsonList(w.Datasets)); err != nil {
			return fmt.Errorf("write source %s: %w", w.Item.ID, err)
		}
		report("sources", i+1, len(p.WriteSources))
	}
	for i, w := range p.WriteEntities {
		e := w.Item
		if err := exec(`INSERT INTO entities(id, kind, name, data, hash, datasets) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
			ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name = excluded.name, data = excluded.data,
			  hash = excluded.hash, datasets = excluded.datasets`,
			e.ID, string(e.Kind), e.Name, jsonList(e), w.Hash, jsonList(w.Datasets)); err != nil {
			return fmt.Errorf("write entity %s: %w", e.ID, err)
		}
		if err := exec(`DELETE FROM names WHERE entity_id = ?1`, e.ID); err != nil {
			return fmt.Errorf("write entity %s: %w", e.ID, err)
		}
		if err := exec(`INSERT INTO names(key, entity_id) SELECT value, ?1 FROM json_each(?2)`, e.ID, jsonList(e.Names())); err != nil {
			return fmt.Errorf("write entity %s: %w", e.ID, err)
		}
		if sh != nil {
			sh.entity(e.ID, string(e.Kind))
		}
		report("entities", i+1, len(p.WriteEntities))
	}
	writeRel := func(w graph.Write[graph.Relationship]) error {
		r := w.Item
		if sh != nil {
			sh.rel(r)
		}
		return exec(`INSERT INTO relationships(from_id, type, to_id, rank, data, hash, datasets) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
			ON CONFLICT(from_id, type, to_id) DO UPDATE SET rank = excluded.rank, data = excluded.data,
			  hash = excluded.hash, datasets = excluded.datasets`,
			r.From, r.Type, r.To, r.Confidence.Rank(), jsonList(r), w.Hash, jsonList(w.Datasets))
	}
	for i, w := range p.WriteRels {
		if err := writeRel(w); err != nil {
			return fmt.Errorf("write relationship %s: %w", w.Item.Key(), err)
		}
		report("relationships", i+1, len(p.WriteRels))
	}
	for id, sets := range p.RetagSources {
		if err := exec(`UPDATE sources SET datasets = ?2 WHERE id = ?1`, id, jsonList(sets)); err != nil {
			return fmt.Errorf("prune source %s: %w", id, err)
		}
	}
	for id, sets := range p.RetagEntities {
		if err := exec(`UPDATE entities SET datasets = ?2 WHERE id = ?1`, id, jsonList(sets)); err != nil {
			return fmt.Errorf("prune entity %s: %w", id, err)
		}
	}
	for k, sets := range p.RetagRels {
		// The pruned dataset's claim goes: the relationship is rewritten
		// as the remaining datasets' claims make it.
		if err := retract(ctx, conn, k, sets, writeRel); err != nil {
			return fmt.Errorf("prune relationship %s: %w", k, err)
		}
	}
	for _, k := range p.DeleteRels {
		if err := exec(`DELETE FROM relationships WHERE from_id = ?1 AND type = ?2 AND to_id = ?3`, k.From, k.Type, k.To); err != nil {
			return fmt.Errorf("prune relationship %s: %w", k, err)
		}
		if sh != nil {
			sh.deleteRel(k)
		}
	}
	for _, id := range p.DeleteEntities {
		if err := exec(`DELETE FROM entities WHERE id = ?1`, id); err != nil {
			return fmt.Errorf("prune entity %s: %w", id, err)
		}
		if sh != nil {
			sh.deleteEntity(id) // its relationships go with it (ON DELETE CASCADE)
		}
	}
	for _, id := range p.DeleteSources {
		if err := exec(`DELETE FROM sources WHERE id = ?1`, id); err != nil {
			return fmt.Errorf("prune source %s: %w", id, err)
		}
	}
	return nil
}

// retract rewrites a stored relationship with only the claims of the
// datasets in keep.
func retract(ctx context.Context, conn *sql.Conn, k graph.RelKey, keep []string, write func(graph.Write[graph.Relationship]) error) error {
	var data, sets string
	err := conn.QueryRowContext(ctx, `SELECT data, datasets FROM relationships WHERE from_id = ?1 AND type = ?2 AND to_id = ?3`,
		k.From, k.Type, k.To).Scan(&data, &sets)
	if err != nil {
		return err
	}
	var is graph.ItemState
	if err := decodeRel(data, &is); err != nil {
		return err
	}
	var held []string
	if err := json.Unmarshal([]byte(sets), &held); err != nil {
		return fmt.Errorf("decode datasets: %w", err)
	}
	r := graph.KeepClaims(*is.Rel, held, keep)
	return write(graph.Write[graph.Relationship]{Item: r, Hash: graph.Hash(r), Datasets: keep})
}

// Rename implements store.Store: the plan in one write transaction.
func (s *Store) Rename(ctx context.Context, p graph.Plan) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return s.writeErr(s.openErr(err))
	}
	defer conn.Close()
	return s.writeErr(s.inWriteTx(ctx, conn, func() error {
		if err := apply(ctx, conn, &p, nil, nil); err != nil {
			return err
		}
		return writeAdjacency(ctx, conn, nil) // a rename moves ids: read them all again
	}))
}

// reshape stores the adjacency sh followed when the plans changed
// entities or relationships (sources and dataset tags are not part of
// it); from the tables when sh is nil.
func reshape(ctx context.Context, conn *sql.Conn, sh *shape, plans ...graph.Plan) error {
	for _, p := range plans {
		for _, c := range []graph.Counts{p.Entities, p.Relationships} {
			if c.Created+c.Updated+c.Removed > 0 {
				return writeAdjacency(ctx, conn, sh)
			}
		}
	}
	return nil
}
