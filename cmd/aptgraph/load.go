package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/loader"
	"github.com/aptgraph/aptgraph/queries"
	"github.com/aptgraph/aptgraph/render"
	"github.com/aptgraph/aptgraph/store"
)

type loadOpts struct {
	files     []string
	prune     bool
	dryRun    bool
	batchSize int
	writers   int
	format    string
	include   []string
	yes       bool
	replace   bool
	// addedAfter asks TAXII collections only for objects added after it.
	addedAfter string
}

func (a *app) loadCmd(g *globalOpts) *cobra.Command {
	var o loadOpts
	c := &cobra.Command{
		Use:   "load FILE...",
		Short: "Validate dataset files and write them into the store",
		Long: `Load validates every file first and writes nothing if any file has an
error; every problem is reported with file:line:column. Loading is
idempotent: loading the same file again changes nothing and says so, and
a changed file updates what changed. --prune also removes what a dataset
no longer contains (items another dataset still holds stay); it refuses
to remove more than half of what a dataset holds unless --yes is given
(--dry-run shows the counts first).

Datasets own their items. An entity several datasets hold unites their
aliases, sources, external ids and attributes; but a load that would
change what another dataset says of a source (its title, date, URL) or
an entity (its name, kind, description, country) is refused, exit 2,
each item named with its file:line and the dataset that defines it,
unless --replace takes this load's definition. A relationship several
datasets hold keeps each dataset's claim — its confidence, sources,
dates, words and via — side by side: every output shows each claim with
its own hedge, and --prune takes away only the pruning dataset's claim.
So loading the same datasets in any order gives the same store.

Files are YAML, JSON, STIX 2.1 bundles, MISP galaxy cluster files, or
JSON Lines for big graphs, told apart by their content whatever their
names. A TAXII 2.1 collection loads as a STIX bundle from its URL,
taxii+https://HOST/API-ROOT/collections/ID/ (taxii+http:// for a server on
this machine), paged through to the end (--added-after for only what is
new), with basic authentication from TAXII_USERNAME and TAXII_PASSWORD or
TAXII_PASSWORD_FILE, never from the command line; its dataset is
taxii-ID. "-" reads standard
input, and pipes work too (they are copied to a private file first). A
file holds one document: a second YAML document is an error. A JSON Lines
file is checked in one streaming pass and loaded in parts, in flat memory
however big it is (see the README, "Big graphs").`,
		Example: `  aptgraph load testdata/tick-2021.yaml
  aptgraph load --dry-run --prune testdata/tick-2021.yaml
  aptgraph load enterprise-attack.json
  aptgraph load threat-actor.json          # a MISP galaxy
  TAXII_USERNAME=me TAXII_PASSWORD_FILE=~/.taxii aptgraph load taxii+https://cti.example/api1/collections/ID/
  cat corpus.jsonl | aptgraph load --prune -
  aptgraph --db bolt://localhost:7687 load years-of-reporting.jsonl`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("give at least one dataset file")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.files = args
			if o.prune && o.addedAfter != "" {
				// The increment is not the whole dataset: pruning would
				// remove everything the server added before.
				return usagef("--prune with --added-after would remove what the collection added before that time; load the increment without --prune")
			}
			return a.loadRun(cmd.Context(), g, &o)
		},
	}
	c.Flags().BoolVar(&o.prune, "prune", false, "remove what each dataset no longer contains")
	c.Flags().BoolVar(&o.replace, "replace", false, "take this load's definition of items another dataset defines differently (refused otherwise)")
	c.Flags().StringVar(&o.addedAfter, "added-after", "", "with a TAXII collection: only objects the server added after this time (RFC 3339, e.g. 2024-01-01T00:00:00Z)")
	c.Flags().BoolVar(&o.yes, "yes", false, "with --prune: remove even more than half of what a dataset holds")
	c.Flags().BoolVar(&o.dryRun, "dry-run", false, "validate and report what would change; write nothing")
	c.Flags().IntVar(&o.batchSize, "batch-size", 0, "rows per write transaction on Neo4j (default 1000)")
	c.Flags().IntVar(&o.writers, "writers", 0, "write transactions at once on Neo4j (default 1; try more for a server with cores to spare)")
	c.Flags().StringVar(&o.format, "format", "text", "summary format: text or json")
	c.Flags().StringSliceVar(&o.include, "include", nil, "STIX: also keep objects of these types that have no mapping (e.g. attack-pattern,course-of-action, or all) as entities of kind other")
	return c
}

func (a *app) loadRun(ctx context.Context, g *globalOpts, o *loadOpts) error {
	if o.format != "text" && o.format != "json" {
		return usagef("unknown format %q; use text or json", o.format)
	}
	if o.batchSize < 0 {
		return usagef("--batch-size must be positive")
	}
	if o.writers < 0 {
		return usagef("--writers must be positive")
	}
	// Open without creating first: references to entities loaded earlier
	// resolve against the store, and a file with errors leaves no new
	// store behind.
	return a.withStore(ctx, g, needOptional, func(ctx context.Context, opened *openedStore) error {
		return a.loadInto(ctx, opened, o)
	})
}

// loadInto validates the inputs against the opened store (if there is
// one), then loads them, creating the store unless it is a dry run.
func (a *app) loadInto(ctx context.Context, opened *openedStore, o *loadOpts) error {
	var s store.Store
	var known loader.Known
	if opened.Store != nil {
		s = opened.Store
		known = store.Known{Store: s}
	}
	spool, err := a.spooler(o.addedAfter)
	if err != nil {
		return err
	}
	defer spool.Close()
	inputs, verr := a.validate(ctx, o.files, loader.Options{Known: known, Include: o.include, Spool: spool}, "; nothing was loaded")
	if verr != nil {
		return verr
	}
	if s == nil && !o.dryRun {
		var err error
		if s, err = opened.create(); err != nil {
			return err
		}
	}
	if s == nil {
		// A dry run against a store that does not exist yet: everything
		// would be created.
		var plans []graph.Plan
		for _, in := range inputs {
			if in.Dataset != nil {
				plans = append(plans, graph.PlanLoad(in.Dataset, graph.NewState(), o.prune, o.replace))
				continue
			}
			p := graph.NewPlan(in.Name())
			p.Sources.Created, p.Entities.Created, p.Relationships.Created = in.Counts()
			plans = append(plans, p)
		}
		return a.loadReport(plans, o, "(new store)", 0)
	}
	lo := store.LoadOptions{DryRun: o.dryRun, Prune: o.prune, Replace: o.replace, BatchSize: o.batchSize, Writers: o.writers, Files: inputFiles(inputs)}
	if o.prune && !o.yes && !o.dryRun {
		// Plan first: a truncated or mistaken input must not empty a
		// dataset. The plan is made again by the load itself.
		dry := lo
		dry.DryRun = true
		plans, err := a.loadInputs(ctx, s, inputs, dry, nil)
		if err != nil {
			return err
		}
		if err := pruneGuard(plans); err != nil {
			return err
		}
	}
	if err := a.applyRenames(ctx, s, inputs, lo); err != nil {
		return err
	}
	start := time.Now()
	var prog *progress
	if a.errTTY {
		prog = &progress{w: a.errOut, start: start}
		lo.Progress = prog.update
	}
	plans, err := a.loadInputs(ctx, s, inputs, lo, prog)
	if err != nil {
		prog.done()
		var ce *graph.ConflictError
		if errors.As(err, &ce) {
			a.reportConflicts(ctx, s, inputs, ce.Plans)
			return usageError{err}
		}
		return err
	}
	prog.done()
	return a.loadReport(plans, o, s.Describe(), time.Since(start))
}

// applyRenames moves the stored entities the inputs take over to the
// inputs' ids (loader: findRenames), so that merging ignores the order
// of loads. A dry run only says what would move; a load that would be
// refused moves nothing (it is planned first).
func (a *app) applyRenames(ctx context.Context, s store.Store, inputs []loader.Input, lo store.LoadOptions) error {
	has := false
	for _, in := range inputs {
		has = has || len(in.Renames) > 0
	}
	if !has {
		return nil
	}
	if !lo.DryRun {
		dry := lo
		dry.DryRun, dry.Progress = true, nil
		plans, err := a.loadInputs(ctx, s, inputs, dry, nil)
		if err != nil {
			return err
		}
		for _, p := range plans {
			if len(p.Conflicts) > 0 {
				return nil // the load itself reports them
			}
		}
	}
	for _, in := range inputs {
		for _, r := range in.Renames {
			var to graph.Entity
			for _, e := range in.Dataset.Entities {
				if e.ID == r.To {
					to = e
				}
			}
			if lo.DryRun {
				fmt.Fprintf(a.errOut, "%s: would merge the stored %s into %s (one external id)\n", render.Clean(in.File), render.Clean(r.From), render.Clean(r.To))
				continue
			}
			done, err := queries.Rename(ctx, s, to, r.From)
			if err != nil {
				return err
			}
			if done {
				fmt.Fprintf(a.errOut, "%s: merged the stored %s into %s (one external id)\n", render.Clean(in.File), render.Clean(r.From), render.Clean(r.To))
			}
		}
	}
	return nil
}

// loadInputs loads (or, with lo.DryRun, plans) whole datasets in one
// transaction, then each JSON Lines file part by part.
func (a *app) loadInputs(ctx context.Context, s store.Store, inputs []loader.Input, lo store.LoadOptions, prog *progress) ([]graph.Plan, error) {
	var datasets []*graph.Dataset
	for _, in := range inputs {
		if in.Dataset != nil {
			datasets = append(datasets, in.Dataset)
		}
	}
	var plans []graph.Plan
	if len(datasets) > 0 {
		p, err := s.Load(ctx, datasets, lo)
		if err != nil {
			return nil, err
		}
		plans = p
	}
	for _, in := range inputs {
		if in.Stream == nil {
			continue
		}
		// A JSON Lines file is read again part by part: its progress
		// totals are the counts the check found.
		so := lo
		if prog != nil {
			src, ent, rel := in.Counts()
			totals := map[string]int{"sources": src, "entities": ent, "relationships": rel}
			so.Progress = func(pr store.Progress) {
				if pr.Total == 0 {
					pr.Total = totals[pr.Phase]
				}
				prog.update(pr)
			}
		}
		p, err := s.LoadParts(ctx, in.Name(), in.Stream.Parts(ctx, partSize), so)
		if err != nil {
			return nil, err
		}
		plans = append(plans, p)
	}
	return plans, nil
}

// pruneGuard refuses a prune that would remove more than half of what a
// dataset holds in the store: that is far more often a truncated input or
// the wrong file than an intended retraction (--yes says it is intended).
func pruneGuard(plans []graph.Plan) error {
	for _, p := range plans {
		removed := p.Sources.Removed + p.Entities.Removed + p.Relationships.Removed
		held := removed
		for _, c := range []graph.Counts{p.Sources, p.Entities, p.Relationships} {
			held += c.Updated + c.Unchanged
		}
		if removed > 0 && 2*removed > held {
			return usagef("--prune would remove %d of the %d items dataset %s holds (%s, %s, %s); nothing was changed. Check the input (a truncated or wrong file?), see the counts with --dry-run, and add --yes if this is meant",
				removed, held, render.Clean(p.Dataset), count(p.Sources.Removed, "source"), count(p.Entities.Removed, "entity"), count(p.Relationships.Removed, "relationship"))
		}
	}
	return nil
}

// reportConflicts prints each item a load would define differently from
// another dataset, at its file:line, like a validation error, with where
// the other dataset defines it when its file is still there to read.
func (a *app) reportConflicts(ctx context.Context, s store.Store, inputs []loader.Input, plans []graph.Plan) {
	var others []string
	for _, p := range plans {
		for _, c := range p.Conflicts {
			others = append(others, c.DefinedBy...)
		}
	}
	// Where the other datasets came from only sharpens the message: if
	// the store cannot say, the message names the datasets alone.
	files, _ := s.DatasetFiles(ctx, graph.SortedUnique(others))
	found := map[string]func(kind, key string) (int, int, bool){}
	there := func(dataset, kind, key string) string {
		f := files[dataset]
		if f == "" {
			return "dataset " + dataset
		}
		pos, ok := found[f]
		if !ok {
			pos, _ = loader.Positions(ctx, f)
			found[f] = pos
		}
		if pos != nil {
			if line, col, ok := pos(kind, key); ok {
				return fmt.Sprintf("dataset %s at %s:%d:%d", dataset, f, line, col)
			}
		}
		return fmt.Sprintf("dataset %s (%s)", dataset, f)
	}
	for _, p := range plans {
		in := inputFor(inputs, p.Dataset)
		for _, c := range p.Conflicts {
			where := in.File
			if line, col, ok := in.Position(c.Kind, c.Key); ok {
				where = fmt.Sprintf("%s:%d:%d", in.File, line, col)
			}
			var by []string
			for _, d := range c.DefinedBy {
				by = append(by, there(d, c.Kind, c.Key))
			}
			what := ""
			if c.Field != "" {
				what = fmt.Sprintf(" (%s %q here, %q there)", c.Field, c.Here, c.There)
			}
			fmt.Fprintf(a.errOut, "%s: error: %s %s is defined differently by %s%s; make the two agree, or load with --replace to take this one\n",
				render.Clean(where), c.Kind, render.Clean(c.Key), render.Clean(strings.Join(by, ", ")), render.Clean(what))
		}
	}
}

// inputFiles are the files the inputs were read from, as absolute paths,
// by dataset: what the store records for later messages. Standard input
// and pipes are not files to read again, and are left out.
func inputFiles(inputs []loader.Input) map[string]string {
	out := map[string]string{}
	for _, in := range inputs {
		fi, err := os.Stat(in.File)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		if abs, err := filepath.Abs(in.File); err == nil {
			out[in.Name()] = abs
		}
	}
	return out
}

// inputFor finds the input of a dataset.
func inputFor(inputs []loader.Input, dataset string) loader.Input {
	for _, in := range inputs {
		if in.Name() == dataset {
			return in
		}
	}
	return loader.Input{File: dataset}
}

// count writes "1 entity", "2 entities", "0 sources".
func count(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	if strings.HasSuffix(word, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(word, "y"))
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// partSize is how many items of a JSON Lines file are planned and written
// together: enough to amortise the stored-state lookups, small enough to
// keep a load's memory flat.
const partSize = 10_000

// validate reads and checks dataset files, printing every diagnostic;
// known (may be nil) resolves references to what is already stored.
// after is appended to the error count ("; nothing was loaded").
func (a *app) validate(ctx context.Context, files []string, o loader.Options, after string) ([]loader.Input, error) {
	inputs, diags, err := loader.ReadInputs(ctx, files, o)
	for _, d := range diags {
		fmt.Fprintln(a.errOut, render.Clean(d.String()))
	}
	var ve *loader.ValidationError
	if errors.As(err, &ve) {
		fmt.Fprintf(a.errOut, "%s%s\n", countWords(ve.Diagnostics), after)
	}
	return inputs, err
}

func countWords(d loader.Diagnostics) string {
	plural := func(n int, w string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, w)
		}
		return fmt.Sprintf("%d %ss", n, w)
	}
	return plural(d.Errors(), "error") + ", " + plural(d.Warnings(), "warning")
}

func (a *app) loadReport(plans []graph.Plan, o *loadOpts, where string, took time.Duration) error {
	if o.format == "json" {
		return render.JSON(a.out, map[string]any{"store": where, "dry_run": o.dryRun, "datasets": plans})
	}
	verb := "loaded into"
	if o.dryRun {
		verb = "dry run against"
	}
	for _, p := range plans {
		for _, c := range p.Conflicts {
			fmt.Fprintf(a.out, "%s: would be refused: %s %s is defined differently by dataset %s (--replace takes this one)\n",
				p.Dataset, c.Kind, render.Clean(c.Key), strings.Join(c.DefinedBy, ", "))
		}
		if !p.Changed() {
			fmt.Fprintf(a.out, "%s: unchanged (%d sources, %d entities, %d relationships already in %s)\n",
				p.Dataset, p.Sources.Unchanged, p.Entities.Unchanged, p.Relationships.Unchanged, where)
			continue
		}
		fmt.Fprintf(a.out, "%s: %s %s\n", p.Dataset, verb, where)
		for _, row := range []struct {
			name string
			c    graph.Counts
		}{{"sources", p.Sources}, {"entities", p.Entities}, {"relationships", p.Relationships}} {
			would := ""
			if o.dryRun {
				would = "would be "
			}
			fmt.Fprintf(a.out, "  %-14s %d %screated, %d updated, %d unchanged, %d removed\n",
				row.name+":", row.c.Created, would, row.c.Updated, row.c.Unchanged, row.c.Removed)
		}
	}
	if took > 0 && !o.dryRun {
		fmt.Fprintf(a.errOut, "done in %s\n", took.Round(time.Millisecond))
	}
	return nil
}

// progress draws one updating line on a terminal; it is never used when
// stderr is a pipe, so logs stay clean.
type progress struct {
	w     io.Writer
	start time.Time
	last  time.Time
	shown bool
}

func (p *progress) update(pr store.Progress) {
	now := time.Now()
	if pr.Done != pr.Total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	rate := float64(pr.Done) / now.Sub(p.start).Seconds()
	line := fmt.Sprintf("%s: %s %d/%d (%.0f/s)", pr.Dataset, pr.Phase, pr.Done, pr.Total, rate)
	fmt.Fprintf(p.w, "\r%-70s", render.Clean(line))
	p.shown = true
}

func (p *progress) done() {
	if p != nil && p.shown {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 70))
	}
}
