package neo4jstore

import (
	"context"
	"fmt"
	"iter"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/store"
)

// LoadParts implements store.Store: schema first, then each part is
// planned against the stored state of its own items and written in UNWIND
// batches, as Load writes a whole dataset. Like Load it is not one
// transaction: a load that fails part-way leaves the batches written so
// far, and loading again converges.
func (s *Store) LoadParts(ctx context.Context, name string, parts iter.Seq2[*graph.Dataset, error], o store.LoadOptions) (graph.Plan, error) {
	total := graph.NewPlan(name)
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if !o.DryRun {
		if err := s.EnsureSchema(ctx); err != nil {
			return total, err
		}
	}
	seen := graph.NewSeen()
	progress := store.PartProgress(name, o.Progress)
	quiet := o
	quiet.Progress = nil
	// The next part's stored state is read and planned while this part is
	// written: parts hold distinct items, so neither changes the other's
	// plan, and the reads take no locks.
	type planned struct {
		part *graph.Dataset
		plan graph.Plan
		err  error
	}
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan planned, 1)
	fresh := graph.NewFresh() // only the planning goroutine uses it
	go func() {
		defer close(ch)
		for part, err := range parts {
			var p planned
			if err != nil {
				p.err = err
			} else if st, err := s.state(pctx, part, false, fresh); err != nil {
				p.err = fmt.Errorf("load %s: read stored state: %w", name, err)
			} else {
				p = planned{part: part, plan: graph.PlanLoad(part, st, false, o.Replace)}
			}
			select {
			case ch <- p:
			case <-pctx.Done():
				return
			}
			if p.err != nil {
				return
			}
		}
	}()
	for p := range ch {
		if p.err != nil {
			return total, p.err
		}
		if len(p.plan.Conflicts) > 0 && !o.DryRun {
			// Parts already written stay (Neo4j loads in batches); the
			// load stops at the first part that would rewrite another
			// dataset's items.
			p.plan.Dataset = name
			return total, &graph.ConflictError{Plans: []graph.Plan{p.plan}}
		}
		if !o.DryRun {
			if err := s.apply(ctx, &p.plan, quiet); err != nil {
				return total, fmt.Errorf("load %s into %s: %w", name, s.Describe(), err)
			}
		}
		total.AddCounts(p.plan)
		if o.Prune {
			seen.AddDataset(p.part) // only a prune needs to know what the load held
		}
		progress(p.part)
	}
	if err := ctx.Err(); err != nil {
		return total, err
	}
	if !o.DryRun {
		if err := s.recordFile(ctx, name, o.Files); err != nil {
			return total, err
		}
	}
	if !o.Prune {
		return total, s.finish(ctx, o)
	}
	var p graph.Plan
	reset := func() { p = graph.NewPlan(name) }
	if err := s.eachTagged(ctx, name, reset, func(t graph.Tagged) { graph.PlanPrune(&p, seen, t) }); err != nil {
		return total, fmt.Errorf("load %s: prune: %w", name, err)
	}
	if !o.DryRun {
		if err := s.apply(ctx, &p, o); err != nil {
			return total, fmt.Errorf("load %s into %s: %w", name, s.Describe(), err)
		}
	}
	total.AddCounts(p)
	return total, s.finish(ctx, o)
}

// eachTagged streams tagged.cypher's records (a million of them must not
// be collected at once) to fn; reset is called before each attempt, as
// the driver retries a read that failed transiently.
func (s *Store) eachTagged(ctx context.Context, name string, reset func(), fn func(graph.Tagged)) error {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead, DatabaseName: s.db})
	defer sess.Close(context.Background())
	_, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		reset()
		res, err := tx.Run(ctx, statement("tagged.cypher"), map[string]any{"dataset": name})
		if err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			r := res.Record()
			k, _ := r.Get("kind")
			key, _ := r.Get("key")
			d, _ := r.Get("datasets")
			fn(graph.Tagged{Kind: asString(k), Key: asStrings(key), Datasets: asStrings(d)})
		}
		return nil, res.Err()
	})
	if err != nil {
		return s.opErr(ctx, "tagged", err)
	}
	return nil
}
