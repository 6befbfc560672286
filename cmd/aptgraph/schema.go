package main

import (
	"github.com/spf13/cobra"

	"github.com/aptgraph/aptgraph/loader"
)

func (a *app) schemaCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of dataset files, for editors",
		Long: `Schema prints the JSON Schema (draft 2020-12) of the dataset format. The
same schema is committed as loader/dataset.schema.json; YAML editors that
use yaml-language-server pick it up from a first-line comment:

  # yaml-language-server: $schema=path/to/dataset.schema.json`,
		Example: `  aptgraph schema > dataset.schema.json`,
		Args:    exactArgs(0, "no arguments"),
		RunE: func(*cobra.Command, []string) error {
			_, err := a.out.Write(loader.Schema())
			return err
		},
	}
}
