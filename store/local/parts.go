package local

import (
	"context"
	"database/sql"
	"fmt"
	"iter"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/store"
)

// LoadParts implements store.Store: every part is planned against the
// stored state of its own items and written, all in one transaction, so
// that a crash or Ctrl-C mid-load leaves the store as before, as Load
// does. Only the current part and a 16-byte fingerprint per item seen
// are in memory.
func (s *Store) LoadParts(ctx context.Context, name string, parts iter.Seq2[*graph.Dataset, error], o store.LoadOptions) (graph.Plan, error) {
	total := graph.NewPlan(name)
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return total, s.writeErr(s.openErr(err))
	}
	defer conn.Close()
	err = s.inWriteTx(ctx, conn, func() error {
		sh, err := startShape(ctx, conn)
		if err != nil {
			return err
		}
		seen := graph.NewSeen()
		fresh := graph.NewFresh()
		progress := store.PartProgress(name, o.Progress)
		for part, err := range parts {
			if err != nil {
				return err
			}
			st, err := readState(ctx, conn, part, false, fresh)
			if err != nil {
				return fmt.Errorf("load %s: read stored state: %w", name, err)
			}
			p := graph.PlanLoad(part, st, false, o.Replace)
			if len(p.Conflicts) > 0 && !o.DryRun {
				p.Dataset = name
				return &graph.ConflictError{Plans: []graph.Plan{p}}
			}
			if !o.DryRun {
				if err := apply(ctx, conn, &p, nil, sh); err != nil {
					return fmt.Errorf("load %s: %w", name, err)
				}
			}
			total.AddCounts(p)
			if o.Prune {
				seen.AddDataset(part) // only a prune needs to know what the load held
			}
			progress(part)
		}
		if o.Prune {
			p := graph.NewPlan(name)
			if err := eachTagged(ctx, conn, name, func(t graph.Tagged) { graph.PlanPrune(&p, seen, t) }); err != nil {
				return fmt.Errorf("load %s: prune: %w", name, err)
			}
			if !o.DryRun {
				if err := apply(ctx, conn, &p, o.Progress, sh); err != nil {
					return fmt.Errorf("load %s: %w", name, err)
				}
			}
			total.AddCounts(p)
		}
		if o.DryRun {
			return errDryRun
		}
		if err := reshape(ctx, conn, sh, total); err != nil {
			return err
		}
		return recordFile(ctx, conn, name, o.Files)
	})
	if err == errDryRun {
		err = nil
	}
	return total, s.writeErr(err)
}

// eachTagged calls fn with every stored item tagged with the dataset.
func eachTagged(ctx context.Context, conn *sql.Conn, name string, fn func(graph.Tagged)) error {
	like := quoteJSON(name)
	for _, q := range []struct{ kind, sql string }{
		{"source", `SELECT id, datasets FROM sources WHERE instr(datasets, ?1) > 0 ORDER BY id`},
		{"entity", `SELECT id, datasets FROM entities WHERE instr(datasets, ?1) > 0 ORDER BY id`},
		{"relationship", `SELECT from_id || char(0) || type || char(0) || to_id, datasets FROM relationships WHERE instr(datasets, ?1) > 0 ORDER BY from_id, type, to_id`},
	} {
		rows, err := conn.QueryContext(ctx, q.sql, like)
		if err != nil {
			return err
		}
		for rows.Next() {
			var key, sets string
			if err := rows.Scan(&key, &sets); err != nil {
				rows.Close()
				return err
			}
			list, _ := tagged(sets, name)
			fn(graph.Tagged{Kind: q.kind, Key: splitNUL(key), Datasets: list})
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}
