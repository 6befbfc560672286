package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

func (a *app) manCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "man DIR",
		Short: "Write man pages for every command into a directory",
		Long: `Man writes one man page (section 1) per command into DIR, created if
missing: aptgraph.1, aptgraph-load.1, aptgraph-path.1, … Install them
where man looks, or read one directly with man -l.`,
		Example: `  aptgraph man ~/.local/share/man/man1 && man aptgraph-path
  aptgraph man /tmp/man && man -l /tmp/man/aptgraph-attribution.1`,
		Args: exactArgs(1, "DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return fmt.Errorf("man pages: %w", err)
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true
			h := &doc.GenManHeader{Title: "APTGRAPH", Section: "1", Source: "aptgraph " + versionString(), Manual: "aptgraph manual"}
			if err := doc.GenManTree(root, h, args[0]); err != nil {
				return fmt.Errorf("man pages: %w", err)
			}
			fmt.Fprintf(a.errOut, "wrote the man pages into %s\n", args[0])
			return nil
		},
	}
}
