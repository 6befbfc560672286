package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/render"
)

// tableOpts are the flags of commands that print entity lists.
type tableOpts struct {
	format string
	output string
	maxTLP string
}

func (o *tableOpts) register(c *cobra.Command) {
	c.Flags().StringVar(&o.format, "format", "", "text (a table on a terminal, TSV in a pipe), tsv or json")
	c.Flags().StringVarP(&o.output, "output", "o", "", "write to this file instead of stdout")
	c.Flags().StringVar(&o.maxTLP, "max-tlp", "", "leave out entities marked above this TLP level: "+strings.Join(graph.TLPNames(), ", "))
}

func (a *app) listCmd(g *globalOpts) *cobra.Command {
	var o tableOpts
	var kind string
	c := &cobra.Command{
		Use:   "list",
		Short: "List entities, optionally of one kind",
		Example: `  aptgraph list
  aptgraph list --kind victim
  aptgraph list --format json | jq '.[].id'`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var k graph.Kind
			if kind != "" {
				var ok bool
				if k, ok = graph.ParseKind(kind); !ok {
					return usagef("unknown kind %q; use one of: %s", kind, strings.Join(graph.KindNames(), ", "))
				}
			}
			return a.withStore(cmd.Context(), g, needExisting, func(ctx context.Context, s *openedStore) error {
				es, err := s.List(ctx, k)
				if err != nil {
					return err
				}
				return a.writeEntities(&o, es)
			})
		},
	}
	c.Flags().StringVar(&kind, "kind", "", "only this kind: "+strings.Join(graph.KindNames(), ", "))
	o.register(c)
	return c
}

func (a *app) searchCmd(g *globalOpts) *cobra.Command {
	var o tableOpts
	var limit int
	c := &cobra.Command{
		Use:   "search TEXT",
		Short: "Find entities whose id, name or alias contains TEXT",
		Example: `  aptgraph search unit
  aptgraph search "bronze" --format json`,
		Args: exactArgs(1, "TEXT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 1 {
				return usagef("--limit must be at least 1")
			}
			return a.withStore(cmd.Context(), g, needExisting, func(ctx context.Context, s *openedStore) error {
				// One more than the limit tells a full answer from a cut
				// one: a cut is said, never silent.
				es, err := s.Search(ctx, args[0], limit+1)
				if err != nil {
					return err
				}
				if len(es) > limit {
					es = es[:limit]
					defer fmt.Fprintf(a.errOut, "more than %d entities match %q; showing the first %d by id (raise --limit to see more)\n", limit, render.Clean(args[0]), limit)
				}
				return a.writeEntities(&o, es)
			})
		},
	}
	c.Flags().IntVar(&limit, "limit", 50, "at most this many entities")
	o.register(c)
	return c
}

func (a *app) writeEntities(o *tableOpts, es []graph.Entity) error {
	out := &outputOpts{output: o.output, format: o.format, scale: 1}
	format, err := out.resolve([]string{"text", "tsv", "json"})
	if err != nil {
		return err
	}
	limit, err := tlpLimit(o.maxTLP)
	if err != nil {
		return err
	}
	kept := []graph.Entity{}
	for _, e := range es {
		if limit.Admits(e.TLP) {
			kept = append(kept, e)
		}
	}
	if gone := len(es) - len(kept); gone > 0 {
		fmt.Fprintf(a.errOut, "note: %d entities marked above %s left out (--max-tlp)\n", gone, limit.Label())
	}
	es = kept
	return a.emit(out, false, func(w io.Writer) error {
		if format == "json" {
			return render.JSON(w, es)
		}
		rows := make([][]string, len(es))
		for i, e := range es {
			rows[i] = []string{e.ID, string(e.Kind), e.Name, strings.Join(e.Aliases, ", ")}
		}
		tsv := format == "tsv" || o.output != "" || !a.outTTY
		return render.Table(w, []string{"ID", "KIND", "NAME", "ALIASES"}, rows, tsv)
	})
}
