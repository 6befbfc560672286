package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/queries"
	"github.com/aptgraph/aptgraph/store"
)

type exportOpts struct {
	outputOpts
}

func (a *app) exportCmd(g *globalOpts) *cobra.Command {
	var o exportOpts
	c := &cobra.Command{
		Use:   "export",
		Short: "Write the whole graph: STIX 2.1, GraphML, neo4j-admin CSV, Mermaid, DOT, SVG, PNG or JSON",
		Long: `Export writes every entity, relationship and cited source in the store in
one of the graph formats. --format stix writes a STIX 2.1 bundle (valid for
the OASIS stix2-validator) with deterministic ids, so exporting twice gives
the same bytes; every query command takes --format stix too.`,
		Example: `  aptgraph export --format stix -o tick.stix.json
  aptgraph export -o tick.graphml
  aptgraph export --format neo4j-csv -o tick-csv
  aptgraph export -o everything.svg`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.exportRun(cmd.Context(), g, &o)
		},
	}
	o.outputOpts.register(c)
	return c
}

func (a *app) exportRun(ctx context.Context, g *globalOpts, o *exportOpts) error {
	return a.graphQuery(ctx, g, &o.outputOpts, func(ctx context.Context, s store.Store) (*graph.Subgraph, string, error) {
		sub, err := queries.Export(ctx, s)
		return sub, "aptgraph export", err
	})
}
