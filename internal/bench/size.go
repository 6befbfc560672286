package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/internal/neo4jtest"
	"github.com/aptgraph/aptgraph/internal/synth"
	"github.com/aptgraph/aptgraph/loader"
	"github.com/aptgraph/aptgraph/queries"
	"github.com/aptgraph/aptgraph/store"
	"github.com/aptgraph/aptgraph/store/local"
	"github.com/aptgraph/aptgraph/store/neo4jstore"
)

// sizeRow is what one size measured.
type sizeRow struct {
	Relationships, Entities, Items int
	Embedded, Neo4j, LoadCSV       time.Duration
	EmbeddedRSS, Neo4jRSS          int64 // bytes, peak, of the aptgraph process
	// Processor time during the Neo4j loads: the server's JVM for both
	// loaders, and the aptgraph process (check and write) for ours.
	Neo4jServerCPU, Neo4jClientCPU, LoadCSVServerCPU time.Duration
	NaiveItems                                       int
	NaiveTime                                        time.Duration
	// Queries are the query latencies, the default path answer first.
	Queries []queryRow
	// EmbeddedOnly: Neo4j was not measured at this size.
	EmbeddedOnly bool
}

// queryRow is one query's latencies on each store (sorted) and the mean
// size of its answers (the same on both stores, or the run fails).
type queryRow struct {
	Name                 string
	Embedded, Neo4j      []time.Duration
	Paths, Relationships int // totals over the embedded store's samples
	Samples              int
	sizes                [][2]int // each sample's answer on the embedded store
}

// queryBudget bounds the time one query is sampled on one store: past
// it, the figures rest on the samples taken (the table says how many).
const queryBudget = 90 * time.Second

// path is the default path row.
func (r sizeRow) path() queryRow {
	if len(r.Queries) == 0 {
		return queryRow{}
	}
	return r.Queries[0]
}

func (r sizeRow) rate(items int, d time.Duration) float64 { return float64(items) / d.Seconds() }

// Neo4j for benchmarks gets more memory than the tests' server.
var serverOptions = neo4jtest.Options{HeapMB: 4096, PageCacheMB: 2048}

func runSize(ctx context.Context, o options, work, bin string, n int) (sizeRow, error) {
	dir := filepath.Join(work, fmt.Sprintf("size-%d", n))
	csvDir := filepath.Join(dir, "import")
	if err := os.MkdirAll(csvDir, 0o755); err != nil {
		return sizeRow{}, err
	}
	logf("%d: generating the corpus", n)
	ds := synth.Generate(synth.Config{Relationships: n, Seed: o.seed})
	row := sizeRow{Relationships: len(ds.Relationships), Entities: len(ds.Entities), Items: len(ds.Sources) + len(ds.Entities) + len(ds.Relationships)}
	corpus := filepath.Join(dir, "corpus.jsonl")
	if err := writeFile(corpus, func(f *os.File) error { return loader.WriteStream(f, ds, "synthetic benchmark corpus") }); err != nil {
		return row, err
	}
	var files []csvFile
	var err error
	if !o.embeddedOnly[n] {
		if files, err = writeCSV(csvDir, ds); err != nil {
			return row, err
		}
	}
	samples := newSamples(ds, o.pairs, o.seed)
	ds = nil // the loads below must not share the generator's memory

	logf("%d: aptgraph → embedded store", n)
	db := filepath.Join(dir, "embedded.db")
	if row.Embedded, row.EmbeddedRSS, _, err = timeLoad(bin, db, corpus); err != nil {
		return row, err
	}
	if row.Queries, err = queryLatencies(ctx, func() (store.Store, error) { return local.Open(ctx, db, false) }, samples, nil); err != nil {
		return row, err
	}
	os.RemoveAll(db)
	if o.embeddedOnly[n] {
		row.EmbeddedOnly = true
		return row, nil
	}

	logf("%d: aptgraph → Neo4j", n)
	err = withServer(ctx, serverOptions, func(srv *neo4jtest.Server) error {
		uri := srv.URI
		var err error
		row.Neo4jServerCPU, err = serverCPU(srv, func() error {
			row.Neo4j, row.Neo4jRSS, row.Neo4jClientCPU, err = timeLoad(bin, uri, corpus)
			return err
		})
		if err != nil {
			return err
		}
		_, err = queryLatencies(ctx, func() (store.Store, error) { return neo4jstore.Open(ctx, neo4jstore.Config{URI: uri}) }, samples, row.Queries)
		return err
	})
	if err != nil {
		return row, err
	}

	logf("%d: LOAD CSV … IN TRANSACTIONS → Neo4j", n)
	so := serverOptions
	so.ImportDir = csvDir
	err = withServer(ctx, so, func(srv *neo4jtest.Server) error {
		var err error
		row.LoadCSVServerCPU, err = serverCPU(srv, func() error {
			row.LoadCSV, err = loadCSV(ctx, srv.URI, files)
			return err
		})
		return err
	})
	if err != nil {
		return row, err
	}

	logf("%d: one row per transaction → Neo4j (up to %s)", n, o.naiveBudget)
	err = withServer(ctx, serverOptions, func(srv *neo4jtest.Server) error {
		var err error
		row.NaiveItems, row.NaiveTime, err = naive(ctx, srv.URI, corpus, o.naiveBudget)
		return err
	})
	return row, err
}

func writeFile(name string, fn func(*os.File) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// timeLoad runs `aptgraph --db DB load FILE` and returns its wall time
// and peak resident memory. The peak is the process's own VmHWM, polled
// from /proc while it runs: ru_maxrss would also count the bench's own
// memory, which the child shares between fork and exec.
func timeLoad(bin, db, file string) (took time.Duration, peak int64, cpu time.Duration, err error) {
	return measure(bin, "--db", db, "load", file)
}

// vmHWM reads a process's peak resident set size in bytes (0 if gone).
func vmHWM(status string) int64 {
	b, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

func withServer(ctx context.Context, o neo4jtest.Options, fn func(*neo4jtest.Server) error) error {
	srv, err := neo4jtest.Start(ctx, o)
	if err != nil {
		return err
	}
	ferr := fn(srv)
	if err := srv.Stop(true); err != nil && ferr == nil {
		ferr = err
	}
	return ferr
}

// serverCPU runs fn and returns the processor time the server used
// meanwhile.
func serverCPU(srv *neo4jtest.Server, fn func() error) (time.Duration, error) {
	before, err := srv.CPU()
	if err != nil {
		return 0, err
	}
	if err := fn(); err != nil {
		return 0, err
	}
	after, err := srv.CPU()
	if err != nil {
		return 0, err
	}
	return after - before, nil
}

// samples are what the queries are asked about: pairs of entities for
// path, victims for attribution, centres for neighbors.
type samples struct {
	pairs   [][2]string
	victims []string
}

func newSamples(ds *graph.Dataset, n int, seed uint64) samples {
	s := samples{pairs: reachablePairs(ds, n, seed)}
	var victims []string
	for _, e := range ds.Entities {
		if e.Kind == graph.KindVictim {
			victims = append(victims, e.ID)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	for range min(n, len(victims)) {
		s.victims = append(s.victims, victims[rng.IntN(len(victims))])
	}
	return s
}

// reachablePairs picks pairs of entities 2–4 hops apart (ignoring
// direction), as an analyst asks "how is A connected to B".
func reachablePairs(ds *graph.Dataset, n int, seed uint64) [][2]string {
	adj := map[string][]string{}
	for _, r := range ds.Relationships {
		adj[r.From] = append(adj[r.From], r.To)
		adj[r.To] = append(adj[r.To], r.From)
	}
	rng := rand.New(rand.NewPCG(seed, 99))
	var pairs [][2]string
	for tries := 0; len(pairs) < n && tries < n*100; tries++ {
		start := ds.Entities[rng.IntN(len(ds.Entities))].ID
		dist := map[string]int{start: 0}
		frontier := []string{start}
		var far []string
		for d := 1; d <= 4 && len(frontier) > 0 && len(dist) < 200_000; d++ {
			var next []string
			for _, x := range frontier {
				for _, y := range adj[x] {
					if _, ok := dist[y]; !ok {
						dist[y] = d
						next = append(next, y)
					}
				}
			}
			if d >= 2 && len(next) > 0 {
				far = next
			}
			frontier = next
		}
		if len(far) > 0 {
			pairs = append(pairs, [2]string{start, far[rng.IntN(len(far))]})
		}
	}
	return pairs
}

// benchQuery is one of the measured queries: what the command runs with
// its defaults, for sample i.
type benchQuery struct {
	name string
	ask  func(ctx context.Context, s store.Store, sm samples, i int) (*graph.Subgraph, error)
	n    func(sm samples) int
}

var benchQueries = []benchQuery{
	{"`path A B` (the 5 most credible paths)", func(ctx context.Context, s store.Store, sm samples, i int) (*graph.Subgraph, error) {
		return queries.Path(ctx, s, sm.pairs[i][0], sm.pairs[i][1], graph.PathOptions{MaxHops: graph.DefaultPathHops, Limit: 5},
			queries.Ranking{Search: graph.PathSearch{Longer: graph.DefaultLonger}})
	}, func(sm samples) int { return len(sm.pairs) }},
	{"`path A B --all-shortest` (every shortest path)", func(ctx context.Context, s store.Store, sm samples, i int) (*graph.Subgraph, error) {
		return queries.Path(ctx, s, sm.pairs[i][0], sm.pairs[i][1], graph.PathOptions{MaxHops: graph.DefaultPathHops, Limit: 5},
			queries.Ranking{AllShortest: true})
	}, func(sm samples) int { return len(sm.pairs) }},
	{"`attribution V` (every chain)", func(ctx context.Context, s store.Store, sm samples, i int) (*graph.Subgraph, error) {
		return queries.Attribution(ctx, s, sm.victims[i], graph.ChainOptions{MaxHops: graph.MaxChainHops})
	}, func(sm samples) int { return len(sm.victims) }},
	{"`neighbors A --depth 2` (the whole ego network)", func(ctx context.Context, s store.Store, sm samples, i int) (*graph.Subgraph, error) {
		return queries.Neighbors(ctx, s, sm.pairs[i][0], 2, graph.Filter{}, 0)
	}, func(sm samples) int { return len(sm.pairs) }},
}

// queryLatencies times each benchQuery for each sample on an open store,
// after one warm-up query each. Given the rows of the other store, it
// fills in this store's column and checks that the answers match in
// size; otherwise it returns new rows with the embedded column.
func queryLatencies(ctx context.Context, open func() (store.Store, error), sm samples, rows []queryRow) ([]queryRow, error) {
	s, err := open()
	if err != nil {
		return nil, err
	}
	defer s.Close()
	neo4j := rows != nil
	if !neo4j {
		rows = make([]queryRow, len(benchQueries))
	}
	for qi, q := range benchQueries {
		row := &rows[qi]
		row.Name = q.name
		n := q.n(sm)
		if n == 0 {
			continue
		}
		if _, err := q.ask(ctx, s, sm, 0); err != nil && !errors.Is(err, queries.ErrNotFound) {
			return nil, fmt.Errorf("%s: %w", q.name, err)
		}
		var ts []time.Duration
		var sizes [][2]int
		began := time.Now()
		for i := range n {
			if neo4j && i >= len(row.sizes) || time.Since(began) > queryBudget {
				break
			}
			start := time.Now()
			sub, err := q.ask(ctx, s, sm, i)
			if err != nil && !errors.Is(err, queries.ErrNotFound) {
				return nil, fmt.Errorf("%s, sample %d: %w", q.name, i, err)
			}
			ts = append(ts, time.Since(start))
			var size [2]int
			if sub != nil {
				size = [2]int{len(sub.Paths) + sub.MorePaths, len(sub.Relationships)}
			}
			if neo4j && size != row.sizes[i] {
				return nil, fmt.Errorf("%s, sample %d: the stores disagree: embedded answered %d paths with %d relationships, Neo4j %d with %d",
					q.name, i, row.sizes[i][0], row.sizes[i][1], size[0], size[1])
			}
			sizes = append(sizes, size)
		}
		slices.Sort(ts)
		if neo4j {
			row.Neo4j = ts
			continue
		}
		row.Embedded, row.sizes, row.Samples = ts, sizes, len(ts)
		for _, sz := range sizes {
			row.Paths += sz[0]
			row.Relationships += sz[1]
		}
	}
	return rows, nil
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// csvFile is one LOAD CSV input: entities of one kind or relationships of
// one type, the way aptgraph batches them.
type csvFile struct {
	name  string
	kind  graph.Kind // entities
	rtype string     // relationships
}

func writeCSV(dir string, ds *graph.Dataset) ([]csvFile, error) {
	var files []csvFile
	write := func(name string, header []string, rows [][]string) error {
		return writeFile(filepath.Join(dir, name), func(f *os.File) error {
			w := csv.NewWriter(f)
			if err := w.Write(header); err != nil {
				return err
			}
			if err := w.WriteAll(rows); err != nil {
				return err
			}
			w.Flush()
			return w.Error()
		})
	}
	var src [][]string
	for _, s := range ds.Sources {
		src = append(src, []string{s.ID, s.Publisher, s.Title, s.Date, graph.Hash(s)})
	}
	if err := write("sources.csv", []string{"id", "publisher", "title", "date", "hash"}, src); err != nil {
		return nil, err
	}
	byKind := map[graph.Kind][][]string{}
	for _, e := range ds.Entities {
		byKind[e.Kind] = append(byKind[e.Kind], []string{e.ID, string(e.Kind), e.Name, strings.Join(e.Names(), ";"),
			strings.Join(e.Aliases, ";"), strings.Join(e.Sources, ";"), graph.Hash(e)})
	}
	for _, k := range graph.Kinds() {
		if rows := byKind[k.Kind]; len(rows) > 0 {
			name := "entities-" + string(k.Kind) + ".csv"
			if err := write(name, []string{"id", "kind", "name", "names", "aliases", "sources", "hash"}, rows); err != nil {
				return nil, err
			}
			files = append(files, csvFile{name: name, kind: k.Kind})
		}
	}
	byType := map[string][][]string{}
	for _, r := range ds.Relationships {
		byType[r.Type] = append(byType[r.Type], []string{r.From, r.To, string(r.Confidence), strconv.Itoa(r.Confidence.Rank()),
			strconv.Itoa(r.Confidence.STIX()), strings.Join(r.Sources, ";"), r.Start, graph.Hash(r)})
	}
	for _, t := range graph.SortedKeys(byType) {
		if !graph.TypePattern.MatchString(t) {
			return nil, fmt.Errorf("refusing relationship type %q", t) // it goes into Cypher text
		}
		name := "relationships-" + t + ".csv"
		if err := write(name, []string{"from", "to", "confidence", "rank", "stix", "sources", "start", "hash"}, byType[t]); err != nil {
			return nil, err
		}
		files = append(files, csvFile{name: name, rtype: t})
	}
	return files, nil
}

// loadCSV loads the CSV files with LOAD CSV … CALL { … } IN TRANSACTIONS
// OF 1000 ROWS, writing the same properties aptgraph writes, after the
// same constraints.
func loadCSV(ctx context.Context, uri string, files []csvFile) (time.Duration, error) {
	drv, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		return 0, err
	}
	defer drv.Close(ctx)
	sess := drv.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(ctx)
	run := func(q string) error {
		res, err := sess.Run(ctx, q, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", firstLine(q), err)
		}
		_, err = res.Consume(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", firstLine(q), err)
		}
		return nil
	}
	start := time.Now()
	for _, q := range schema() {
		if err := run(q); err != nil {
			return 0, err
		}
	}
	stmts := []string{`LOAD CSV WITH HEADERS FROM 'file:///sources.csv' AS row
CALL (row) { MERGE (s:Source {id: row.id}) SET s.publisher = row.publisher, s.title = row.title, s.date = row.date, s.hash = row.hash, s.datasets = ['synthetic'] } IN TRANSACTIONS OF 1000 ROWS`}
	for _, f := range files {
		if f.kind != "" {
			stmts = append(stmts, fmt.Sprintf(`LOAD CSV WITH HEADERS FROM 'file:///%s' AS row
CALL (row) { MERGE (n:Entity {id: row.id}) SET n:%s, n.kind = row.kind, n.name = row.name, n.names = split(row.names, ';'),
  n.aliases = CASE row.aliases WHEN '' THEN null ELSE split(row.aliases, ';') END,
  n.sources = CASE row.sources WHEN '' THEN null ELSE split(row.sources, ';') END, n.hash = row.hash, n.datasets = ['synthetic'] } IN TRANSACTIONS OF 1000 ROWS`, f.name, f.kind.Label()))
		} else {
			stmts = append(stmts, fmt.Sprintf(`LOAD CSV WITH HEADERS FROM 'file:///%s' AS row
CALL (row) { MATCH (a:Entity {id: row.from}) MATCH (b:Entity {id: row.to}) MERGE (a)-[r:%s]->(b)
  SET r.confidence = row.confidence, r.confidence_rank = toInteger(row.rank), r.stix_confidence = toInteger(row.stix),
  r.sources = split(row.sources, ';'), r.start = CASE row.start WHEN '' THEN null ELSE row.start END, r.hash = row.hash, r.datasets = ['synthetic'] } IN TRANSACTIONS OF 1000 ROWS`, f.name, f.rtype))
		}
	}
	// Like aptgraph's load, it ends when the full-text index (eventually
	// consistent) holds everything.
	stmts = append(stmts, "CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()")
	for _, q := range stmts {
		if err := run(q); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

// schema is aptgraph's: every loader builds the same graph, full-text
// index included.
func schema() []string { return neo4jstore.SchemaStatements() }

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

// naive MERGEs the corpus one item per transaction, in file order
// (sources, entities, relationships), for at most budget: the loader an
// analyst writes first. Entities come first and MERGE faster than
// relationships, so a time-boxed figure flatters it if anything.
func naive(ctx context.Context, uri, corpus string, budget time.Duration) (int, time.Duration, error) {
	drv, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		return 0, 0, err
	}
	defer drv.Close(ctx)
	st, _, err := loader.CheckStream(ctx, corpus, nil)
	if err != nil {
		return 0, 0, err
	}
	exec := func(q string, p map[string]any) error {
		_, err := neo4j.ExecuteQuery(ctx, drv, q, p, neo4j.EagerResultTransformer)
		return err
	}
	start := time.Now()
	for _, q := range schema() {
		if err := exec(q, nil); err != nil {
			return 0, 0, err
		}
	}
	done := 0
	for part, err := range st.Parts(ctx, 1000) {
		if err != nil {
			return 0, 0, err
		}
		for _, s := range part.Sources {
			if err := exec("MERGE (s:Source {id: $id}) SET s.publisher = $publisher, s.title = $title, s.date = $date, s.hash = $hash, s.datasets = ['synthetic']",
				map[string]any{"id": s.ID, "publisher": s.Publisher, "title": s.Title, "date": s.Date, "hash": graph.Hash(s)}); err != nil {
				return 0, 0, err
			}
			done++
		}
		for _, e := range part.Entities {
			q := "MERGE (n:Entity {id: $id}) SET n:" + e.Kind.Label() + ", n.kind = $kind, n.name = $name, n.names = $names, n.aliases = $aliases, n.sources = $sources, n.hash = $hash, n.datasets = ['synthetic']"
			if err := exec(q, map[string]any{"id": e.ID, "kind": string(e.Kind), "name": e.Name, "names": e.Names(), "aliases": nilIfEmpty(e.Aliases), "sources": nilIfEmpty(e.Sources), "hash": graph.Hash(e)}); err != nil {
				return 0, 0, err
			}
			done++
			if time.Since(start) > budget {
				return done, time.Since(start), nil
			}
		}
		for _, r := range part.Relationships {
			if !graph.TypePattern.MatchString(r.Type) {
				return 0, 0, fmt.Errorf("refusing relationship type %q", r.Type) // it goes into Cypher text
			}
			q := "MATCH (a:Entity {id: $from}) MATCH (b:Entity {id: $to}) MERGE (a)-[r:" + r.Type + "]->(b) SET r.confidence = $confidence, r.confidence_rank = $rank, r.stix_confidence = $stix, r.sources = $sources, r.start = $start, r.hash = $hash, r.datasets = ['synthetic']"
			var startDate any
			if r.Start != "" {
				startDate = r.Start
			}
			if err := exec(q, map[string]any{"from": r.From, "to": r.To, "confidence": string(r.Confidence), "rank": r.Confidence.Rank(), "stix": r.Confidence.STIX(), "sources": r.Sources, "start": startDate, "hash": graph.Hash(r)}); err != nil {
				return 0, 0, err
			}
			done++
			if time.Since(start) > budget {
				return done, time.Since(start), nil
			}
		}
	}
	return done, time.Since(start), nil
}

func nilIfEmpty(v []string) any {
	if len(v) == 0 {
		return nil
	}
	return v
}
