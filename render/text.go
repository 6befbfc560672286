package render

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/aptgraph/aptgraph/graph"
)

// JSON writes any result as indented JSON with a trailing newline. Maps
// marshal with sorted keys and subgraphs come sorted, so output is stable.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Readable "ATT&CK" rather than "ATT\u0026CK": the output is for
	// scripts and people, not for pasting into HTML.
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Text writes a subgraph for a terminal. Paths are written one per line,
// every hop with its type, confidence, dates and the numbers of its
// sources in the list that follows:
//
//	PLA —DIRECTED (alleged, 2016–2017; [3, 4])→ Tick —ATTACKED (…)→ JAXA
//
// A hop walked against the stored direction is drawn ←TYPE (…)—. Without
// paths, every relationship is written on its own line. The entities'
// own sources come next, then the sources, numbered as in every diagram
// and Mermaid chart of the same result ([n] is the n-th of g.Sources).
func Text(w io.Writer, g *graph.Subgraph) error {
	bw := bufio.NewWriter(w)
	if g.TLP != "" {
		// The marking of the most restricted item shown, first, as a
		// shared text carries it.
		fmt.Fprintln(bw, g.TLP.Label())
	}
	writeBody(bw, g)
	writeEntitySources(bw, g)
	writeSources(bw, g.Sources)
	return bw.Flush()
}

// plural writes "1 source", "2 sources".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// cite gives the legend numbers of source ids: "[2, 5]"; ids the legend
// lacks are named as they are.
// citeWith is cite for a claim whose sources were cited in the long form:
// each such source's number with its own confidence, place and words —
// "[1] alleged p. 3 “allegedly used…”, [2]" — so that no source is read
// under another's hedge.
func citeWith(ids []string, cites []graph.Citation, nums map[string]int) string {
	if len(cites) == 0 {
		return cite(ids, nums)
	}
	var parts []string
	for _, id := range ids {
		part := cite([]string{id}, nums)
		for _, c := range cites {
			if c.Source != id {
				continue
			}
			if c.Confidence != "" {
				part += " " + Clean(string(c.Confidence))
			}
			if c.Locator != "" {
				part += " " + Clean(c.Locator)
			}
			if c.Quote != "" {
				part += " “" + Clean(truncate(c.Quote, 80)) + "”"
			}
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
}

func cite(ids []string, nums map[string]int) string {
	var parts []string
	for _, id := range ids {
		if n, ok := nums[id]; ok {
			parts = append(parts, strconv.Itoa(n))
		} else {
			parts = append(parts, Clean(id))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// writeEntitySources lists the entities whose own facts (name, aliases,
// description) cite sources, so that every source of the list is cited
// by a line of the output, as in the diagrams' node labels.
func writeEntitySources(w io.Writer, g *graph.Subgraph) {
	nums := sourceNumbers(g)
	first := true
	for _, n := range g.Nodes {
		if len(n.Sources) == 0 {
			continue
		}
		if first {
			fmt.Fprintln(w, "\nEntities:")
			first = false
		}
		fmt.Fprintf(w, "  %s (%s) %s\n", Clean(n.Name), Clean(graph.KindLabel(n)), cite(n.Sources, nums))
	}
}

// writeBody writes the paths, or else the relationships, or else the
// nodes of a subgraph, one per line.
func writeBody(bw io.Writer, g *graph.Subgraph) {
	name := map[string]string{}
	for _, n := range g.Nodes {
		name[n.ID] = Clean(n.Name)
	}
	nameOf := func(id string) string {
		if n, ok := name[id]; ok {
			return n
		}
		return Clean(id)
	}
	nums := sourceNumbers(g)
	rel := map[graph.RelKey]graph.Relationship{}
	for _, r := range g.Relationships {
		rel[r.Key()] = r
	}
	note := func(r graph.Relationship) string {
		var parts []string
		if len(r.Claims) > 1 {
			// Each dataset's claim with its own hedge and sources, the
			// strongest first: a weaker outlet's sources are never shown
			// under a stronger outlet's word.
			// Each claim names its own route.
			for _, c := range strongestFirst(r.Claims) {
				n := claimNote(c.Confidence, c.Start, c.End, citeWith(c.Sources, c.Citations, nums))
				if len(c.Via) > 0 {
					n += " via " + Clean(strings.Join(c.Via, ", "))
				}
				parts = append(parts, n+" in "+Clean(c.Dataset))
			}
			return strings.Join(parts, "; ")
		}
		parts = append(parts, claimNote(r.Confidence, r.Start, r.End, ""))
		if c := citeWith(r.Sources, r.Citations, nums); c != "" {
			parts = append(parts, c)
		}
		if len(r.Via) > 0 {
			// Ids, not names: the entities are mostly not on the line,
			// and an id is what `aptgraph show` takes.
			parts = append(parts, "via "+Clean(strings.Join(r.Via, ", ")))
		}
		if len(r.Attributes) > 0 {
			var kv []string
			for _, k := range graph.SortedKeys(r.Attributes) {
				kv = append(kv, Clean(k)+" "+Clean(r.Attributes[k]))
			}
			parts = append(parts, strings.Join(kv, ", "))
		}
		return strings.Join(parts, "; ")
	}
	if len(g.Paths) > 0 {
		for i, p := range g.Paths {
			fmt.Fprintf(bw, "%d. %s", i+1, nameOf(p.Nodes[0]))
			for j, st := range p.Rels {
				r := rel[graph.RelKey(st)]
				if r.Type == "" {
					r = graph.Relationship{From: st.From, Type: st.Type, To: st.To}
				}
				if st.From == p.Nodes[j] {
					fmt.Fprintf(bw, " —%s (%s)→ %s", Clean(st.Type), note(r), nameOf(p.Nodes[j+1]))
				} else {
					fmt.Fprintf(bw, " ←%s (%s)— %s", Clean(st.Type), note(r), nameOf(p.Nodes[j+1]))
				}
			}
			fmt.Fprintln(bw)
			if c := p.Credibility; c != nil && c.Weakest != "" {
				st := p.Rels[c.WeakestAt]
				line := fmt.Sprintf("   weakest link: %s (%s, hop %d of %d); %s", c.Weakest, Clean(st.Type), c.WeakestAt+1, c.Hops, plural(c.Sources, "source"))
				if c.Detour != "" {
					line += "; " + c.Detour
				}
				fmt.Fprintln(bw, line)
			}
		}
		if g.MorePaths > 0 {
			fmt.Fprintf(bw, "… and %d more (raise --limit to see them)\n", g.MorePaths)
		}
		if g.Note != "" {
			fmt.Fprintf(bw, "note: %s\n", Clean(g.Note))
		}
	} else {
		for _, r := range g.Relationships {
			fmt.Fprintf(bw, "%s —%s (%s)→ %s\n", nameOf(r.From), Clean(r.Type), note(r), nameOf(r.To))
		}
		if g.MoreEntities > 0 {
			fmt.Fprintf(bw, "… and %d more entities (raise --limit to see them)\n", g.MoreEntities)
		}
		if len(g.Relationships) == 0 {
			for _, n := range g.Nodes {
				fmt.Fprintf(bw, "%s (%s, %s)\n", Clean(n.Name), graph.KindLabel(n), Clean(n.ID))
			}
		}
	}
}

// claimNote is a claim's confidence, dates and citations: "alleged,
// 2016–2017 [1, 2]".
func claimNote(c graph.Confidence, start, end, cites string) string {
	out := Clean(string(c))
	if d := dateRange(start, end); d != "" {
		out += ", " + Clean(d)
	}
	if cites != "" {
		out += " " + cites
	}
	return out
}

// strongestFirst orders claims by confidence, strongest first, keeping
// the datasets' order among equals.
func strongestFirst(cs []graph.Claim) []graph.Claim {
	out := slices.Clone(cs)
	slices.SortStableFunc(out, func(a, b graph.Claim) int { return b.Confidence.Rank() - a.Confidence.Rank() })
	return out
}

func writeSources(w io.Writer, sources []graph.Source) {
	if len(sources) == 0 {
		return
	}
	fmt.Fprintln(w, "\nSources:")
	for i, s := range sources {
		line := fmt.Sprintf("  [%d] %s", i+1, Clean(s.Publisher))
		if s.Date != "" {
			line += ", " + Clean(s.Date)
		}
		if s.Title != "" {
			line += ": " + Clean(s.Title)
		}
		if s.URL != "" {
			line += " <" + Clean(s.URL) + ">"
		}
		fmt.Fprintln(w, line+" ("+Clean(s.ID)+")")
	}
}

// Entity writes one entity's details and its relationships for `show`.
func Entity(w io.Writer, e graph.Entity, g *graph.Subgraph) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s\n", Clean(e.Name))
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(bw, "  %-13s %s\n", k+":", Clean(v))
		}
	}
	row("id", e.ID)
	row("kind", string(e.Kind))
	if len(e.Roles) > 0 {
		row("also", strings.TrimPrefix(graph.KindLabel(e), string(e.Kind)+", also "))
	}
	var aliases []string
	for _, a := range e.Aliases {
		if ss := e.AliasSources[a]; len(ss) > 0 {
			a += " (per " + strings.Join(ss, ", ") + ")"
		}
		aliases = append(aliases, a)
	}
	row("aliases", strings.Join(aliases, ", "))
	row("country", e.Country)
	row("description", e.Description)
	for _, k := range graph.SortedKeys(e.ExternalIDs) {
		row("external id", k+": "+e.ExternalIDs[k])
	}
	for _, k := range graph.SortedKeys(e.Attributes) {
		row(k, e.Attributes[k])
	}
	row("sources", cite(e.Sources, sourceNumbers(g)))
	row("datasets", strings.Join(e.Datasets, ", "))
	if err := bw.Flush(); err != nil {
		return err
	}
	if len(g.Relationships) > 0 {
		fmt.Fprintln(w, "\nRelationships:")
		var buf strings.Builder
		writeBody(&buf, g)
		for _, l := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n") {
			fmt.Fprintln(w, "  "+l)
		}
	}
	writeSources(w, g.Sources)
	return nil
}

// Table writes rows as an aligned table for a terminal, or as TSV for a
// pipe (tsv true), with every cell cleaned. TSV cells never contain tabs
// or newlines: Clean makes them visible.
func Table(w io.Writer, header []string, rows [][]string, tsv bool) error {
	bw := bufio.NewWriter(w)
	clean := func(r []string) []string {
		out := make([]string, len(r))
		for i, c := range r {
			out[i] = Clean(c)
		}
		return out
	}
	if tsv {
		fmt.Fprintln(bw, strings.Join(header, "\t"))
		for _, r := range rows {
			fmt.Fprintln(bw, strings.Join(clean(r), "\t"))
		}
		return bw.Flush()
	}
	widths := make([]int, len(header))
	all := append([][]string{header}, rows...)
	for i, r := range all {
		all[i] = clean(r)
		for j, c := range all[i] {
			if j < len(widths) && len([]rune(c)) > widths[j] {
				widths[j] = len([]rune(c))
			}
		}
	}
	for _, r := range all {
		for j, c := range r {
			if j == len(r)-1 {
				fmt.Fprint(bw, c)
			} else {
				fmt.Fprintf(bw, "%s%s  ", c, strings.Repeat(" ", widths[j]-len([]rune(c))))
			}
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}
