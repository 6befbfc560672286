package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/aptgraph/aptgraph/loader"
	"github.com/aptgraph/aptgraph/render"
	"github.com/aptgraph/aptgraph/store"
)

func (a *app) checkCmd(g *globalOpts) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "check FILE...",
		Short: "Validate dataset files without loading them",
		Long: `Check reports every problem in the files at once, each as
file:line:column: severity: message; hint. Relationship types outside the
vocabulary are warnings; everything else is an error. Exit 2 on any error.
References to entities and sources that are not in the files are looked
up in the store (--db), when it exists, as load would.`,
		Example: `  aptgraph check testdata/tick-2021.yaml
  aptgraph check --format json data/*.yaml
  aptgraph check corpus.jsonl`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("give at least one dataset file")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.checkRun(cmd.Context(), g, args, format)
		},
	}
	c.Flags().StringVar(&format, "format", "text", "text, or json (a list of diagnostics)")
	return c
}

func (a *app) checkRun(ctx context.Context, g *globalOpts, files []string, format string) error {
	if format != "text" && format != "json" {
		return usagef("unknown format %q; use text or json", format)
	}
	return a.withStore(ctx, g, needAdvisory, func(ctx context.Context, s *openedStore) error {
		var known loader.Known
		if s.Store != nil {
			known = store.Known{Store: s.Store}
		}
		return a.checkFiles(ctx, files, known, format)
	})
}

// checkFiles validates the files, resolving references against known
// (nil: within the files only), and reports as format says.
func (a *app) checkFiles(ctx context.Context, files []string, known loader.Known, format string) error {
	spool, err := a.spooler("")
	if err != nil {
		return err
	}
	defer spool.Close()
	switch format {
	case "text":
		inputs, err := a.validate(ctx, files, loader.Options{Known: known, Spool: spool}, "")
		if err != nil {
			return err
		}
		for _, in := range inputs {
			src, ent, rel := in.Counts()
			fmt.Fprintf(a.out, "%s: ok: dataset %s, %d sources, %d entities, %d relationships\n",
				render.Clean(in.File), render.Clean(in.Name()), src, ent, rel)
		}
		return nil
	case "json":
		_, diags, err := loader.ReadInputs(ctx, files, loader.Options{Known: known, Spool: spool})
		var ve *loader.ValidationError
		if err != nil && !errors.As(err, &ve) {
			return err
		}
		if diags == nil {
			diags = loader.Diagnostics{}
		}
		if werr := render.JSON(a.out, map[string]any{"errors": diags.Errors(), "warnings": diags.Warnings(), "diagnostics": diags}); werr != nil {
			return werr
		}
		return err
	}
	return nil
}
