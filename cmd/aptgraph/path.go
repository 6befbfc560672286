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
	from, to    string
	maxHops     int
	directed    bool
	limit       int
	allShortest bool
	longer      int
	via         []string
	filterOpts
	outputOpts
}

func (a *app) pathCmd(g *globalOpts) *cobra.Command {
	var o pathOpts
	c := &cobra.Command{
		Use:   "path FROM TO",
		Short: "The most credible paths between two entities",
		Long: `Path answers the most credible paths between two entities, named by id,
name or alias (case-insensitive): among every simple path at most
--longer hops longer than the shortest, the --limit firmest, ranked by
their weakest claim, then whether they climb a hierarchy and come down
again (Unit 61419 → PLA → Tick says the two share a parent, not that
they dealt with each other), then length, then the number of distinct
sources; each shows its weakest link, and the rest are counted.
--all-shortest gives every shortest path instead, unranked.

Relationships are walked in either direction unless --directed; arrows
are drawn as stored. Ties are ordered by the ids along the path, so
output is stable.`,
		Example: `  aptgraph path PLA JAXA
  aptgraph path "Unit 61419" JAXA --limit 3
  aptgraph path "Unit 61419" JAXA --all-shortest
  aptgraph path PLA JAXA --via "Unit 61419" --avoid "Chinese Communist Party"
  aptgraph path PLA JAXA -o pla-jaxa.svg --format json
  aptgraph path PLA JAXA --directed --rel DIRECTED,ATTACKED --min-confidence alleged`,
		Args: exactArgs(2, "FROM and TO"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.from, o.to = args[0], args[1]
			return a.pathRun(cmd.Context(), g, &o)
		},
	}
	c.Flags().IntVar(&o.maxHops, "max-hops", graph.DefaultPathHops, fmt.Sprintf("longest path considered (1–%d)", graph.MaxPathHops))
	c.Flags().BoolVar(&o.directed, "directed", false, "follow relationships only in their stored direction")
	c.Flags().IntVar(&o.limit, "limit", 5, "at most this many paths, the most credible (0: all); the rest are counted")
	c.Flags().BoolVar(&o.allShortest, "all-shortest", false, "every shortest path, unranked, instead of the most credible paths")
	c.Flags().IntVar(&o.longer, "longer", graph.DefaultLonger, "consider paths up to this many hops longer than the shortest")
	c.Flags().StringArrayVar(&o.via, "via", nil, "only paths through this entity (repeatable)")
	o.filterOpts.register(c)
	o.outputOpts.register(c)
	return c
}

func (a *app) pathRun(ctx context.Context, g *globalOpts, o *pathOpts) error {
	if err := checkHops(o.maxHops, graph.MaxPathHops, o.limit); err != nil {
		return err
	}
	if o.longer < 0 || o.longer > graph.MaxPathHops {
		return usagef("--longer must be between 0 and %d", graph.MaxPathHops)
	}
	f, err := o.filter()
	if err != nil {
		return err
	}
	return a.graphQuery(ctx, g, &o.outputOpts, func(ctx context.Context, s store.Store) (*graph.Subgraph, string, error) {
		r := queries.Ranking{AllShortest: o.allShortest, Search: graph.PathSearch{Longer: o.longer, Via: o.via}}
		sub, err := queries.Path(ctx, s, o.from, o.to, graph.PathOptions{MaxHops: o.maxHops, Directed: o.directed, Limit: o.limit, Filter: f}, r)
		if err != nil {
			return nil, "", err
		}
		first, _ := sub.Node(sub.Paths[0].Nodes[0])
		last, _ := sub.Node(sub.Paths[0].Nodes[len(sub.Paths[0].Nodes)-1])
		what := "most credible paths"
		if o.allShortest {
			what = "shortest paths"
		}
		return sub, fmt.Sprintf("%s → %s: %s", shortName(first), shortName(last), what), nil
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
