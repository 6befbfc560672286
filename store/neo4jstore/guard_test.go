package neo4jstore

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/aptgraph/aptgraph/internal/storetest"
	"github.com/aptgraph/aptgraph/store"
)

// fakePlan is a plan tree built by hand, for checkPlan without a server.
type fakePlan struct {
	op       string
	details  string
	children []neo4j.Plan
}

func (p fakePlan) Operator() string          { return p.op }
func (p fakePlan) Arguments() map[string]any { return map[string]any{"Details": p.details} }
func (p fakePlan) Identifiers() []string     { return nil }
func (p fakePlan) Children() []neo4j.Plan    { return p.children }
func plan(op, details string, children ...neo4j.Plan) neo4j.Plan {
	return fakePlan{op: op, details: details, children: children}
}

// TestCheckPlan: the decision on plans, operator by operator.
func TestCheckPlan(t *testing.T) {
	r := neo4j.StatementTypeReadOnly
	cases := []struct {
		name   string
		typ    neo4j.StatementType
		plan   neo4j.Plan
		refuse string
	}{
		{"match", r, plan("ProduceResults@neo4j", "n", plan("AllNodesScan@neo4j", "n")), ""},
		{"load csv", r, plan("ProduceResults@neo4j", "r", plan("LoadCSV@neo4j", "r")), "LOAD CSV"},
		{"nested load csv", r, plan("ProduceResults@neo4j", "", plan("Apply@neo4j", "", plan("Argument@neo4j", ""), plan("LoadCSV@neo4j", ""))), "LOAD CSV"},
		{"create", neo4j.StatementTypeWriteOnly, plan("ProduceResults@neo4j", "", plan("EmptyResult@neo4j", "", plan("Create@neo4j", "(n:X)"))), "Create"},
		{"read procedure", r, plan("ProduceResults@neo4j", "", plan("ProcedureCall@neo4j", "db.labels() :: (label :: STRING)")), ""},
		{"fulltext", r, plan("ProduceResults@neo4j", "", plan("ProcedureCall@neo4j", "db.index.fulltext.queryNodes($a, $b) :: (node :: NODE)")), ""},
		{"kill connections", neo4j.StatementTypeSchemaWrite, plan("ProduceResults@neo4j", "", plan("ProcedureCall@neo4j", "dbms.killConnections($l) :: (connectionId :: STRING)")), "dbms.killConnections"},
		{"stats stop", r, plan("ProduceResults@neo4j", "", plan("ProcedureCall@neo4j", "db.stats.stop($s) :: (value :: STRING)")), "db.stats.stop"},
		{"terminate", r, plan("ProduceResults@neo4j", "", plan("TerminateTransactions@neo4j", "transactions(x)")), "TerminateTransactions"},
		{"show transactions", r, plan("ProduceResults@neo4j", "", plan("ShowTransactions@neo4j", "")), "administration"},
		{"show indexes", r, plan("ProduceResults@neo4j", "", plan("ShowIndexes@neo4j", "")), ""},
		{"system database", neo4j.StatementTypeSchemaWrite, plan("AdministrationCommand@system", ""), "database \"system\""},
		{"in transactions", r, plan("ProduceResults@neo4j", "", plan("TransactionApply@neo4j", "")), "TransactionApply"},
		{"schema statement type", neo4j.StatementTypeSchemaWrite, plan("ProduceResults@neo4j", "", plan("Argument@neo4j", "")), "not a read"},
		{"no plan", r, nil, "no plan"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := checkPlan(c.typ, c.plan, "neo4j")
			switch {
			case c.refuse == "" && err != nil:
				t.Errorf("refused a read: %v", err)
			case c.refuse != "" && (err == nil || !(errors.Is(err, ErrPlanRefused) || errors.Is(err, ErrWriteRefused)) || !strings.Contains(err.Error(), c.refuse)):
				t.Errorf("got %v, want a refusal naming %q", err, c.refuse)
			}
		})
	}
}

// bait is what a query must never reach without --write: a local file
// and a loopback URL that counts its requests, both holding a marker.
type bait struct {
	file, url string
	hits      atomic.Int64
}

func newBait(t *testing.T) *bait {
	t.Helper()
	b := &bait{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		b.hits.Add(1)
		w.Write([]byte("fetched-marker,row\n"))
	}))
	t.Cleanup(srv.Close)
	b.url = srv.URL + "/x.csv"
	b.file = filepath.Join(t.TempDir(), "secret.csv")
	if err := os.WriteFile(b.file, []byte("secret-marker,row\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUnprefix(t *testing.T) {
	in := "Invalid input 'RETURN' (line 1, column 18 (offset: 17))\n\"EXPLAIN MATCH (n RETURN n\""
	want := "Invalid input 'RETURN' (line 1, column 10 (offset: 9))\n\"MATCH (n RETURN n\""
	if got := unprefix(in); got != want {
		t.Errorf("unprefix:\n%s\nwant\n%s", got, want)
	}
}

// TestCypherPlanGuard runs the bypasses a hostile review found against a
// real server: every one is refused, no local file is read and no URL is
// fetched (a loopback HTTP server counts requests); reads still run.
func TestCypherPlanGuard(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	if _, err := s.Load(ctx, storetest.Datasets(t, storetest.TickFile()), store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	bait := newBait(t)
	hits := &bait.hits
	file := "'file://" + bait.file + "'"
	url := "'" + bait.url + "'"
	refused := map[string]string{
		"plain file":        "LOAD CSV FROM " + file + " AS r RETURN r",
		"comment":           "LOAD/**/CSV FROM " + file + " AS r RETURN r",
		"line comment":      "LOAD//x\nCSV FROM " + file + " AS r RETURN r",
		"no-break space":    "LOAD\u00a0CSV FROM " + file + " AS r RETURN r",
		"vertical tab":      "LOAD\vCSV FROM " + file + " AS r RETURN r",
		"em space":          "LOAD\u2003CSV FROM " + file + " AS r RETURN r",
		"ideographic space": "LOAD\u3000CSV FROM " + file + " AS r RETURN r",
		"unit separator":    "LOAD\u001fCSV FROM " + file + " AS r RETURN r",
		"lower case":        "load csv from " + url + " as r return r",
		"http url":          "LOAD CSV FROM " + url + " AS r RETURN r",
		"in a subquery":     "MATCH (n:Entity {id: 'tick'}) CALL { LOAD CSV FROM " + url + " AS r RETURN r } RETURN r",
		"with headers":      "LOAD CSV WITH HEADERS FROM " + url + " AS r RETURN r",
		"profile":           "PROFILE LOAD CSV FROM " + url + " AS r RETURN r",
		"terminate":         "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
		"kill connections":  "CALL dbms.killConnections(['bolt-1'])",
		"clear caches":      "CALL db.clearQueryCaches()",
		"stats stop":        "CALL db.stats.stop('QUERIES')",
		"show transactions": "SHOW TRANSACTIONS",
		"show users":        "SHOW USERS",
		"in transactions":   "CALL { MATCH (n) RETURN n } IN TRANSACTIONS RETURN n",
		"create":            "CREATE (n:X)",
		"merge":             "MERGE (n:Entity {id: 'new'})",
		"set":               "MATCH (n:Entity {id: 'tick'}) SET n.name = 'x'",
		"create label proc": "CALL db.createLabel('Evil')",
		"drop constraint":   "DROP CONSTRAINT aptgraph_entity_id",
	}
	for name, q := range refused {
		t.Run("refused/"+name, func(t *testing.T) {
			res, err := s.Run(ctx, q, nil, false)
			var qe *QueryError
			if err == nil || !(errors.Is(err, ErrPlanRefused) || errors.Is(err, ErrWriteRefused) || errors.As(err, &qe)) {
				t.Errorf("ran read-only: %v (result %+v)", err, res)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server fetched the URL %d times", n)
	}
	allowed := map[string]string{
		"match":        "MATCH (n:Entity {id: 'tick'}) RETURN n.name",
		"labels":       "CALL db.labels() YIELD label RETURN label",
		"fulltext":     "CALL db.index.fulltext.queryNodes('aptgraph_entity_names', 'Tick') YIELD node RETURN node.id",
		"show indexes": "SHOW INDEXES",
		"a string":     "RETURN 'LOAD CSV FROM file:///etc/passwd' AS s",
		"parameters":   "MATCH (n:Entity) WHERE n.id = $id RETURN n.name",
	}
	for name, q := range allowed {
		t.Run("allowed/"+name, func(t *testing.T) {
			if _, err := s.Run(ctx, q, map[string]any{"id": "tick"}, false); err != nil {
				t.Errorf("a read was refused: %v", err)
			}
		})
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Entities != 18 {
		t.Errorf("the graph changed: %+v %v", st, err)
	}
}
