package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/render"
)

func (a *app) statsCmd(g *globalOpts) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "stats",
		Short: "Count what the store holds",
		Example: `  aptgraph stats
  aptgraph --db bolt://localhost:7687 stats --format json`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return usagef("unknown format %q; use text or json", format)
			}
			return a.withStore(cmd.Context(), g, needExisting, func(ctx context.Context, s *openedStore) error {
				st, err := s.Stats(ctx)
				if err != nil {
					return err
				}
				if format == "json" {
					return render.JSON(a.out, st)
				}
				return writeStats(a.out, s.Describe(), st)
			})
		},
	}
	c.Flags().StringVar(&format, "format", "text", "text or json")
	return c
}

func writeStats(w io.Writer, where string, st graph.Stats) error {
	fmt.Fprintf(w, "%s\n", where)
	fmt.Fprintf(w, "  datasets:      %d %v\n", len(st.Datasets), st.Datasets)
	fmt.Fprintf(w, "  sources:       %d\n", st.Sources)
	fmt.Fprintf(w, "  entities:      %d\n", st.Entities)
	for _, k := range graph.Kinds() {
		if n := st.ByKind[string(k.Kind)]; n > 0 {
			fmt.Fprintf(w, "    %-13s %d\n", k.Kind, n)
		}
	}
	fmt.Fprintf(w, "  relationships: %d\n", st.Relationships)
	for _, t := range graph.SortedKeys(st.ByType) {
		fmt.Fprintf(w, "    %-24s %d\n", render.Clean(t), st.ByType[t])
	}
	fmt.Fprintf(w, "  by confidence:\n")
	cs := graph.Confidences()
	for i := len(cs) - 1; i >= 0; i-- {
		fmt.Fprintf(w, "    %-13s %d\n", cs[i].Level, st.ByConfidence[string(cs[i].Level)])
	}
	return nil
}
