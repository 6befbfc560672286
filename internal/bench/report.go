package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/loader"
)

type diagramResult struct {
	Nodes            int
	Aptgraph, Native time.Duration // median whole-process time
	Runs             int
}

// diagram times `aptgraph path A B -o x.svg` for a 10-node path against
// native `dot -Tsvg` on the DOT aptgraph writes for the same path.
func diagram(ctx context.Context, work, bin, dot string) (diagramResult, error) {
	const nodes, runs = 10, 15
	kinds := []graph.Kind{graph.KindOrganization, graph.KindUnit, graph.KindPerson, graph.KindGroup, graph.KindIdentity,
		graph.KindServer, graph.KindGroup, graph.KindMalware, graph.KindServer, graph.KindVictim}
	ds := &graph.Dataset{Name: "chain", Sources: []graph.Source{{ID: "src", Publisher: "Synthetic Vendor A", Date: "2021-04"}}}
	for i := range nodes {
		ds.Entities = append(ds.Entities, graph.Entity{ID: fmt.Sprintf("n%d", i), Kind: kinds[i], Name: fmt.Sprintf("Synthetic %s %d", kinds[i], i)})
		if i > 0 {
			ds.Relationships = append(ds.Relationships, graph.Relationship{From: fmt.Sprintf("n%d", i-1), Type: "USED", To: fmt.Sprintf("n%d", i),
				Confidence: graph.Alleged, Sources: []string{"src"}, Start: "2020"})
		}
	}
	dir := filepath.Join(work, "diagram")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return diagramResult{}, err
	}
	file := filepath.Join(dir, "chain.jsonl")
	if err := writeFile(file, func(f *os.File) error { return loader.WriteStream(f, ds, "") }); err != nil {
		return diagramResult{}, err
	}
	db := filepath.Join(dir, "chain.db")
	if _, _, _, err := timeLoad(bin, db, file); err != nil {
		return diagramResult{}, err
	}
	dotFile := filepath.Join(dir, "chain.dot")
	if out, err := exec.Command(bin, "--db", db, "path", "n0", "n9", "--max-hops", "9", "--format", "dot", "-o", dotFile).CombinedOutput(); err != nil {
		return diagramResult{}, fmt.Errorf("aptgraph path: %v\n%s", err, out)
	}
	r := diagramResult{Nodes: nodes, Runs: runs}
	var err error
	if r.Aptgraph, err = median(runs, bin, "--db", db, "path", "n0", "n9", "--max-hops", "9", "-o", filepath.Join(dir, "a.svg")); err != nil {
		return r, err
	}
	if r.Native, err = median(runs, dot, "-Tsvg", dotFile, "-o", filepath.Join(dir, "n.svg")); err != nil {
		return r, err
	}
	return r, nil
}

// median runs a command runs times after one warm-up run and returns the
// median wall time.
func median(runs int, name string, args ...string) (time.Duration, error) {
	var ts []time.Duration
	for i := 0; i <= runs; i++ {
		start := time.Now()
		if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
			return 0, fmt.Errorf("%s: %v\n%s", name, err, out)
		}
		if i > 0 {
			ts = append(ts, time.Since(start))
		}
	}
	slices.Sort(ts)
	return ts[len(ts)/2], nil
}

type startRow struct {
	What string
	Took time.Duration
}

// startup times commands that draw nothing, whole processes, on the
// small store the diagram made: what a command costs before its query.
func startup(work, bin string) ([]startRow, error) {
	db := filepath.Join(work, "diagram", "chain.db")
	var out []startRow
	for _, args := range [][]string{{"--version"}, {"stats"}, {"show", "n0"}, {"path", "n0", "n9", "--max-hops", "9", "--format", "json"}} {
		full := args
		if args[0] != "--version" {
			full = append([]string{"--db", db}, args...)
		}
		d, err := median(21, bin, full...)
		if err != nil {
			return nil, err
		}
		out = append(out, startRow{"`aptgraph " + strings.Join(args, " ") + "`", d})
	}
	return out, nil
}

type report struct {
	Machine     machineInfo
	Started     time.Time
	Took        time.Duration
	Seed        uint64
	NaiveBudget time.Duration
	Pairs       int
	Rows        []sizeRow
	Diagram     diagramResult
	Startup     []startRow
	Real        []realRow
}

func human(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}

func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }
func ms(d time.Duration) string   { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
func mib(b int64) string          { return fmt.Sprintf("%d MiB", b>>20) }

func (r sizeRow) naiveRate() float64 { return r.rate(r.NaiveItems, r.NaiveTime) }

// orNone is a figure, or a dash where the size was not measured on Neo4j.
func (r sizeRow) orNone(f string) string {
	if r.EmbeddedOnly {
		return "—"
	}
	return f
}

// printRow shows a size's figures as soon as they are measured.
func printRow(r sizeRow) {
	fmt.Printf("%s relationships (%d items): embedded %s (%.0f/s, peak %s)", human(r.Relationships), r.Items, secs(r.Embedded), r.rate(r.Items, r.Embedded), mib(r.EmbeddedRSS))
	if !r.EmbeddedOnly {
		fmt.Printf(", Neo4j %s (%.0f/s, peak %s), LOAD CSV %s (%.0f/s), naive %.0f/s; CPU server/client aptgraph %s/%s, LOAD CSV %s",
			secs(r.Neo4j), r.rate(r.Items, r.Neo4j), mib(r.Neo4jRSS), secs(r.LoadCSV), r.rate(r.Items, r.LoadCSV), r.naiveRate(),
			secs(r.Neo4jServerCPU), secs(r.Neo4jClientCPU), secs(r.LoadCSVServerCPU))
	}
	fmt.Println()
	for _, q := range r.Queries {
		fmt.Printf("  %s: p50 embedded %s, Neo4j %s\n", q.Name, ms(percentile(q.Embedded, 0.5)), ms(percentile(q.Neo4j, 0.5)))
	}
}

// tables renders the figures as Markdown.
func (rep *report) tables() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### Loading\n\nItems are sources + entities + relationships; times are whole `aptgraph load` processes (check, then write) or whole Cypher runs. A dash: not measured on Neo4j at that size.\n\n")
	fmt.Fprintf(&b, "| relationships | items | aptgraph → embedded | aptgraph → Neo4j | LOAD CSV → Neo4j | one row per tx → Neo4j | Neo4j loader ÷ naive | Neo4j loader ÷ LOAD CSV | peak RSS embedded / Neo4j |\n")
	fmt.Fprintf(&b, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rep.Rows {
		fmt.Fprintf(&b, "| %s | %d | %s (%.0f/s) | %s | %s | %s | %s | %s | %s / %s |\n",
			human(r.Relationships), r.Items, secs(r.Embedded), r.rate(r.Items, r.Embedded),
			r.orNone(fmt.Sprintf("%s (%.0f/s)", secs(r.Neo4j), r.rate(r.Items, r.Neo4j))),
			r.orNone(fmt.Sprintf("%s (%.0f/s)", secs(r.LoadCSV), r.rate(r.Items, r.LoadCSV))),
			r.orNone(fmt.Sprintf("%.0f/s (%d items in %s)", r.naiveRate(), r.NaiveItems, secs(r.NaiveTime))),
			r.orNone(fmt.Sprintf("%.0f×", r.rate(r.Items, r.Neo4j)/r.naiveRate())),
			r.orNone(fmt.Sprintf("%.2f×", r.LoadCSV.Seconds()/r.Neo4j.Seconds())), mib(r.EmbeddedRSS), r.orNone(mib(r.Neo4jRSS)))
	}
	fmt.Fprintf(&b, "\n### Processor time of the Neo4j loads\n\nThe server's and the client's share of the machine's two cores, read from /proc: the server's JVM during each load, and the whole `aptgraph load` process (check and write) for ours. `LOAD CSV` has no client work.\n\n")
	fmt.Fprintf(&b, "| relationships | aptgraph: server CPU | aptgraph: client CPU | LOAD CSV: server CPU | server CPU aptgraph ÷ LOAD CSV |\n|---:|---:|---:|---:|---:|\n")
	for _, r := range rep.Rows {
		if r.EmbeddedOnly {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %.2f× |\n", human(r.Relationships), secs(r.Neo4jServerCPU), secs(r.Neo4jClientCPU),
			secs(r.LoadCSVServerCPU), r.Neo4jServerCPU.Seconds()/r.LoadCSVServerCPU.Seconds())
	}
	fmt.Fprintf(&b, "\n### Queries\n\nWhat each command runs with its defaults (`queries.Path`, `queries.Attribution`, `queries.Neighbors`: name resolution, the search, and every entity, relationship and source the answer shows), over %d random pairs of entities 2–4 hops apart (path, neighbors of the first) and %d random victims (attribution), store already open. Answer: paths found (shown and counted) and relationships shown, per query on average.\n\n", rep.Pairs, rep.Pairs)
	fmt.Fprintf(&b, "Each query is sampled for at most %s per store; where that cut the samples short, the count says so.\n\n", queryBudget)
	fmt.Fprintf(&b, "| relationships | query | answer: paths / relationships | samples embedded / Neo4j | embedded p50 | embedded p95 | Neo4j p50 | Neo4j p95 | embedded ÷ Neo4j (p50) |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rep.Rows {
		for _, q := range r.Queries {
			n := max(1, q.Samples)
			e50, n50 := percentile(q.Embedded, 0.5), percentile(q.Neo4j, 0.5)
			fmt.Fprintf(&b, "| %s | %s | %d / %d | %d / %s | %s | %s | %s | %s | %s |\n", human(r.Relationships), q.Name, q.Paths/n, q.Relationships/n,
				len(q.Embedded), r.orNone(fmt.Sprint(len(q.Neo4j))),
				ms(e50), ms(percentile(q.Embedded, 0.95)), r.orNone(ms(n50)), r.orNone(ms(percentile(q.Neo4j, 0.95))),
				r.orNone(fmt.Sprintf("%.2f×", e50.Seconds()/n50.Seconds())))
		}
	}
	if len(rep.Rows) > 1 {
		fmt.Fprintf(&b, "\n### Growth\n\nLoad time per relationship, relative to the previous size (1.00 = perfectly linear).\n\n| from → to | embedded | Neo4j | LOAD CSV |\n|---|---:|---:|---:|\n")
		for i := 1; i < len(rep.Rows); i++ {
			a, c := rep.Rows[i-1], rep.Rows[i]
			per := func(d time.Duration, r sizeRow) float64 { return d.Seconds() / float64(r.Items) }
			fmt.Fprintf(&b, "| %s → %s | %.2f | %s | %s |\n", human(a.Relationships), human(c.Relationships),
				per(c.Embedded, c)/per(a.Embedded, a), c.orNone(fmt.Sprintf("%.2f", per(c.Neo4j, c)/per(a.Neo4j, a))),
				c.orNone(fmt.Sprintf("%.2f", per(c.LoadCSV, c)/per(a.LoadCSV, a))))
		}
	}
	d := rep.Diagram
	fmt.Fprintf(&b, "\n### Small diagram and start-up\n\n| what | time (median of %d) |\n|---|---:|\n", d.Runs)
	fmt.Fprintf(&b, "| `aptgraph path n0 n9 --max-hops 9 -o path.svg` (%d-node path, whole process) | %s |\n", d.Nodes, ms(d.Aptgraph))
	fmt.Fprintf(&b, "| `dot -Tsvg` on the same DOT (Debian's Graphviz) | %s |\n", ms(d.Native))
	fmt.Fprintf(&b, "| ratio aptgraph ÷ dot | %.2f× |\n", d.Aptgraph.Seconds()/d.Native.Seconds())
	fmt.Fprintf(&b, "\nCommands that draw nothing, whole processes on a 10-entity store (median of 21):\n\n| command | time |\n|---|---:|\n")
	for _, st := range rep.Startup {
		fmt.Fprintf(&b, "| %s | %s |\n", st.What, ms(st.Took))
	}
	return b.String()
}

// write puts the tables into BENCHMARKS.md between markers (the prose
// around them is kept) and draws the chart.
func (rep *report) write(dir string) error {
	name := filepath.Join(dir, "BENCHMARKS.md")
	if len(rep.Rows) > 0 {
		if err := rep.writeSizes(dir); err != nil {
			return err
		}
	}
	if len(rep.Real) == 0 {
		return nil
	}
	// The real-data rows have a block of their own, so that a run of
	// them alone (-real-only) keeps the size tables.
	fmt.Print("\n" + realTable(rep.Real))
	m := rep.Machine
	gen := fmt.Sprintf("Measured %s on %s (%d cores, %s), %s, %s, Neo4j %s Community.\n\n", rep.Started.Format("2006-01-02"), m.CPU, m.Cores, m.Memory, m.OS, m.Go, neo4jVersion())
	body := "<!-- bench:real:begin (written by go run ./internal/bench; do not edit) -->\n" + gen + realTable(rep.Real) + "<!-- bench:real:end -->"
	old, err := os.ReadFile(name)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	s := string(old)
	if s == "" {
		s = "# Benchmarks\n"
	}
	i, j := strings.Index(s, "<!-- bench:real:begin"), strings.Index(s, "<!-- bench:real:end -->")
	switch {
	case i >= 0 && j > i:
		s = s[:i] + body + s[j+len("<!-- bench:real:end -->"):]
	case strings.Contains(s, "<!-- bench:end -->"):
		k := strings.Index(s, "<!-- bench:end -->") + len("<!-- bench:end -->")
		s = s[:k] + "\n\n" + body + s[k:]
	default:
		s += "\n" + body + "\n"
	}
	return os.WriteFile(name, []byte(s), 0o644)
}

// writeSizes puts the size tables into BENCHMARKS.md between their
// markers and draws the chart.
func (rep *report) writeSizes(dir string) error {
	fmt.Print("\n" + rep.tables())
	m := rep.Machine
	gen := fmt.Sprintf("Measured %s on %s (%d cores, %s), %s, %s, Neo4j %s Community (heap %d MiB, page cache %d MiB); corpus seed %d; the run took %s.\n\n",
		rep.Started.Format("2006-01-02"), m.CPU, m.Cores, m.Memory, m.OS, m.Go, neo4jVersion(), serverOptions.HeapMB, serverOptions.PageCacheMB, rep.Seed, rep.Took.Round(time.Second))
	body := "<!-- bench:begin (written by go run ./internal/bench; do not edit) -->\n" + gen + rep.tables() + "\n![Throughput and path latency against size](benchmarks.svg)\n<!-- bench:end -->"
	name := filepath.Join(dir, "BENCHMARKS.md")
	old, err := os.ReadFile(name)
	text := "# Benchmarks\n\n" + body + "\n"
	if err == nil {
		s := string(old)
		i, j := strings.Index(s, "<!-- bench:begin"), strings.Index(s, "<!-- bench:end -->")
		if i >= 0 && j > i {
			text = s[:i] + body + s[j+len("<!-- bench:end -->"):]
		}
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "benchmarks.svg"), []byte(rep.chart()), 0o644)
}

// chart draws load throughput (items/s) and path p50 against size, both
// on log scales, as a small self-contained SVG.
func (rep *report) chart() string {
	const w, h, pad = 900, 360, 60
	type series struct {
		name, colour string
		ys           []float64
	}
	var xs []float64
	tp := []series{{"aptgraph → embedded", "#0072B2", nil}, {"aptgraph → Neo4j", "#D55E00", nil}, {"LOAD CSV → Neo4j", "#009E73", nil}, {"one row per tx", "#999999", nil}}
	lat := []series{{"path p50 embedded", "#0072B2", nil}, {"path p50 Neo4j", "#D55E00", nil}}
	for _, r := range rep.Rows {
		xs = append(xs, float64(r.Relationships))
		tp[0].ys = append(tp[0].ys, r.rate(r.Items, r.Embedded))
		lat[0].ys = append(lat[0].ys, float64(percentile(r.path().Embedded, 0.5).Microseconds())/1000)
		if r.EmbeddedOnly { // no point: the polyline skips zeros
			tp[1].ys, tp[2].ys, tp[3].ys, lat[1].ys = append(tp[1].ys, 0), append(tp[2].ys, 0), append(tp[3].ys, 0), append(lat[1].ys, 0)
			continue
		}
		tp[1].ys = append(tp[1].ys, r.rate(r.Items, r.Neo4j))
		tp[2].ys = append(tp[2].ys, r.rate(r.Items, r.LoadCSV))
		tp[3].ys = append(tp[3].ys, r.naiveRate())
		lat[1].ys = append(lat[1].ys, float64(percentile(r.path().Neo4j, 0.5).Microseconds())/1000)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", 2*w/2+40, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	panel := func(x0 int, title, unit string, ss []series) {
		pw := w/2 - 20
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, s := range ss {
			for _, y := range s.ys {
				if y > 0 {
					lo, hi = math.Min(lo, y), math.Max(hi, y)
				}
			}
		}
		if math.IsInf(lo, 1) {
			lo, hi = 1, 10
		}
		lo, hi = math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi)))
		if hi <= lo {
			hi = lo * 10
		}
		xlo, xhi := math.Log10(xs[0]), math.Log10(xs[len(xs)-1])
		if xhi == xlo {
			xlo, xhi = xlo-0.5, xhi+0.5
		}
		px := func(x float64) float64 { return float64(x0+pad) + (math.Log10(x)-xlo)/(xhi-xlo)*float64(pw-pad-10) }
		py := func(y float64) float64 {
			return float64(h-pad) - (math.Log10(y)-math.Log10(lo))/(math.Log10(hi)-math.Log10(lo))*float64(h-2*pad)
		}
		fmt.Fprintf(&b, `<text x="%d" y="20" font-weight="bold">%s</text>`+"\n", x0+pad, title)
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", x0+pad, h-pad, x0+pw-10, h-pad)
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", x0+pad, pad, x0+pad, h-pad)
		for e := math.Log10(lo); e <= math.Log10(hi)+1e-9; e++ {
			y := py(math.Pow(10, e))
			fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n",
				x0+pad, y, x0+pw-10, y, x0+pad-4, y+4, compact(math.Pow(10, e)))
		}
		for _, x := range xs {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", px(x), h-pad+16, human(int(x)))
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">relationships (log)</text>`+"\n", x0+pw/2+pad/2, h-pad+34)
		fmt.Fprintf(&b, `<text x="%d" y="%d" transform="rotate(-90 %d %d)" text-anchor="middle">%s (log)</text>`+"\n", x0+14, h/2, x0+14, h/2, unit)
		for i, s := range ss {
			var pts []string
			for j, y := range s.ys {
				if y > 0 {
					pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(xs[j]), py(y)))
					fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", px(xs[j]), py(y), s.colour)
				}
			}
			fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", s.colour, strings.Join(pts, " "))
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="3" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n",
				x0+pad+10, 34+14*i, s.colour, x0+pad+26, 39+14*i, s.name)
		}
	}
	panel(0, "Load throughput", "items/s", tp)
	panel(w/2+20, "Path query latency (p50)", "ms", lat)
	b.WriteString("</svg>\n")
	return b.String()
}

func compact(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%gM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%gk", v/1e3)
	}
	return fmt.Sprintf("%g", v)
}
