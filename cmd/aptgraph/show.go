package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/aptgraph/aptgraph/queries"
	"github.com/aptgraph/aptgraph/render"
)

type showOpts struct {
	entity string
	outputOpts
}

func (a *app) showCmd(g *globalOpts) *cobra.Command {
	var o showOpts
	c := &cobra.Command{
		Use:   "show ENTITY",
		Short: "One entity: its details, relationships and sources",
		Example: `  aptgraph show tick
  aptgraph show "Unit 61419" --format json
  aptgraph show JAXA -o jaxa.svg`,
		Args: exactArgs(1, "ENTITY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.entity = args[0]
			return a.showRun(cmd.Context(), g, &o)
		},
	}
	o.outputOpts.register(c)
	return c
}

func (a *app) showRun(ctx context.Context, g *globalOpts, o *showOpts) error {
	format, err := o.resolve(graphFormats)
	if err != nil {
		return err
	}
	return a.withStore(ctx, g, needExisting, func(ctx context.Context, s *openedStore) error {
		e, sub, err := queries.Show(ctx, s, o.entity)
		if err != nil {
			return err
		}
		switch format {
		case "text":
			return a.emit(&o.outputOpts, false, func(w io.Writer) error { return render.Entity(w, e, sub) })
		case "json":
			return a.emit(&o.outputOpts, false, func(w io.Writer) error {
				return render.JSON(w, map[string]any{"entity": e, "nodes": sub.Nodes, "relationships": sub.Relationships, "sources": sub.Sources})
			})
		}
		return a.writeGraph(ctx, &o.outputOpts, sub, shortName(e))
	})
}
