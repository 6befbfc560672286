package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/queries"
	"github.com/aptgraph/aptgraph/store"
)

type attributionOpts struct {
	victim  string
	maxHops int
	limit   int
	via     []string
	filterOpts
	outputOpts
}

func (a *app) attributionCmd(g *globalOpts) *cobra.Command {
	var o attributionOpts
	c := &cobra.Command{
		Use:   "attribution VICTIM",
		Short: "The chains that lead from organizations to a victim",
		Long:  attributionLong(),
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
	c.Flags().StringArrayVar(&o.via, "via", nil, "only chains through this entity (repeatable)")
	c.Flags().IntVar(&o.limit, "limit", 0, "at most this many chains, the firmest (0: all); the rest are counted")
	o.filterOpts.register(c)
	o.outputOpts.register(c)
	return c
}

// attributionLong states the chain rules from graph.AttributionRules, the
// one table the search reads, so that the help cannot drift from it.
func attributionLong() string {
	r := graph.AttributionRules
	var kinds []string
	for _, k := range r.MemberOf {
		kinds = append(kinds, string(k))
	}
	list := func(ts []string, last string) string {
		if len(ts) < 2 {
			return strings.Join(ts, "")
		}
		return strings.Join(ts[:len(ts)-1], ", ") + last + ts[len(ts)-1]
	}
	and := func(ts []string) string { return list(ts, " and ") }
	or := func(ts []string) string { return list(ts, " or ") }
	return fmt.Sprintf(`Attribution lists the chains of responsibility from an organization to
the victim, firmest first: by the weakest claim on the chain, then its
length, then the number of sources it rests on. Each chain shows its
weakest link; every hop cites its sources.

The rules (README, "Attribution rules"):
- The attack: the last hop is %s into the victim.
- Command: %s,
  from the one who commands to the one commanded.
- Belonging: %s,
  from the whole to its part (the PLA answers for its Unit 61419).
- Membership: %s of a %s. Membership of anything
  else (a political party) is context, not responsibility.
- Evidence: %s,
  and against their direction %s. Infrastructure, identities and
  intermediaries are evidence, not responsibility: they join a chain only
  through an entity the attack claim lists in its via, so a server no
  source ties to this attack never joins its chains.`,
		or(r.Final), and(r.Command), and(r.Belonging), and(r.Membership), strings.Join(kinds, " or "),
		and(r.EvidenceForward), and(r.EvidenceReverse))
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
		sub, err := queries.Attribution(ctx, s, o.victim, graph.ChainOptions{MaxHops: o.maxHops, Limit: o.limit, Via: o.via, Filter: f})
		if err != nil {
			return nil, "", err
		}
		v, _ := sub.Node(sub.Paths[0].Nodes[len(sub.Paths[0].Nodes)-1])
		return sub, "Attribution chains to " + shortName(v), nil
	})
}
