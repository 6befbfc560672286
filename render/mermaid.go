package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/aptgraph/aptgraph/graph"
)

// mermaidShapes opens and closes a node of each kind in a Mermaid
// flowchart; the shapes follow the diagrams' as closely as Mermaid allows.
var mermaidShapes = map[graph.Kind][2]string{
	graph.KindOrganization: {`["`, `"]`},
	graph.KindUnit:         {`[["`, `"]]`},
	graph.KindPerson:       {`(["`, `"])`},
	graph.KindPersona:      {`(("`, `"))`},
	graph.KindGroup:        {`{{"`, `"}}`},
	graph.KindCampaign:     {`{"`, `"}`},
	graph.KindServer:       {`[("`, `")]`},
	graph.KindIdentity:     {`>"`, `"]`},
	graph.KindVictim:       {`[/"`, `"\]`},
	graph.KindLocation:     {`[\"`, `"\]`},
	graph.KindMalware:      {`[\"`, `"/]`},
	graph.KindTool:         {`[/"`, `"/]`},
	graph.KindOther:        {`["`, `"]`},
}

// mermaidText escapes data for a quoted Mermaid label: what could end the
// string (a quote), start HTML (<, >, &), a Markdown string (a backtick)
// or an entity code (#) becomes a Mermaid entity code (#quot;, #lt;, …),
// which Mermaid shows as the character; so does %, so that no label can
// hold a %%{init: …}%% directive.
func mermaidText(s string) string {
	r := strings.NewReplacer("#", "#35;", `"`, "#quot;", "<", "#lt;", ">", "#gt;", "&", "#amp;", "`", "#96;", "%", "#37;")
	return r.Replace(Clean(s))
}

// noDirective breaks every "%%" in text that is not a label (the title,
// the source comments): Mermaid applies a %%{init: …}%% directive
// wherever it stands in the document, restyling the chart or loading
// external URLs, so data must never hold two % signs in a row.
func noDirective(s string) string {
	for strings.Contains(s, "%%") {
		s = strings.ReplaceAll(s, "%%", "% %")
	}
	return s
}

// Mermaid writes the subgraph as a Mermaid flowchart for Markdown reports:
// a node per entity (shape and colour by kind), an edge per relationship
// (thick for confirmed, solid for reported, dotted for alleged, sparse
// dots for suspected) labelled with type, dates and numbered sources, and
// the sources as a trailing comment list.
func Mermaid(w io.Writer, g *graph.Subgraph, o Options) error {
	bw := bufio.NewWriter(w)
	nums := sourceNumbers(g)
	if g.TLP != "" {
		o.Title = strings.TrimSpace(g.TLP.Label() + " " + o.Title)
	}
	if o.Title != "" {
		// Front matter is YAML, in a double-quoted scalar: before parsing
		// it, Mermaid rewrites the attribute quotes of anything that looks
		// like an HTML tag (<x a="b"> becomes <x a='b'>), which broke out
		// of a single-quoted one, so no "<" is left in it (\x3C).
		title := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "<", `\x3C`).Replace(noDirective(Clean(o.Title)))
		fmt.Fprintf(bw, "---\ntitle: \"%s\"\n---\n", title)
	}
	fmt.Fprintln(bw, "flowchart LR")
	index := map[string]string{}
	for i, n := range g.Nodes {
		index[n.ID] = fmt.Sprintf("n%d", i)
	}
	for i, n := range g.Nodes {
		shape, ok := mermaidShapes[n.Kind]
		if !ok {
			shape = [2]string{`["`, `"]`}
		}
		lines := wrap(truncate(n.Name, MaxLabel), 26)
		for j := range lines {
			lines[j] = mermaidText(lines[j])
		}
		kind := "(" + mermaidText(graph.KindLabel(n)) + ")"
		if r := refs(n.Sources, nums); r != "" {
			kind += " " + mermaidText(r)
		}
		lines = append(lines, kind)
		class := ""
		if n.Kind.Valid() {
			class = ":::" + string(n.Kind)
		}
		fmt.Fprintf(bw, "  n%d%s%s%s%s\n", i, shape[0], strings.Join(lines, "<br/>"), shape[1], class)
	}
	var sparse []int
	edge := 0
	for _, r := range g.Relationships {
		from, okf := index[r.From]
		to, okt := index[r.To]
		if !okf || !okt {
			continue
		}
		label := mermaidText(r.Type)
		if meta := strings.TrimSpace(dateRange(r.Start, r.End) + " " + refs(r.Sources, nums)); meta != "" {
			label += "<br/>" + mermaidText(meta)
		}
		open, close := "--", "-->"
		switch r.Confidence {
		case graph.Confirmed:
			open, close = "==", "==>"
		case graph.Alleged, graph.Suspected:
			open, close = "-.", ".->"
		}
		if r.Confidence == graph.Suspected {
			sparse = append(sparse, edge)
		}
		fmt.Fprintf(bw, "  %s %s \"%s\" %s %s\n", from, open, label, close, to)
		edge++
	}
	for _, e := range sparse {
		fmt.Fprintf(bw, "  linkStyle %d stroke-dasharray:1 6\n", e)
	}
	for _, k := range graph.Kinds() {
		st := styleOf(k.Kind)
		fmt.Fprintf(bw, "  classDef %s fill:%s,color:%s,stroke:#333333\n", k.Kind, st.Fill, st.FontColor)
	}
	for i, s := range g.Sources {
		text := citation(s)
		// %% comments run to the end of the line: Clean keeps them there.
		fmt.Fprintf(bw, "  %%%% [%d] %s\n", i+1, noDirective(Clean(truncate(text, 200))))
	}
	return bw.Flush()
}
