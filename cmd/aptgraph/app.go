package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/aptgraph/aptgraph/loader"
	"github.com/aptgraph/aptgraph/queries"
	"github.com/aptgraph/aptgraph/render"
)

// Exit codes (DESIGN.md §6).
const (
	exitOK       = 0
	exitFailure  = 1 // runtime failure: store unreachable, I/O
	exitUsage    = 2 // usage or validation error
	exitNotFound = 3 // entity not found or no path
)

// app is what every command needs from the outside world: the streams,
// the environment and whether we talk to a terminal. Tests build one with
// buffers; main builds one with the process's streams.
type app struct {
	in          io.Reader
	out, errOut io.Writer
	getenv      func(string) string
	outTTY      bool // stdout is a terminal: tables, no binary output
	errTTY      bool // stderr is a terminal: progress lines
}

func newApp(in io.Reader, out, errOut io.Writer, getenv func(string) string) *app {
	return &app{in: in, out: out, errOut: errOut, getenv: getenv, outTTY: isTerminal(out), errTTY: isTerminal(errOut)}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// usageError marks errors in how a command was called (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// exitCode is the one place that maps errors to exit codes.
func exitCode(err error) int {
	var ve *loader.ValidationError
	var ue usageError
	var ae *queries.AmbiguousError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ve), errors.As(err, &ue), errors.As(err, &ae), errors.Is(err, queries.ErrBadRequest), errors.Is(err, render.ErrTooBig):
		return exitUsage
	case errors.Is(err, queries.ErrNotFound):
		return exitNotFound
	}
	return exitFailure
}

func versionString() string {
	v := version
	if v == "" {
		v = "(devel)"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
			v = bi.Main.Version
		}
	}
	return v
}

// run executes one command line and returns the exit code. Ctrl-C and
// SIGTERM cancel the context, which every store call honours.
func (a *app) run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(a.in)
	root.SetOut(a.out)
	root.SetErr(a.errOut)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		fmt.Fprintln(a.errOut, "aptgraph: interrupted; nothing was half-written")
		return 130
	}
	var ve *loader.ValidationError
	switch {
	case errors.As(err, &ve): // printed in full already
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Fprintf(a.errOut, "aptgraph: timed out (--timeout); raise it or narrow the query: %v\n", err)
	default:
		fmt.Fprintf(a.errOut, "aptgraph: %v\n", err)
	}
	code := exitCode(err)
	if code == exitUsage && !errors.As(err, &ve) && !errors.Is(err, render.ErrTooBig) {
		fmt.Fprintln(a.errOut, "Run 'aptgraph --help' for usage.")
	}
	return code
}

func (a *app) rootCmd() *cobra.Command {
	var g globalOpts
	root := &cobra.Command{
		Use:   "aptgraph",
		Short: "Who-did-what-to-whom of cyber-threat intelligence, as a sourced graph",
		Long: `aptgraph keeps states, units, people, hacker groups, servers, fake
identities and victims in a graph, every relationship with its sources,
dates and confidence, and finds and draws the paths between them.

Data lives in the embedded store (one file; default
$XDG_DATA_HOME/aptgraph/aptgraph.db) or in Neo4j (--db bolt://… or
NEO4J_URI, with NEO4J_USERNAME, NEO4J_PASSWORD or NEO4J_PASSWORD_FILE, and
NEO4J_DATABASE from the environment; never a password on the command
line).`,
		Example: `  aptgraph load testdata/tick-2021.yaml
  aptgraph path PLA JAXA -o pla-jaxa.svg
  aptgraph attribution JAXA
  aptgraph --db bolt://localhost:7687 cypher "MATCH (g:Group) RETURN g.name"`,
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("aptgraph {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVar(&g.db, "db", "", "store: a file path for the embedded store, or bolt://, bolt+s://, neo4j://, neo4j+s:// for Neo4j (env APTGRAPH_DB, else NEO4J_URI)")
	root.PersistentFlags().DurationVar(&g.timeout, "timeout", 0, "give up after this long, e.g. 30s (0: no limit)")
	root.AddCommand(
		a.loadCmd(&g),
		a.checkCmd(&g),
		a.pathCmd(&g),
		a.neighborsCmd(&g),
		a.attributionCmd(&g),
		a.showCmd(&g),
		a.listCmd(&g),
		a.searchCmd(&g),
		a.statsCmd(&g),
		a.cypherCmd(&g),
		a.exportCmd(&g),
		a.schemaCmd(),
		a.manCmd(),
	)
	return root
}

// globalOpts are the flags every command shares.
type globalOpts struct {
	db      string
	timeout time.Duration
}

// withTimeout applies --timeout to a command's context.
func (g *globalOpts) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if g.timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, g.timeout)
}

// args checks the number of positional arguments with a usage error.
func exactArgs(n int, names string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("expected %s, got %d argument(s)", names, len(args))
		}
		return nil
	}
}
