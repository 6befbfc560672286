package render

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/aptgraph/aptgraph/graph"
)

// graphmlKey is one declared GraphML attribute.
type graphmlKey struct {
	id, target, name, typ string
}

var graphmlKeys = []graphmlKey{
	{"n_label", "node", "label", "string"},
	{"n_kind", "node", "kind", "string"},
	{"n_name", "node", "name", "string"},
	{"n_aliases", "node", "aliases", "string"},
	{"n_description", "node", "description", "string"},
	{"n_country", "node", "country", "string"},
	{"n_external_ids", "node", "external_ids", "string"},
	{"n_attributes", "node", "attributes", "string"},
	{"n_sources", "node", "sources", "string"},
	{"n_color", "node", "color", "string"},
	{"n_tlp", "node", "tlp", "string"},
	{"n_roles", "node", "roles", "string"},
	{"n_alias_sources", "node", "alias_sources", "string"},
	{"e_label", "edge", "label", "string"},
	{"e_type", "edge", "type", "string"},
	{"e_confidence", "edge", "confidence", "string"},
	{"e_confidence_rank", "edge", "confidence_rank", "int"},
	{"e_stix_confidence", "edge", "stix_confidence", "int"},
	{"e_sources", "edge", "sources", "string"},
	{"e_start", "edge", "start", "string"},
	{"e_end", "edge", "end", "string"},
	{"e_description", "edge", "description", "string"},
	{"e_via", "edge", "via", "string"},
	{"e_tlp", "edge", "tlp", "string"},
	{"e_attributes", "edge", "attributes", "string"},
	{"e_citations", "edge", "citations", "string"},
}

// xmlText escapes data for XML; Clean first makes control characters
// (which XML 1.0 cannot carry even escaped) visible instead.
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(Clean(s)))
	return b.String()
}

// GraphML writes the subgraph as GraphML for Gephi, yEd and Cytoscape:
// every property a typed attribute (kinds, names, confidence as text and
// as numbers, sources as "; "-separated ids, maps as JSON), plus label and
// colour for the tools that show them. The sources cited are listed in a
// comment. It validates against the GraphML XML schema.
func GraphML(w io.Writer, g *graph.Subgraph) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, `<?xml version="1.0" encoding="UTF-8"?>`)
	fmt.Fprintln(bw, `<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">`)
	for _, k := range graphmlKeys {
		fmt.Fprintf(bw, "  <key id=%q for=%q attr.name=%q attr.type=%q/>\n", k.id, k.target, k.name, k.typ)
	}
	fmt.Fprintln(bw, `  <graph id="aptgraph" edgedefault="directed">`)
	data := func(indent, key, v string) {
		if v != "" {
			fmt.Fprintf(bw, "%s<data key=%q>%s</data>\n", indent, key, xmlText(v))
		}
	}
	for _, n := range g.Nodes {
		fmt.Fprintf(bw, "    <node id=\"%s\">\n", xmlText(n.ID))
		data("      ", "n_label", n.Name)
		data("      ", "n_kind", string(n.Kind))
		data("      ", "n_name", n.Name)
		data("      ", "n_aliases", strings.Join(n.Aliases, "; "))
		data("      ", "n_description", n.Description)
		data("      ", "n_country", n.Country)
		data("      ", "n_external_ids", graph.JSONText(n.ExternalIDs))
		data("      ", "n_attributes", graph.JSONText(n.Attributes))
		data("      ", "n_sources", strings.Join(n.Sources, "; "))
		data("      ", "n_color", styleOf(n.Kind).Fill)
		data("      ", "n_tlp", string(n.TLP))
		data("      ", "n_roles", strings.Join(roleNames(n.Roles), "; "))
		data("      ", "n_alias_sources", graph.JSONText(n.AliasSources))
		fmt.Fprintln(bw, "    </node>")
	}
	for i, r := range g.Relationships {
		fmt.Fprintf(bw, "    <edge id=\"e%d\" source=\"%s\" target=\"%s\">\n", i, xmlText(r.From), xmlText(r.To))
		data("      ", "e_label", r.Type)
		data("      ", "e_type", r.Type)
		data("      ", "e_confidence", string(r.Confidence))
		data("      ", "e_confidence_rank", fmt.Sprint(r.Confidence.Rank()))
		data("      ", "e_stix_confidence", fmt.Sprint(r.Confidence.STIX()))
		data("      ", "e_sources", strings.Join(r.Sources, "; "))
		data("      ", "e_start", r.Start)
		data("      ", "e_end", r.End)
		data("      ", "e_description", r.Description)
		data("      ", "e_via", strings.Join(r.Via, "; "))
		data("      ", "e_tlp", string(r.TLP))
		data("      ", "e_attributes", graph.JSONText(r.Attributes))
		data("      ", "e_citations", graph.JSONText(r.Citations))
		fmt.Fprintln(bw, "    </edge>")
	}
	fmt.Fprintln(bw, "  </graph>")
	for i, s := range g.Sources {
		// "--" may not appear inside an XML comment (real ATT&CK URLs
		// hold it; "---" once left one behind), nor end it.
		text := Clean(fmt.Sprintf("[%d] %s: %s %s %s %s", i+1, s.ID, s.Publisher, s.Date, s.Title, s.URL))
		for strings.Contains(text, "--") {
			text = strings.ReplaceAll(text, "--", "- -")
		}
		fmt.Fprintf(bw, "  <!-- %s -->\n", strings.TrimRight(text, "-"))
	}
	fmt.Fprintln(bw, "</graphml>")
	return bw.Flush()
}
