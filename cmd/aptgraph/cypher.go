package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aptgraph/aptgraph/render"
	"github.com/aptgraph/aptgraph/store/neo4jstore"
)

type cypherOpts struct {
	query  string
	file   string
	params []string
	write  bool
	outputOpts
}

func (a *app) cypherCmd(g *globalOpts) *cobra.Command {
	var o cypherOpts
	c := &cobra.Command{
		Use:   "cypher [QUERY]",
		Short: "Run a Cypher query against Neo4j (read-only unless --write)",
		Long: `Cypher runs a query against the Neo4j store: from the argument, from -f
FILE, or from stdin. Parameters come from --param name=value, where the
value is read as JSON when it parses (numbers, true/false, null, "quoted
strings", [lists], {maps}) and as a plain string otherwise.

A query is read-only unless --write, decided on the server's own plan
(EXPLAIN) before it runs: a plan that reads files or URLs (LOAD CSV),
writes, changes the schema, administers the server or calls a procedure
outside a short list of read procedures is refused, exit 2; the session
is in read access mode as well, so the server refuses any write itself.
Results print as a table on a terminal, TSV in a pipe, or --format json
or csv; --format dot, svg or png (or -o) draws the nodes, relationships
and paths the query returned, in the same style as every other diagram.

The embedded store has no Cypher engine; cypher needs --db bolt://… .`,
		Example: `  aptgraph --db bolt://localhost:7687 cypher "MATCH (g:Group) RETURN g.name, g.aliases"
  aptgraph --db bolt://localhost:7687 cypher -f queries/analyst/02-rests-on-source.cypher --param source=kyodo-2021-04-20
  aptgraph --db bolt://localhost:7687 cypher "MATCH p=(:Organization {id:'pla'})-[*..4]-(:Victim {id:'jaxa'}) RETURN p" -o p.svg
  echo "MATCH (n) RETURN count(n)" | aptgraph --db bolt://localhost:7687 cypher --format json`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("give the query as one argument (quote it), with -f FILE, or on stdin")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.query = args[0]
			}
			return a.cypherRun(cmd.Context(), g, &o)
		},
	}
	c.Flags().StringVarP(&o.file, "file", "f", "", "read the query from this file (- for stdin)")
	c.Flags().StringArrayVar(&o.params, "param", nil, "query parameter name=value (repeatable)")
	c.Flags().BoolVar(&o.write, "write", false, "allow the query to change the graph")
	o.outputOpts.register(c)
	return c
}

var cypherFormats = []string{"text", "tsv", "json", "csv", "dot", "svg", "png", "mermaid"}

func (a *app) cypherRun(ctx context.Context, g *globalOpts, o *cypherOpts) error {
	format, err := o.resolve(cypherFormats)
	if err != nil {
		return err
	}
	query, err := a.cypherText(o)
	if err != nil {
		return err
	}
	params, err := parseParams(o.params)
	if err != nil {
		return err
	}
	return a.withStore(ctx, g, needNeo4j, func(ctx context.Context, s *openedStore) error {
		ns, err := neo4jOf(s)
		if err != nil {
			return err
		}
		return a.cypherResult(ctx, ns, query, params, format, o)
	})
}

// cypherResult runs the query and writes its result as the format asks.
func (a *app) cypherResult(ctx context.Context, ns *neo4jstore.Store, query string, params map[string]any, format string, o *cypherOpts) error {
	res, err := ns.Run(ctx, query, params, o.write)
	var qe *neo4jstore.QueryError
	if errors.Is(err, neo4jstore.ErrWriteRefused) || errors.Is(err, neo4jstore.ErrPlanRefused) || errors.As(err, &qe) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	if len(res.Changes) > 0 {
		var parts []string
		for _, k := range sortedKeys(res.Changes) {
			parts = append(parts, fmt.Sprintf("%s: %d", strings.ReplaceAll(k, "_", " "), res.Changes[k]))
		}
		fmt.Fprintln(a.errOut, strings.Join(parts, ", "))
	}
	switch format {
	case "json":
		return a.emit(&o.outputOpts, false, func(w io.Writer) error { return render.JSON(w, res) })
	case "csv":
		return a.emit(&o.outputOpts, false, func(w io.Writer) error { return writeCSV(w, res) })
	case "text", "tsv":
		rows := make([][]string, len(res.Rows))
		for i, r := range res.Rows {
			rows[i] = make([]string, len(r))
			for j, v := range r {
				rows[i][j] = cell(v)
			}
		}
		tsv := format == "tsv" || o.output != "" || !a.outTTY
		return a.emit(&o.outputOpts, false, func(w io.Writer) error { return render.Table(w, res.Columns, rows, tsv) })
	}
	sub, err := ns.Graph(ctx, res)
	if err != nil {
		return err
	}
	if len(sub.Nodes) == 0 {
		return usagef("the query returned no nodes, relationships or paths to draw; return them (RETURN p, RETURN n, r, m) or use --format text")
	}
	return a.writeGraph(ctx, &o.outputOpts, sub, "Cypher query result")
}

func (a *app) cypherText(o *cypherOpts) (string, error) {
	var src string
	switch {
	case o.query != "" && o.file != "":
		return "", usagef("give the query either as an argument or with -f, not both")
	case o.query != "":
		src = o.query
	case o.file != "" && o.file != "-":
		b, err := os.ReadFile(o.file)
		if err != nil {
			return "", fmt.Errorf("read query: %w", err)
		}
		src = string(b)
	default:
		if f, ok := a.in.(*os.File); ok && isTerminal(f) && o.file != "-" {
			return "", usagef("give a query: as an argument, with -f FILE, or on stdin")
		}
		b, err := io.ReadAll(io.LimitReader(a.in, 16<<20))
		if err != nil {
			return "", fmt.Errorf("read query from stdin: %w", err)
		}
		src = string(b)
	}
	// Browser-style `:param` lines in shipped query files are comments
	// there; drop them here too.
	var lines []string
	for _, l := range strings.Split(src, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), ":") {
			lines = append(lines, l)
		}
	}
	q := strings.TrimSpace(strings.Join(lines, "\n"))
	q = strings.TrimSpace(strings.TrimSuffix(q, ";"))
	if q == "" {
		return "", usagef("the query is empty")
	}
	return q, nil
}

var paramName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// parseParams reads name=value pairs; values are JSON when they parse
// (integers stay integers), plain strings otherwise.
func parseParams(in []string) (map[string]any, error) {
	out := map[string]any{}
	for _, p := range in {
		name, value, ok := strings.Cut(p, "=")
		if !ok || !paramName.MatchString(name) {
			return nil, usagef("--param %q: want name=value with a name of letters, digits and _", p)
		}
		out[name] = parseParamValue(value)
	}
	return out, nil
}

func parseParamValue(s string) any {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return s
	}
	return fixNumbers(v)
}

func fixNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = fixNumbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = fixNumbers(x[k])
		}
	}
	return v
}

// cell formats one value for a table: graph values in Cypher's own
// notation, lists and maps as JSON.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case neo4jstore.Node:
		return nodeText(x)
	case neo4jstore.Rel:
		return "[:" + x.Type + "]"
	case neo4jstore.PathValue:
		var b strings.Builder
		for i, n := range x.Nodes {
			if i > 0 {
				r := x.Rels[i-1]
				if r.StartID == n.ElementID {
					b.WriteString("<-[:" + r.Type + "]-")
				} else {
					b.WriteString("-[:" + r.Type + "]->")
				}
			}
			b.WriteString(nodeText(n))
		}
		return b.String()
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSpace(buf.String())
}

func nodeText(n neo4jstore.Node) string {
	label := ""
	for _, l := range n.Labels {
		label += ":" + l
	}
	if id, ok := n.Props["id"].(string); ok {
		return fmt.Sprintf("(%s %s)", label, id)
	}
	return fmt.Sprintf("(%s %s)", label, cell(n.Props))
}

func writeCSV(w io.Writer, r *neo4jstore.Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(r.Columns); err != nil {
		return err
	}
	for _, row := range r.Rows {
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = cell(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
