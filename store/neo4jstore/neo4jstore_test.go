package neo4jstore

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/internal/fixture"
	"github.com/aptgraph/aptgraph/internal/javatool"
	"github.com/aptgraph/aptgraph/internal/neo4jtest"
	"github.com/aptgraph/aptgraph/internal/storetest"
	"github.com/aptgraph/aptgraph/loader"
	"github.com/aptgraph/aptgraph/queries"
	"github.com/aptgraph/aptgraph/render"
	"github.com/aptgraph/aptgraph/store"
	"github.com/aptgraph/aptgraph/store/local"
)

var env *neo4jtest.Env

func TestMain(m *testing.M) {
	env = neo4jtest.Setup()
	if env.URI == "" {
		fmt.Fprintf(os.Stderr, "neo4jstore tests: no Neo4j: %s\n", env.Reason)
	}
	code := m.Run()
	env.Close()
	os.Exit(code)
}

// open connects to the shared test server and empties it.
func open(t *testing.T) *Store {
	t.Helper()
	uri := env.Require(t)
	s, err := Open(context.Background(), Config{URI: uri})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Run(context.Background(), "MATCH (n) DETACH DELETE n", nil, true); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestStore runs the whole store contract (internal/storetest) on this
// backend.
func TestStore(t *testing.T) {
	storetest.RunAll(t, func(t *testing.T) store.Store { return open(t) }, false)
}

func TestSchemaCreated(t *testing.T) {
	s := open(t)
	if err := s.EnsureSchema(context.Background()); err != nil {
		t.Fatal(err)
	}
	res, err := s.Run(context.Background(), "SHOW INDEXES YIELD name RETURN name ORDER BY name", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range res.Rows {
		names = append(names, r[0].(string))
	}
	for _, want := range []string{"aptgraph_entity_id", "aptgraph_entity_names", "aptgraph_source_id"} {
		if !strings.Contains(strings.Join(names, " "), want) {
			t.Errorf("index %s missing: %v", want, names)
		}
	}
}

// TestLoadPlansHaveNoEager checks with EXPLAIN that no write query plans
// an Eager operator, which would buffer whole batches in memory.
func TestLoadPlansHaveNoEager(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, k := range graph.Kinds() {
		for _, fresh := range []bool{true, false} {
			q, err := EntityQuery(k.Kind, fresh)
			if err != nil {
				t.Fatal(err)
			}
			qs = append(qs, q)
		}
	}
	rq, _ := RelationshipQuery("ATTACKED")
	qs = append(qs, rq, statement("load_sources.cypher"), statement("retag.cypher"),
		statement("delete_relationships.cypher"), statement("delete_entities.cypher"), statement("delete_sources.cypher"))
	empty := map[string]any{"rows": []any{}, "entities": []any{}, "sources": []any{}, "rels": []any{}, "keys": []any{}, "ids": []any{}, "froms": []any{}}
	for _, q := range qs {
		if plan := explain(t, s, q, empty); strings.Contains(plan, "Eager") {
			t.Errorf("Eager in the plan of\n%s\nplan: %s", q, plan)
		}
	}
}

// TestKeyLookupsExpandInto checks with EXPLAIN, on a graph with a hub,
// that every query finding relationships by key finds them between their
// two bound ends (Expand(Into)) and never walks all relationships of one
// end or of the store: at a million relationships that walk was 45,000
// relationships per key. Before the WITH DISTINCT barrier, Neo4j chose
// Expand(All) here from one run to the next.
func TestKeyLookupsExpandInto(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	// 100 groups with 1,000 victims each: few relationships per node on
	// average, which is when the planner is tempted to walk from one end.
	for _, q := range []string{
		"UNWIND range(0, 99) AS i CREATE (:Entity:Group {id: 'g' + i})",
		"UNWIND range(0, 99999) AS i CREATE (:Entity:Victim {id: 'v' + i})",
		"MATCH (v:Victim) WITH v, toInteger(substring(v.id, 1)) % 100 AS g MATCH (a:Entity {id: 'g' + g}) CREATE (a)-[:ATTACKED]->(v)",
	} {
		if _, err := s.Run(ctx, q, nil, true); err != nil {
			t.Fatal(err)
		}
	}
	key := []any{"g1", "ATTACKED", "v101"} // a hub's relationship
	params := map[string]any{"keys": []any{key}}
	for _, name := range []string{"state_relationships.cypher", "relationships.cypher", "find_relationships.cypher", "ranking_facts.cypher"} {
		plan := explain(t, s, statement(name), params)
		if !strings.Contains(plan, "Expand(Into)") || strings.Contains(plan, "Expand(All)") || strings.Contains(plan, "RelationshipsScan") || strings.Contains(plan, "RelationshipTypeScan") {
			t.Errorf("%s: want the relationship found between its two ends (Expand(Into)), got plan %s", name, plan)
		}
	}
}

func TestRejectsBadType(t *testing.T) {
	for _, bad := range []string{"X]->(b) DETACH DELETE b //", "lower", "A B", ""} {
		if _, err := RelationshipQuery(bad); err == nil {
			t.Errorf("RelationshipQuery(%q) accepted", bad)
		}
	}
	if _, err := EntityQuery("admin", false); err == nil {
		t.Error("EntityQuery accepted an unknown kind")
	}
}

func TestCypherReadOnly(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	if _, err := s.Load(ctx, storetest.Datasets(t, storetest.TickFile()), store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	writes := []string{
		"CREATE (n:X {a: 1})",
		"MERGE (n:Entity {id: 'new'})",
		"MATCH (n:Entity {id: 'tick'}) SET n.name = 'changed'",
		"MATCH (n:Entity {id: 'tick'}) REMOVE n.name",
		"MATCH (n:Entity {id: 'jaxa'}) DETACH DELETE n",
		"MATCH ()-[r:ATTACKED]->() DELETE r",
		"CREATE INDEX x_idx IF NOT EXISTS FOR (n:X) ON (n.a)",
		"DROP CONSTRAINT aptgraph_entity_id",
		"CALL db.createLabel('Evil')",
	}
	for _, q := range writes {
		_, err := s.Run(ctx, q, nil, false)
		if !errors.Is(err, ErrWriteRefused) && !errors.Is(err, ErrPlanRefused) {
			t.Errorf("%s: want ErrWriteRefused or ErrPlanRefused, got %v", q, err)
		}
	}
	st, _ := s.Stats(ctx)
	if st.Entities != 18 || st.Relationships != 24 {
		t.Errorf("read-only queries changed the graph: %+v", st)
	}
	res, err := s.Run(ctx, "CREATE (n:Scratch {a: $a}) RETURN n.a AS a", map[string]any{"a": int64(7)}, true)
	if err != nil {
		t.Fatalf("--write: %v", err)
	}
	if res.Rows[0][0] != int64(7) || res.Changes["nodes_created"] != 1 {
		t.Errorf("write result %+v", res)
	}
}

func TestCypherParamsAndGraph(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	if _, err := s.Load(ctx, storetest.Datasets(t, storetest.TickFile()), store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Run(ctx, "MATCH (n:Entity) WHERE n.id IN $ids AND size(n.name) > $n RETURN n.id AS id ORDER BY id",
		map[string]any{"ids": []any{"pla", "tick", "jaxa"}, "n": int64(4)}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 2 || res.Rows[0][0] != "jaxa" || res.Rows[1][0] != "pla" {
		t.Errorf("params: %+v", res.Rows)
	}
	res, err = s.Run(ctx, "MATCH p=(:Organization {id:'pla'})-[*..4]-(:Victim {id:'jaxa'}) RETURN p", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	g, err := s.Graph(ctx, res)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Paths) == 0 || len(g.Sources) == 0 {
		t.Fatalf("graph of a path result: %+v", g)
	}
	if n, ok := g.Node("tick"); !ok || n.Kind != graph.KindGroup {
		t.Errorf("tick missing or without kind: %+v", g.Nodes)
	}
	// Relationships returned without their endpoints get them fetched.
	res, err = s.Run(ctx, "MATCH ()-[r:DIRECTED]->() RETURN r", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	g, err = s.Graph(ctx, res)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Nodes) != 2 || len(g.Relationships) != 1 || g.Relationships[0].From != "pla" {
		t.Errorf("graph of a relationship result: %+v", g)
	}
	_, err = s.Run(ctx, "MATCH (n RETURN n", nil, false)
	var qe *QueryError
	if !errors.As(err, &qe) || !strings.Contains(qe.Code, "Syntax") {
		t.Errorf("syntax error: %v", err)
	}
}

func TestUnreachable(t *testing.T) {
	start := time.Now()
	_, err := Open(context.Background(), Config{URI: "bolt://127.0.0.1:1"})
	if !errors.Is(err, store.ErrUnavailable) || !strings.Contains(err.Error(), "cannot connect") {
		t.Errorf("want a cannot-connect error, got %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s to fail", d)
	}
}

func TestTLSMismatch(t *testing.T) {
	uri := env.Require(t)
	_, err := Open(context.Background(), Config{URI: strings.Replace(uri, "bolt://", "bolt+s://", 1)})
	if err == nil || !strings.Contains(err.Error(), "bolt://") {
		t.Errorf("TLS against a plain server: want advice, got %v", err)
	}
}

func TestMissingDatabase(t *testing.T) {
	uri := env.Require(t)
	_, err := Open(context.Background(), Config{URI: uri, Database: "nosuchdb"})
	if err == nil || !strings.Contains(err.Error(), `database "nosuchdb" does not exist`) {
		t.Errorf("want a missing-database error, got %v", err)
	}
}

// TestWrongPassword starts a second server with auth on.
func TestWrongPassword(t *testing.T) {
	env.Require(t)
	env.CanStart(t)
	const good = "correct-horse-battery"
	srv, err := neo4jtest.Start(context.Background(), neo4jtest.Options{Password: good})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop(true)
	s, err := Open(context.Background(), Config{URI: srv.URI, Username: "neo4j", Password: good})
	if err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	s.Close()
	const bad = "wrong-password-1234"
	_, err = Open(context.Background(), Config{URI: srv.URI, Username: "neo4j", Password: bad})
	if err == nil || !strings.Contains(err.Error(), "refused the credentials") {
		t.Fatalf("wrong password: want a credentials error, got %v", err)
	}
	if strings.Contains(err.Error(), bad) || strings.Contains(err.Error(), good) {
		t.Errorf("error shows a password: %v", err)
	}
}

// TestServerGoesAwayMidLoad kills a private server during a load: the load
// fails with a clear error, and after a restart the next load converges to
// the whole graph with no duplicates.
func TestServerGoesAwayMidLoad(t *testing.T) {
	env.Require(t)
	env.CanStart(t)
	ctx := context.Background()
	srv, err := neo4jtest.Start(ctx, neo4jtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dataDir := srv.DataDir
	defer os.RemoveAll(dataDir)
	ds := bigDataset(3000)
	s, err := Open(ctx, Config{URI: srv.URI})
	if err != nil {
		t.Fatal(err)
	}
	killed := false
	_, err = s.Load(ctx, []*graph.Dataset{ds}, store.LoadOptions{BatchSize: 100, Progress: func(p store.Progress) {
		if p.Phase == "relationships" && p.Done >= 500 && !killed {
			killed = true
			srv.Kill()
		}
	}})
	s.Close()
	if err == nil {
		t.Fatal("load against a dead server reported success")
	}
	if !strings.Contains(err.Error(), "lost the connection") {
		t.Errorf("unclear error when the server went away: %v", err)
	}
	if !killed {
		t.Fatal("the server was never killed")
	}
	_, s2 := privateServer(t, neo4jtest.Options{DataDir: dataDir})
	if _, err := s2.Load(ctx, []*graph.Dataset{ds}, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := s2.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != len(ds.Entities) || st.Relationships != len(ds.Relationships) {
		t.Errorf("after recovery: %d entities, %d relationships; want %d, %d", st.Entities, st.Relationships, len(ds.Entities), len(ds.Relationships))
	}
	res, err := s2.Run(ctx, "MATCH (a)-[r]->(b) WITH a, type(r) AS t, b, count(*) AS n WHERE n > 1 RETURN count(*)", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows[0][0] != int64(0) {
		t.Errorf("duplicate relationships after recovery: %v", res.Rows[0][0])
	}
}

// privateServer starts a Neo4j of the test's own and connects to it; both
// are stopped when the test ends (a given data directory is kept).
func privateServer(t *testing.T, o neo4jtest.Options) (*neo4jtest.Server, *Store) {
	t.Helper()
	srv, err := neo4jtest.Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop(o.DataDir == "") })
	s, err := Open(context.Background(), Config{URI: srv.URI})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return srv, s
}

// bigDataset makes a dataset of n groups each attacking two victims.
func bigDataset(n int) *graph.Dataset {
	ds := &graph.Dataset{Name: "big", Sources: []graph.Source{{ID: "s", Publisher: "Test"}}}
	for i := 0; i < n; i++ {
		ds.Entities = append(ds.Entities, graph.Entity{ID: fmt.Sprintf("g%05d", i), Kind: graph.KindGroup, Name: fmt.Sprintf("Group %d", i)})
	}
	for i := 0; i < n; i++ {
		for _, d := range []int{1, 7} {
			ds.Relationships = append(ds.Relationships, graph.Relationship{
				From: fmt.Sprintf("g%05d", i), Type: "AFFILIATED_WITH", To: fmt.Sprintf("g%05d", (i+d)%n),
				Confidence: graph.Alleged, Sources: []string{"s"},
			})
		}
	}
	ds.Normalize()
	return ds
}

// TestSlowAndLostQueries: a query past its deadline returns a deadline
// error, and a server killed mid-query gives an error, not a hang.
func TestSlowAndLostQueries(t *testing.T) {
	env.Require(t)
	env.CanStart(t)
	ctx := context.Background()
	srv, s := privateServer(t, neo4jtest.Options{})
	const slow = "UNWIND range(1, 3000000000) AS x RETURN count(x)"
	tctx, cancel := context.WithTimeout(ctx, time.Second)
	_, err := s.Run(tctx, slow, nil, false)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow query past its deadline: want DeadlineExceeded, got %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.Run(ctx, slow, nil, false)
		done <- err
	}()
	time.Sleep(2 * time.Second)
	srv.Kill()
	select {
	case err := <-done:
		if err == nil {
			t.Error("query on a killed server reported success")
		}
		t.Logf("server killed mid-query: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("query hung after the server died")
	}
}

// TestNeo4jAdminImport exports the conformance fixtures as CSV in the
// neo4j-admin layout, bulk-imports them with `neo4j-admin database import`
// (the import tool of the same Neo4j version, run from Maven jars), starts
// Neo4j on the imported database and runs every conformance case on it:
// the same answers as a load.
func TestNeo4jAdminImport(t *testing.T) {
	env.Require(t)
	env.CanStart(t)
	ctx := context.Background()
	loc, err := local.Open(ctx, filepath.Join(t.TempDir(), "src.db"), true)
	if err != nil {
		t.Fatal(err)
	}
	defer loc.Close()
	if _, err := loc.Load(ctx, storetest.Datasets(t, storetest.TickFile(), storetest.ExtraFile()), store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	sub, err := queries.Export(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	csvDir := t.TempDir()
	if err := render.Neo4jCSV(csvDir, sub); err != nil {
		t.Fatal(err)
	}
	cp, err := javatool.Prepare(ctx, filepath.Join("..", "..", "internal", "neo4jtest", "importcheck"))
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	args := append([]string{"-Xmx1g", "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
		"--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-cp", cp, "ImportCheck", home}, render.Neo4jImportArgs(csvDir)...)
	out, err := exec.Command("java", append(args, "neo4j")...).CombinedOutput()
	if err != nil {
		t.Fatalf("neo4j-admin import: %v\n%s", err, out)
	}
	_, s := privateServer(t, neo4jtest.Options{DataDir: home})
	// stats also counts dataset membership, which an export does not carry.
	storetest.RunCases(t, s, false, "stats")
}

// TestEntityQueryFresh: the query for entities new to the store leaves
// out the label removal, the one for stored entities keeps it (a changed
// kind must lose its old label).
func TestEntityQueryFresh(t *testing.T) {
	fresh, _ := EntityQuery(graph.KindGroup, true)
	stored, _ := EntityQuery(graph.KindGroup, false)
	if strings.Contains(fresh, "REMOVE n:") || !strings.Contains(fresh, "SET n:Group") {
		t.Errorf("fresh entity query:\n%s", fresh)
	}
	if !strings.Contains(stored, "REMOVE n:Organization:Unit") || !strings.Contains(stored, "SET n:Group") {
		t.Errorf("stored entity query:\n%s", stored)
	}
}

var (
	diffGraphs = flag.Int("diff.graphs", 200, "random graphs for TestDifferential")
	diffSeed   = flag.Uint64("diff.seed", 1, "seed of TestDifferential's first graph")
)

// TestDifferential: random graphs, loaded into Neo4j and into the embedded
// store, answer every kind of query identically (internal/storetest).
func TestDifferential(t *testing.T) {
	env.Require(t)
	openLocal := func(t *testing.T) store.Store {
		s, err := local.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"), true)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	storetest.RunDifferential(t, func(t *testing.T) store.Store { return open(t) }, openLocal, *diffGraphs, *diffSeed)
}

// TestRealData loads real ATT&CK data into Neo4j and into the embedded
// store: all of Enterprise (46 MB), then ICS and Mobile together in one
// load (they share MITRE's identity as creator), and both stores hold the
// same graph and resolve ATT&CK ids as names.
func TestRealData(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short")
	}
	files := []string{
		fixture.Path(t, "attack-enterprise-v18.1.stix21.json.xz"),
		fixture.Path(t, "attack-ics-v18.1.stix21.json.xz"),
		fixture.Path(t, "attack-mobile-v17.1.stix21.json.xz"),
	}
	neo := open(t)
	loc, err := local.Open(context.Background(), filepath.Join(t.TempDir(), "r.db"), true)
	if err != nil {
		t.Fatal(err)
	}
	defer loc.Close()
	ctx := context.Background()
	var answers []string
	for _, s := range []store.Store{neo, loc} {
		start := time.Now()
		for _, batch := range [][]string{files[:1], files[1:]} {
			ds, _, err := loader.ReadAllWith(ctx, batch, loader.Options{Known: store.Known{Store: s}})
			if err != nil {
				t.Fatalf("%s: read %v: %v", s.Describe(), batch, err)
			}
			if _, err := s.Load(ctx, ds, store.LoadOptions{}); err != nil {
				t.Fatalf("%s: load %v: %v", s.Describe(), batch, err)
			}
		}
		t.Logf("%s: ATT&CK Enterprise, ICS and Mobile loaded in %v", s.Describe(), time.Since(start))
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		g, err := queries.Neighbors(ctx, s, "G0060", 1, graph.Filter{}, 0)
		if err != nil {
			t.Fatalf("%s: neighbors G0060: %v", s.Describe(), err)
		}
		b, _ := json.Marshal(map[string]any{"stats": st, "g0060": g})
		answers = append(answers, string(b))
		if st.Entities < 1000 || st.Relationships < 1000 || len(st.Datasets) != 3 {
			t.Errorf("%s: %+v", s.Describe(), st)
		}
	}
	if answers[0] != answers[1] {
		t.Errorf("the stores hold different graphs:\nNeo4j:    %.400s\nembedded: %.400s", answers[0], answers[1])
	}
}

// A transaction the server terminates (an administrator's TERMINATE
// TRANSACTIONS, a memory or time limit) gives a message that says what
// happened and what to do, not the driver's raw text.
func TestTerminatedTransaction(t *testing.T) {
	env.Require(t)
	s := open(t)
	ctx := context.Background()
	done := make(chan error, 1)
	go func() {
		_, err := s.Run(ctx, "UNWIND range(1, 3000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS terminatedTransactionTest", nil, false)
		done <- err
	}()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(300 * time.Millisecond)
		res, err := neo4j.ExecuteQuery(ctx, s.driver, "SHOW TRANSACTIONS YIELD transactionId, currentQuery WHERE currentQuery CONTAINS 'terminatedTransactionTest' AND NOT currentQuery CONTAINS 'SHOW' RETURN transactionId", nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Records) == 0 {
			continue
		}
		id, _ := res.Records[0].Get("transactionId")
		if _, err := neo4j.ExecuteQuery(ctx, s.driver, "TERMINATE TRANSACTIONS $id", map[string]any{"id": id}, neo4j.EagerResultTransformer); err != nil {
			t.Fatal(err)
		}
		break
	}
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a terminated query reported success")
		}
		want := "the server terminated the transaction (an administrator's TERMINATE TRANSACTIONS, or a memory or time limit of the server); nothing of it was kept"
		if !strings.Contains(err.Error(), want) {
			t.Errorf("terminated: %v\nwant %q", err, want)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the terminated query hung")
	}
}
