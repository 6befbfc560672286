package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// ErrPlanRefused is returned when the server's plan for a read-only query
// holds an operator that reads files or URLs, writes, changes the schema,
// administers the server, or calls a procedure outside the read list.
var ErrPlanRefused = errors.New("cypher runs read-only queries")

// readProcedures are the procedures a read-only query may call: they read
// the graph or its schema and touch nothing else. Every other procedure
// (dbms.killConnections, db.clearQueryCaches, db.stats.stop, …) is refused,
// even those the server marks as reads.
var readProcedures = []string{
	"db.labels", "db.relationshipTypes", "db.propertyKeys",
	"db.schema.visualization", "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
	"db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
	"db.index.fulltext.listAvailableAnalyzers",
	"db.info", "db.ping", "dbms.components",
}

// readListings are the SHOW commands a read-only query may run: listings
// of the schema and of what can be called. SHOW TRANSACTIONS (other
// sessions' queries and parameters), SHOW SETTINGS and every other
// administration command are refused.
var readListings = []string{"ShowIndexes", "ShowConstraints", "ShowProcedures", "ShowFunctions"}

// refusedOperators are refused wherever they appear in a plan, by prefix:
// reading files and URLs, writing, running in transactions of its own,
// changing the schema, and administration.
var refusedOperators = []string{
	"LoadCSV", "Create", "Merge", "Delete", "DetachDelete", "Set", "Remove", "Foreach",
	"TransactionApply", "TransactionForeach", "Drop", "Alter", "Terminate",
	"AdministrationCommand", "Grant", "Revoke", "Deny", "Start", "Stop",
}

// checkPlan decides, on the server's own plan, whether a query may run
// without --write. It is the first wall; the read access mode of the
// session is the second. A decision on the query's text (a regular
// expression for LOAD CSV) was bypassed by comments and exotic white
// space: the plan is what the server will run, however it was spelled.
func checkPlan(stmtType neo4j.StatementType, plan neo4j.Plan, db string) error {
	if plan == nil {
		return fmt.Errorf("%w: the server gave no plan for this query", ErrPlanRefused)
	}
	var refuse error
	var walk func(p neo4j.Plan)
	walk = func(p neo4j.Plan) {
		if refuse != nil {
			return
		}
		op, on, _ := strings.Cut(p.Operator(), "@")
		switch {
		case on != "" && db != "" && on != db:
			refuse = fmt.Errorf("%w: this query is planned on database %q (%s)", ErrPlanRefused, on, op)
		case op == "ProcedureCall":
			details, _ := p.Arguments()["Details"].(string)
			name, _, _ := strings.Cut(details, "(")
			name = strings.TrimSpace(name)
			if !slices.Contains(readProcedures, name) {
				refuse = fmt.Errorf("%w: procedure %s is not one of the read procedures it may call (%s); run it with --write if you mean it", ErrPlanRefused, name, strings.Join(readProcedures, ", "))
			}
		case strings.HasPrefix(op, "Show") && !slices.Contains(readListings, op):
			refuse = fmt.Errorf("%w: %s is an administration command; run it in cypher-shell or Neo4j Browser", ErrPlanRefused, op)
		case op == "LoadCSV":
			refuse = fmt.Errorf("%w: LOAD CSV makes the server read files or fetch URLs; it needs --write", ErrPlanRefused)
		default:
			for _, r := range refusedOperators {
				if strings.HasPrefix(op, r) {
					refuse = fmt.Errorf("%w (its plan holds %s)", ErrWriteRefused, op)
					return
				}
			}
		}
		for _, c := range p.Children() {
			walk(c)
		}
	}
	walk(plan)
	if refuse == nil && stmtType != neo4j.StatementTypeReadOnly {
		refuse = fmt.Errorf("%w (the server classes it as %s, not a read)", ErrWriteRefused, stmtType)
	}
	return refuse
}

// plan asks the server for the plan of query without running it.
func (s *Store) plan(ctx context.Context, sess neo4j.SessionWithContext, query string, params map[string]any) (neo4j.ResultSummary, error) {
	res, err := sess.Run(ctx, explainPrefix+query, params)
	if err != nil {
		return nil, err
	}
	return res.Consume(ctx)
}

const explainPrefix = "EXPLAIN "

var positionRE = regexp.MustCompile(`\(line 1, column (\d+) \(offset: (\d+)\)\)`)

// unprefix moves positions in a server message on the first line back by
// the EXPLAIN prefix, so that they point into the query as typed, and
// drops the prefix from the quoted query.
func unprefix(msg string) string {
	msg = positionRE.ReplaceAllStringFunc(msg, func(m string) string {
		g := positionRE.FindStringSubmatch(m)
		col, _ := strconv.Atoi(g[1])
		off, _ := strconv.Atoi(g[2])
		if col > len(explainPrefix) {
			col -= len(explainPrefix)
			off -= len(explainPrefix)
		}
		return fmt.Sprintf("(line 1, column %d (offset: %d))", col, off)
	})
	return strings.Replace(msg, `"`+explainPrefix, `"`, 1)
}
