package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/queries"
	"github.com/aptgraph/aptgraph/store"
)

type pathOpts struct {
	from, to string
	maxHops  int
	directed bool
	limit    int
	filterOpts
	outputOpts
}

func (a *app) pathCmd(g *globalOpts) *cobra.Command {
	var o pathOpts
	c := &cobra.Command{
		Use:   "path FROM TO",
		Short: "All shortest paths between two entities",
		Long: `Path finds all shortest paths between two entities, named by id, name or
alias (case-insensitive). Relationships are walked in either direction
unless --directed; arrows are drawn as stored. Ties are ordered by the
ids along the path, so output is stable.`,
		Example: `  aptgraph path PLA JAXA
  aptgraph path PLA JAXA --format json
  aptgraph path PLA JAXA -o pla-jaxa.svg
  aptgraph path "Unit 61419" Tick --min-confidence alleged --max-hops 4
  aptgraph path PLA JAXA --directed --rel DIRECTED,ATTACKED`,
		Args: exactArgs(2, "FROM and TO"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.from, o.to = args[0], args[1]
			return a.pathRun(cmd.Context(), g, &o)
		},
	}
	c.Flags().IntVar(&o.maxHops, "max-hops", graph.DefaultPathHops, fmt.Sprintf("longest path considered (1–%d)", graph.MaxPathHops))
	c.Flags().BoolVar(&o.directed, "directed", false, "follow relationships only in their stored direction")
	c.Flags().IntVar(&o.limit, "limit", 0, "at most this many paths (0: all)")
	o.filterOpts.register(c)
	o.outputOpts.register(c)
	return c
}

func (a *app) pathRun(ctx context.Context, g *globalOpts, o *pathOpts) error {
	if err := checkHops(o.maxHops, graph.MaxPathHops, o.limit); err != nil {
		return err
	}
	f, err := o.filter()
	if err != nil {
		return err
	}
	return a.graphQuery(ctx, g, &o.outputOpts, func(ctx context.Context, s store.Store) (*graph.Subgraph, string, error) {
		sub, err := queries.Path(ctx, s, o.from, o.to, graph.PathOptions{MaxHops: o.maxHops, Directed: o.directed, Limit: o.limit, Filter: f})
		if err != nil {
			return nil, "", err
		}
		first, _ := sub.Node(sub.Paths[0].Nodes[0])
		last, _ := sub.Node(sub.Paths[0].Nodes[len(sub.Paths[0].Nodes)-1])
		return sub, fmt.Sprintf("%s → %s: shortest paths", shortName(first), shortName(last)), nil
	})
}

// shortName is the shortest alias of an entity (PLA rather than People's
// Liberation Army) for titles.
func shortName(e graph.Entity) string {
	n := e.Name
	for _, a := range e.Aliases {
		if len([]rune(a)) < len([]rune(n)) {
			n = a
		}
	}
	return n
}

// checkHops validates --max-hops against its ceiling and --limit.
func checkHops(maxHops, ceiling, limit int) error {
	if maxHops < 1 || maxHops > ceiling {
		return usagef("--max-hops must be between 1 and %d", ceiling)
	}
	if limit < 0 {
		return usagef("--limit must not be negative")
	}
	return nil
}
