package render

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/aptgraph/aptgraph/graph"
)

// Options tune the diagram writers.
type Options struct {
	// Title is drawn at the top of a diagram ("PLA → JAXA").
	Title string
	// Layout is the Graphviz engine; "" picks one by size (LayoutFor).
	Layout string
	// Scale is PNG pixels per point (0: 2, that is 144 dpi).
	Scale float64
}

// DotMaxNodes and DotMaxEdges bound what the hierarchical dot layout is
// used for: beyond them dot can take minutes (a dense 500-node graph takes
// over 25), while sfdp lays out thousands of nodes in about a second.
const (
	DotMaxNodes = 150
	DotMaxEdges = 400
)

// Layouts are the engines a user may choose.
var Layouts = []string{"dot", "sfdp", "neato", "fdp", "circo", "twopi"}

// LayoutFor picks the layout engine for a subgraph by its size.
func LayoutFor(g *graph.Subgraph) string {
	if len(g.Nodes) <= DotMaxNodes && len(g.Relationships) <= DotMaxEdges {
		return "dot"
	}
	return "sfdp"
}

// sourceNumbers numbers the cited sources [1], [2], … in the order of
// g.Sources (by id), the order the legend lists them.
func sourceNumbers(g *graph.Subgraph) map[string]int {
	n := map[string]int{}
	for i, s := range g.Sources {
		n[s.ID] = i + 1
	}
	return n
}

func refs(ids []string, nums map[string]int) string {
	var parts []string
	for _, id := range ids {
		if n, ok := nums[id]; ok {
			parts = append(parts, strconv.Itoa(n))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// dateRange renders start/end as "2016", "2016–2017" or "from 2016".
func dateRange(start, end string) string {
	switch {
	case start != "" && end != "" && start != end:
		return start + "–" + end
	case start != "":
		return start
	case end != "":
		return "until " + end
	}
	return ""
}

// dotID quotes an identifier for DOT.
func dotID(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(Clean(s)) + `"`
}

// dotLabel quotes label lines for DOT: backslashes are doubled so that
// Graphviz's escapes (\N, \G, \l, …) never fire, & is written as an
// entity because Graphviz decodes entities in labels, and lines are
// joined with DOT's own \n.
func dotLabel(lines ...string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `&`, `&amp;`)
	for i, l := range lines {
		lines[i] = r.Replace(Clean(l))
	}
	return `"` + strings.Join(lines, `\n`) + `"`
}

// html escapes text for a Graphviz HTML-like label.
func html(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;").Replace(Clean(s))
}

// safeURL returns u if it is an absolute http(s) URL, else "", with every
// byte that RFC 3986 does not allow in a URL percent-encoded, and the
// quote ' as well: the link then holds no character that could end an
// attribute or open a tag in whatever DOT, SVG or HTML it is written into
// (Graphviz decodes entities in HTML-like labels and writes hrefs back
// unescaped, so escaping for DOT alone let `">` through to a live
// <script> in an SVG made by dot -Tsvg).
func safeURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	out := PercentEncode(p.String())
	if len(out) > MaxURL {
		// Browsers cut long links anyway, and Graphviz refuses strings
		// over 16 KiB: such a source is listed, not linked.
		return ""
	}
	return out
}

// PercentEncode percent-encodes every byte of s that is not an RFC 3986
// unreserved or reserved character (or % itself), and the quote '.
func PercentEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~:/?#[]@!$&()*+,;=%", c) >= 0) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// DOT writes the subgraph as a Graphviz DOT diagram: one shape and colour
// per kind, edge style by confidence, edge labels with type, dates and
// numbered sources, and a legend of kinds, styles and sources.
func DOT(w io.Writer, g *graph.Subgraph, o Options) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	layout := o.Layout
	if layout == "" {
		layout = LayoutFor(g)
	}
	nums := sourceNumbers(g)
	p("digraph aptgraph {\n")
	p("  graph [layout=%s, rankdir=LR, fontname=\"Helvetica\", fontsize=11, bgcolor=\"#FFFFFF\", pad=0.3, nodesep=0.35, ranksep=0.7", layout)
	if layout != "dot" {
		// overlap=scale: Graphviz's other overlap removals (prism, voronoi, or
		// none at all, with edge labels to place) take 20–30 s on a
		// 400-node graph in go-graphviz; scaling takes a third of a second.
		p(", overlap=scale, splines=false, outputorder=edgesfirst")
	}
	drawnKey := layout == "dot"
	p(", labelloc=b, labeljust=l, label=<%s>];\n", legend(g, o.Title, !drawnKey))
	p("  node [fontname=\"Helvetica\", fontsize=11, style=filled, penwidth=1.2, color=\"#333333\", margin=\"0.15,0.06\"];\n")
	p("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#333333\", fontcolor=\"#222222\", arrowsize=0.8];\n")
	for _, n := range g.Nodes {
		st := styleOf(n.Kind)
		// A label is bounded: Graphviz refuses quoted strings over 16 KiB
		// and a 10 MB name would make a 70 MB drawing. The whole name
		// stays in the text, JSON and exports.
		lines := wrap(truncate(n.Name, MaxLabel), 26)
		kind := "(" + graph.KindLabel(n) + ")"
		if r := refs(n.Sources, nums); r != "" {
			kind += " " + r
		}
		lines = append(lines, kind)
		p("  %s [label=%s, shape=%s, fillcolor=%q, fontcolor=%q];\n", dotID(n.ID), dotLabel(lines...), st.Shape, st.Fill, st.FontColor)
	}
	for _, r := range g.Relationships {
		es := edgeStyleOf(r.Confidence)
		lines := []string{r.Type}
		meta := strings.TrimSpace(strings.Join([]string{dateRange(r.Start, r.End), refs(r.Sources, nums)}, " "))
		if meta != "" {
			lines = append(lines, meta)
		}
		p("  %s -> %s [label=%s, style=%s, penwidth=%s];\n", dotID(r.From), dotID(r.To), dotLabel(lines...), es.Style, es.PenWidth)
	}
	if drawnKey {
		key(bw, g)
	}
	p("}\n")
	return bw.Flush()
}

// key draws the kinds and confidence styles of the diagram as they look:
// a node of each kind in its own shape and colour, and an edge of each
// style, in a cluster beside the graph (a table can only name a shape).
// Their ids hold a colon, which no entity id can.
func key(w io.Writer, g *graph.Subgraph) {
	used := map[graph.Kind]bool{}
	for _, n := range g.Nodes {
		used[n.Kind] = true
	}
	levels := map[graph.Confidence]bool{}
	for _, r := range g.Relationships {
		levels[r.Confidence] = true
	}
	// One column: the kinds and the start of each style's edge share a
	// rank, so the key stacks at the diagram's left edge. Graphviz stacks
	// a left-to-right rank from the bottom in the order nodes are
	// defined, so they are written last first, to read from the top.
	var column, lines []string
	for _, k := range graph.Kinds() {
		if !used[k.Kind] {
			continue
		}
		st := styleOf(k.Kind)
		id := dotID("key:kind:" + string(k.Kind))
		lines = append(lines, fmt.Sprintf("    %s [label=%s, shape=%s, fillcolor=%q, fontcolor=%q, fontsize=8, fixedsize=true, width=0.95, height=0.3];\n", id, dotLabel(string(k.Kind)), st.Shape, st.Fill, st.FontColor))
		column = append(column, id)
	}
	cs := graph.Confidences()
	for i := len(cs) - 1; i >= 0; i-- {
		c := cs[i]
		if !levels[c.Level] {
			continue
		}
		es := edgeStyleOf(c.Level)
		a, b := dotID("key:style:"+string(c.Level)+":a"), dotID("key:style:"+string(c.Level)+":b")
		lines = append(lines, fmt.Sprintf("    %s [shape=point, width=0.05, color=\"#333333\"];\n    %s [shape=point, width=0.05, color=\"#333333\"];\n    %s -> %s [label=%s, style=%s, penwidth=%s, arrowsize=0.6, fontsize=8];\n",
			a, b, a, b, dotLabel(fmt.Sprintf("%s (STIX %d)", c.Level, c.STIX)), es.Style, es.PenWidth))
		column = append(column, a)
	}
	fmt.Fprint(w, "  subgraph cluster_key {\n    label=\"Key\"; labeljust=l; fontsize=10; style=rounded; color=\"#999999\";\n")
	for i := len(lines) - 1; i >= 0; i-- {
		fmt.Fprint(w, lines[i])
	}
	fmt.Fprintf(w, "    { rank=same; %s }\n  }\n", strings.Join(column, "; "))
}

// legend is the graph label: a table of the title and every source
// cited, numbered as on the edges; with kinds, the kinds and confidence
// styles by name too (for the big layouts, where the drawn key is left
// out: sfdp places clusters anywhere).
func legend(g *graph.Subgraph, title string, kinds bool) string {
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3" COLOR="#999999">`)
	if title != "" {
		fmt.Fprintf(&b, `<TR><TD COLSPAN="2" BORDER="0" ALIGN="LEFT"><FONT POINT-SIZE="13"><B>%s</B></FONT></TD></TR>`, html(truncate(title, MaxLabel)))
	}
	if g.TLP != "" {
		// The marking of the most restricted item drawn, in FIRST's
		// colours on black, as a briefing slide carries it.
		fmt.Fprintf(&b, `<TR><TD COLSPAN="2" BGCOLOR="#000000" ALIGN="LEFT"><FONT COLOR="%s" POINT-SIZE="11"><B>%s</B></FONT></TD></TR>`, tlpColor(g.TLP), html(g.TLP.Label()))
	}
	used := map[graph.Kind]bool{}
	for _, n := range g.Nodes {
		used[n.Kind] = kinds
	}
	for _, k := range graph.Kinds() {
		if !used[k.Kind] {
			continue
		}
		st := styleOf(k.Kind)
		fmt.Fprintf(&b, `<TR><TD BGCOLOR="%s"><FONT COLOR="%s" POINT-SIZE="9">%s</FONT></TD><TD ALIGN="LEFT"><FONT POINT-SIZE="9">%s</FONT></TD></TR>`, st.Fill, st.FontColor, html(st.Shape), html(string(k.Kind)))
	}
	levels := map[graph.Confidence]bool{}
	for _, r := range g.Relationships {
		levels[r.Confidence] = kinds
	}
	cs := graph.Confidences()
	for i := len(cs) - 1; i >= 0; i-- {
		c := cs[i]
		if !levels[c.Level] {
			continue
		}
		fmt.Fprintf(&b, `<TR><TD><FONT POINT-SIZE="9">%s</FONT></TD><TD ALIGN="LEFT"><FONT POINT-SIZE="9">%s (STIX %d)</FONT></TD></TR>`, html(edgeStyleOf(c.Level).Words), html(string(c.Level)), c.STIX)
	}
	for i, s := range g.Sources {
		text := citation(s)
		href := ""
		if u := safeURL(s.URL); u != "" {
			// An explicit ID: otherwise Graphviz numbers the anchor from
			// a counter that runs across renders, and output drifts.
			href = fmt.Sprintf(` HREF="%s" ID="source-%d"`, html(u), i+1)
		}
		fmt.Fprintf(&b, `<TR><TD><FONT POINT-SIZE="9">[%d]</FONT></TD><TD ALIGN="LEFT"%s><FONT POINT-SIZE="9">%s</FONT></TD></TR>`, i+1, href, html(truncate(text, 110)))
	}
	b.WriteString(`</TABLE>`)
	return b.String()
}

// citation is how legends list a source: "Publisher, date: title".
func citation(s graph.Source) string {
	text := s.Publisher
	if s.Date != "" {
		text += ", " + s.Date
	}
	if s.Title != "" {
		text += ": " + s.Title
	}
	return text
}

// MaxURL bounds the bytes of a link drawn in a diagram.
const MaxURL = 2048

// MaxLabel bounds the characters of a name or title drawn in a diagram.
const MaxLabel = 300

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// tlpColor is FIRST's colour for a TLP level (TLP 2.0 standard).
func tlpColor(t graph.TLP) string {
	switch t {
	case graph.TLPRed:
		return "#FF2B2B"
	case graph.TLPAmber, graph.TLPAmberStrict:
		return "#FFC000"
	case graph.TLPGreen:
		return "#33FF00"
	}
	return "#FFFFFF"
}
