package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/queries"
	"github.com/aptgraph/aptgraph/store"
)

type attributionOpts struct {
	victim  string
	maxHops int
	limit   int
	filterOpts
	outputOpts
}

func (a *app) attributionCmd(g *globalOpts) *cobra.Command {
	var o attributionOpts
	c := &cobra.Command{
		Use:   "attribution VICTIM",
		Short: "The chains that lead from organizations to a victim",
		Long: `Attribution lists every chain from an organization, through units,
people, groups and the servers and identities they passed along, to the
victim. Responsibility flows along DIRECTED, INSTRUCTED, SPONSORED,
PASSED_CREDENTIALS_TO, RENTED and USED_IDENTITY, and against PART_OF,
MEMBER_OF, USED and PURCHASED; the last hop is ATTACKED or TARGETED.
Each hop keeps its own confidence: a chain is only as firm as its
weakest hop.`,
		Example: `  aptgraph attribution JAXA
  aptgraph attribution JAXA --min-confidence alleged -o jaxa.png
  aptgraph attribution "Keio University" --format json`,
		Args: exactArgs(1, "VICTIM"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.victim = args[0]
			return a.attributionRun(cmd.Context(), g, &o)
		},
	}
	c.Flags().IntVar(&o.maxHops, "max-hops", graph.MaxChainHops, fmt.Sprintf("longest chain considered (1–%d)", graph.MaxChainHops))
	c.Flags().IntVar(&o.limit, "limit", 0, "at most this many chains (0: all)")
	o.filterOpts.register(c)
	o.outputOpts.register(c)
	return c
}

func (a *app) attributionRun(ctx context.Context, g *globalOpts, o *attributionOpts) error {
	if err := checkHops(o.maxHops, graph.MaxChainHops, o.limit); err != nil {
		return err
	}
	f, err := o.filter()
	if err != nil {
		return err
	}
	return a.graphQuery(ctx, g, &o.outputOpts, func(ctx context.Context, s store.Store) (*graph.Subgraph, string, error) {
		sub, err := queries.Attribution(ctx, s, o.victim, graph.ChainOptions{MaxHops: o.maxHops, Limit: o.limit, Filter: f})
		if err != nil {
			return nil, "", err
		}
		v, _ := sub.Node(sub.Paths[0].Nodes[len(sub.Paths[0].Nodes)-1])
		return sub, "Attribution chains to " + shortName(v), nil
	})
}
