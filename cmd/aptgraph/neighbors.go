package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/queries"
	"github.com/aptgraph/aptgraph/store"
)

type neighborsOpts struct {
	entity string
	depth  int
	limit  int
	filterOpts
	outputOpts
}

func (a *app) neighborsCmd(g *globalOpts) *cobra.Command {
	var o neighborsOpts
	c := &cobra.Command{
		Use:     "neighbors ENTITY",
		Aliases: []string{"neighbours", "ego"},
		Short:   "The ego network of an entity",
		Long: `Neighbors returns every entity within --depth hops of ENTITY (in either
direction) and every relationship among them.`,
		Example: `  aptgraph neighbors Tick
  aptgraph neighbors Tick --depth 2 -o tick.svg
  aptgraph neighbors "Unit 61419" --min-confidence reported --format json`,
		Args: exactArgs(1, "ENTITY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.entity = args[0]
			return a.neighborsRun(cmd.Context(), g, &o)
		},
	}
	c.Flags().IntVar(&o.limit, "limit", 0, "at most this many entities besides the centre, the nearest (0: all); the rest are counted")
	c.Flags().IntVar(&o.depth, "depth", graph.DefaultNeighborHop, fmt.Sprintf("hops from the entity (1–%d)", graph.MaxNeighborDepth))
	o.filterOpts.register(c)
	o.outputOpts.register(c)
	return c
}

func (a *app) neighborsRun(ctx context.Context, g *globalOpts, o *neighborsOpts) error {
	if o.limit < 0 {
		return usagef("--limit must not be negative")
	}
	if o.depth < 1 || o.depth > graph.MaxNeighborDepth {
		return usagef("--depth must be between 1 and %d", graph.MaxNeighborDepth)
	}
	f, err := o.filter()
	if err != nil {
		return err
	}
	return a.graphQuery(ctx, g, &o.outputOpts, func(ctx context.Context, s store.Store) (*graph.Subgraph, string, error) {
		sub, err := queries.Neighbors(ctx, s, o.entity, o.depth, f, o.limit)
		if err != nil {
			return nil, "", err
		}
		c, _ := queries.Resolve(ctx, s, o.entity)
		hops := "hops"
		if o.depth == 1 {
			hops = "hop"
		}
		return sub, fmt.Sprintf("%s and its neighbours (%d %s)", shortName(c), o.depth, hops), nil
	})
}
