package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/aptgraph/aptgraph/graph"
)

// Node, Rel and PathValue are the graph values of a Cypher result, with
// the driver's types converted so that no caller imports the driver.
type Node struct {
	ElementID string         `json:"element_id"`
	Labels    []string       `json:"labels"`
	Props     map[string]any `json:"properties"`
}

// Rel is a relationship value of a Cypher result.
type Rel struct {
	ElementID string         `json:"element_id"`
	StartID   string         `json:"start_element_id"`
	EndID     string         `json:"end_element_id"`
	Type      string         `json:"type"`
	Props     map[string]any `json:"properties"`
}

// PathValue is a path value of a Cypher result.
type PathValue struct {
	Nodes []Node `json:"nodes"`
	Rels  []Rel  `json:"relationships"`
}

// Result is what a Cypher query returned: column names, rows of converted
// values (nil, bool, int64, float64, string, []any, map[string]any, Node,
// Rel, PathValue; temporal and spatial values as strings), and what a
// write changed.
type Result struct {
	Columns []string       `json:"columns"`
	Rows    [][]any        `json:"rows"`
	Changes map[string]int `json:"changes,omitempty"`
}

// ErrWriteRefused is returned when a query tries to write without --write.
var ErrWriteRefused = errors.New("the query writes to the graph, but cypher runs read-only; add --write if you mean to change the graph")

// QueryError is a query the server rejected (syntax, semantics, types).
type QueryError struct {
	Code, Message string
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("Neo4j rejected the query (%s): %s", e.Code, e.Message)
}

// Run runs a user's Cypher query with parameters. Without write, the
// server's plan for it is read first (EXPLAIN) and the query refused when
// the plan reads files or URLs, writes, changes the schema, administers
// the server or calls a procedure outside the read list (checkPlan); the
// session is then in read access mode, so the server itself refuses any
// write as well. The query runs as an auto-commit transaction, so
// CALL { … } IN TRANSACTIONS works with write.
func (s *Store) Run(ctx context.Context, query string, params map[string]any, write bool) (*Result, error) {
	mode := neo4j.AccessModeRead
	if write {
		mode = neo4j.AccessModeWrite
	}
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: mode, DatabaseName: s.db})
	defer sess.Close(context.Background())
	if !write {
		sum, err := s.plan(ctx, sess, query, params)
		if err != nil {
			err = s.queryErr(ctx, err)
			var qe *QueryError
			if errors.As(err, &qe) {
				qe.Message = unprefix(qe.Message)
			}
			return nil, err
		}
		db := s.db
		if db == "" && sum.Database() != nil {
			db = sum.Database().Name()
		}
		if err := checkPlan(sum.StatementType(), sum.Plan(), db); err != nil {
			return nil, err
		}
	}
	res, err := sess.Run(ctx, query, params)
	if err != nil {
		return nil, s.queryErr(ctx, err)
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, s.queryErr(ctx, err)
	}
	out := &Result{Rows: [][]any{}}
	keys, err := res.Keys()
	if err == nil {
		out.Columns = keys
	}
	if len(recs) > 0 {
		out.Columns = recs[0].Keys
	}
	for _, r := range recs {
		row := make([]any, len(r.Values))
		for i, v := range r.Values {
			row[i] = convert(v)
		}
		out.Rows = append(out.Rows, row)
	}
	sum, err := res.Consume(ctx)
	if err == nil && sum != nil {
		c := sum.Counters()
		changes := map[string]int{
			"nodes_created": c.NodesCreated(), "nodes_deleted": c.NodesDeleted(),
			"relationships_created": c.RelationshipsCreated(), "relationships_deleted": c.RelationshipsDeleted(),
			"properties_set": c.PropertiesSet(), "labels_added": c.LabelsAdded(), "labels_removed": c.LabelsRemoved(),
			"indexes_added": c.IndexesAdded(), "indexes_removed": c.IndexesRemoved(),
			"constraints_added": c.ConstraintsAdded(), "constraints_removed": c.ConstraintsRemoved(),
		}
		for k, v := range changes {
			if v == 0 {
				delete(changes, k)
			}
		}
		if len(changes) > 0 {
			out.Changes = changes
		}
	}
	return out, nil
}

func (s *Store) queryErr(ctx context.Context, err error) error {
	if cerr := s.ctxErr(ctx, err); cerr != nil {
		return cerr
	}
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) {
		switch {
		case strings.Contains(ne.Code, "AccessMode") || strings.Contains(ne.Msg, "read access mode") ||
			strings.Contains(ne.Code, "Forbidden") && strings.Contains(strings.ToLower(ne.Msg), "write"):
			return ErrWriteRefused
		case strings.HasPrefix(ne.Code, "Neo.ClientError.Statement"), strings.HasPrefix(ne.Code, "Neo.ClientError.Procedure"):
			return &QueryError{Code: ne.Code, Message: firstLine(ne.Msg)}
		}
	}
	return s.opErr(ctx, "query", err)
}

func convert(v any) any {
	switch x := v.(type) {
	case nil, bool, int64, float64, string:
		return x
	case []byte:
		return fmt.Sprintf("%x", x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = convert(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = convert(e)
		}
		return out
	case dbtype.Node:
		return convertNode(x)
	case dbtype.Relationship:
		return convertRel(x)
	case dbtype.Path:
		p := PathValue{}
		for _, n := range x.Nodes {
			p.Nodes = append(p.Nodes, convertNode(n))
		}
		for _, r := range x.Relationships {
			p.Rels = append(p.Rels, convertRel(r))
		}
		return p
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func convertNode(n dbtype.Node) Node {
	labels := append([]string(nil), n.Labels...)
	sort.Strings(labels)
	return Node{ElementID: n.ElementId, Labels: labels, Props: convert(n.Props).(map[string]any)}
}

func convertRel(r dbtype.Relationship) Rel {
	return Rel{ElementID: r.ElementId, StartID: r.StartElementId, EndID: r.EndElementId, Type: r.Type, Props: convert(r.Props).(map[string]any)}
}

// Graph turns the nodes, relationships and paths in a result into a
// subgraph that renders like any other: aptgraph's own nodes keep their
// ids and kinds; other nodes get "neo4j:<element id>" and a kind from
// their labels when they have one. Endpoints of relationships that the
// query did not return are fetched, and the sources cited are included.
func (s *Store) Graph(ctx context.Context, r *Result) (*graph.Subgraph, error) {
	nodes := map[string]Node{} // by element id
	rels := map[string]Rel{}
	var paths []PathValue
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case Node:
			nodes[x.ElementID] = x
		case Rel:
			rels[x.ElementID] = x
		case PathValue:
			paths = append(paths, x)
			for _, n := range x.Nodes {
				walk(n)
			}
			for _, r := range x.Rels {
				walk(r)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, k := range graph.SortedKeys(x) {
				walk(x[k])
			}
		}
	}
	for _, row := range r.Rows {
		for _, v := range row {
			walk(v)
		}
	}
	var missing []string
	for _, rel := range rels {
		for _, id := range []string{rel.StartID, rel.EndID} {
			if _, ok := nodes[id]; !ok {
				missing = append(missing, id)
			}
		}
	}
	if len(missing) > 0 {
		recs, err := s.read(ctx, "MATCH (n) WHERE elementId(n) IN $ids RETURN n", map[string]any{"ids": graph.SortedUnique(missing)})
		if err != nil {
			return nil, fmt.Errorf("%s: fetch relationship endpoints: %w", s.Describe(), err)
		}
		for _, rec := range recs {
			if n, ok := convert(rec.Values[0]).(Node); ok {
				nodes[n.ElementID] = n
			}
		}
	}
	idOf := func(elementID string) string {
		if n, ok := nodes[elementID]; ok {
			if id, ok := n.Props["id"].(string); ok && id != "" {
				return id
			}
		}
		return "neo4j:" + elementID
	}
	g := &graph.Subgraph{}
	seen := map[string]bool{}
	for _, eid := range graph.SortedKeys(nodes) {
		n := nodes[eid]
		id := idOf(eid)
		if seen[id] {
			continue
		}
		seen[id] = true
		e, err := EntityFromProps(n.Props)
		if err != nil {
			return nil, err
		}
		e.ID = id
		if !e.Kind.Valid() {
			e.Kind = kindFromLabels(n.Labels)
		}
		if e.Name == "" {
			e.Name = strings.Join(n.Labels, ":")
			if e.Name == "" {
				e.Name = id
			}
		}
		g.Nodes = append(g.Nodes, e)
	}
	relSeen := map[graph.RelKey]bool{}
	for _, eid := range graph.SortedKeys(rels) {
		x := rels[eid]
		rel, err := RelationshipFromProps(idOf(x.StartID), x.Type, idOf(x.EndID), x.Props)
		if err != nil {
			return nil, err
		}
		if !relSeen[rel.Key()] {
			relSeen[rel.Key()] = true
			g.Relationships = append(g.Relationships, rel)
		}
	}
	for _, p := range paths {
		gp := graph.Path{}
		for _, n := range p.Nodes {
			gp.Nodes = append(gp.Nodes, idOf(n.ElementID))
		}
		for _, r := range p.Rels {
			gp.Rels = append(gp.Rels, graph.Step{From: idOf(r.StartID), Type: r.Type, To: idOf(r.EndID)})
		}
		g.Paths = append(g.Paths, gp)
	}
	g.Paths = graph.SortPaths(g.Paths)
	if g.Relationships == nil {
		g.Relationships = []graph.Relationship{}
	}
	srcs, err := s.Sources(ctx, g.CitedSourceIDs())
	if err != nil {
		return nil, err
	}
	g.Sources = srcs
	if g.Sources == nil {
		g.Sources = []graph.Source{}
	}
	g.Sort()
	return g, nil
}

func kindFromLabels(labels []string) graph.Kind {
	for _, k := range graph.Kinds() {
		for _, l := range labels {
			if l == k.Label {
				return k.Kind
			}
		}
	}
	return ""
}
