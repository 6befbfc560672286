package render

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fogleman/gg"
	gvgraph "github.com/goccy/go-graphviz"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/internal/hostile"
	"github.com/aptgraph/aptgraph/internal/javatool"
	"github.com/aptgraph/aptgraph/loader"
)

var update = flag.Bool("update", false, "rewrite golden files")

func plaJaxa() *graph.Subgraph {
	return &graph.Subgraph{
		Nodes: []graph.Entity{
			{ID: "jaxa", Kind: graph.KindVictim, Name: "Japan Aerospace Exploration Agency", Aliases: []string{"JAXA"}, Sources: []string{"jaxa-via-nhk"}},
			{ID: "pla", Kind: graph.KindOrganization, Name: "People's Liberation Army", Aliases: []string{"PLA"}},
			{ID: "tick", Kind: graph.KindGroup, Name: "Tick", Aliases: []string{"BRONZE BUTLER"}},
		},
		Relationships: []graph.Relationship{
			{From: "pla", Type: "DIRECTED", To: "tick", Confidence: graph.Alleged, Sources: []string{"nhk"}, Start: "2016", End: "2017"},
			{From: "tick", Type: "ATTACKED", To: "jaxa", Confidence: graph.Reported, Sources: []string{"kyodo", "nhk"}, Start: "2016"},
		},
		Paths: []graph.Path{{Nodes: []string{"pla", "tick", "jaxa"}, Rels: []graph.Step{{From: "pla", Type: "DIRECTED", To: "tick"}, {From: "tick", Type: "ATTACKED", To: "jaxa"}}}},
		Sources: []graph.Source{
			{ID: "jaxa-via-nhk", Publisher: "JAXA spokesperson (via NHK)", Date: "2021-04"},
			{ID: "kyodo", Publisher: "Kyodo News", Date: "2021-04-20"},
			{ID: "nhk", Publisher: "NHK", Date: "2021-04-20", URL: "https://www3.nhk.or.jp/"},
		},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./render -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./render -update if the change is meant):\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	g := plaJaxa()
	cases := []struct {
		file  string
		write func(w io.Writer) error
	}{
		{"pla-jaxa.txt", func(w io.Writer) error { return Text(w, g) }},
		{"pla-jaxa.json", func(w io.Writer) error { return JSON(w, g) }},
		{"pla-jaxa.dot", func(w io.Writer) error { return DOT(w, g, Options{Title: "PLA → JAXA"}) }},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.write(&buf); err != nil {
				t.Fatal(err)
			}
			golden(t, c.file, buf.Bytes())
		})
	}
}

func TestDiagramsAreDeterministic(t *testing.T) {
	ctx := context.Background()
	var dot bytes.Buffer
	if err := DOT(&dot, plaJaxa(), Options{Title: "PLA → JAXA"}); err != nil {
		t.Fatal(err)
	}
	render := func() (svg, pngb []byte) {
		gv, err := NewGraphviz(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer gv.Close()
		var s, p bytes.Buffer
		if err := gv.SVG(ctx, &s, dot.Bytes(), "dot"); err != nil {
			t.Fatal(err)
		}
		if err := gv.PNG(ctx, &p, dot.Bytes(), "dot", 1); err != nil {
			t.Fatal(err)
		}
		return s.Bytes(), p.Bytes()
	}
	s1, p1 := render()
	s2, p2 := render()
	if !bytes.Equal(s1, s2) || !bytes.Equal(p1, p2) {
		t.Error("same DOT gave different SVG or PNG bytes")
	}
	golden(t, "pla-jaxa.svg", s1)
	img, err := png.Decode(bytes.NewReader(p1))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	b := img.Bounds()
	if b.Dx() < 300 || b.Dy() < 100 {
		t.Errorf("PNG is %dx%d, too small to hold the diagram", b.Dx(), b.Dy())
	}
	// The PNG must have edge lines: go-graphviz's own PNG renderer drops
	// them. Count dark pixels between the PLA and Tick nodes' rows.
	dark := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0x6000 && g < 0x6000 && bl < 0x6000 {
				dark++
			}
		}
	}
	if dark < 2000 {
		t.Errorf("PNG has only %d dark pixels: lines or text are missing", dark)
	}
}

// hostileSeeds add a few strings to the corpus (testdata/
// hostile-strings.json) for the fuzz target's seeds.
var hostileSeeds = []string{
	`"; DROP`, `\N \G \E \L \n \\`, `<script>alert(1)</script>`, `javascript:alert(1)`,
	`]; node [shape=star`, `}`, "&amp; &lt; &#x41;", "bidi \u202Eevil\u202C text", "nul\x00byte", "tab\tnew\nline",
	"emoji 😀🇯🇵", `'}) DETACH DELETE n //`, `</text><script>x</script>`,
}

func TestHostileStringsInSVG(t *testing.T) {
	ctx := context.Background()
	gv, err := NewGraphviz(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer gv.Close()
	var corpus []string
	for _, h := range hostile.Strings() {
		corpus = append(corpus, h.Value)
	}
	for _, h := range append(corpus, hostileSeeds...) {
		g := &graph.Subgraph{
			Nodes:         []graph.Entity{{ID: "a", Kind: graph.KindGroup, Name: h}, {ID: "b", Kind: graph.KindVictim, Name: "B"}},
			Relationships: []graph.Relationship{{From: "a", Type: "ATTACKED", To: "b", Confidence: graph.Alleged, Sources: []string{"s"}}},
			Sources:       []graph.Source{{ID: "s", Publisher: h, Title: h, URL: "javascript:alert(1)"}},
		}
		var dot, svg bytes.Buffer
		if err := DOT(&dot, g, Options{Title: h}); err != nil {
			t.Fatal(err)
		}
		if err := gv.SVG(ctx, &svg, dot.Bytes(), "dot"); err != nil {
			t.Fatalf("%q: %v\n%s", h, err, dot.String())
		}
		texts, err := svgTexts(svg.Bytes())
		if err != nil {
			t.Fatalf("%q: SVG is not well-formed XML: %v", h, err)
		}
		all := strings.Join(texts, "\n")
		for _, line := range wrap(truncate(h, MaxLabel), 26) { // as DOT draws a name
			if line = Clean(line); len(h) < 1000 && !strings.Contains(all, line) {
				t.Errorf("%q: SVG text lacks %q", clipped(h), clipped(line))
			}
		}
		// JSON round-trips byte for byte; text carries nothing hidden.
		var js, txt bytes.Buffer
		if err := JSON(&js, g); err != nil {
			t.Fatal(err)
		}
		var back graph.Subgraph
		if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Nodes[0].Name != h || back.Sources[0].Title != h {
			t.Errorf("%q: JSON does not round-trip: %v", clipped(h), err)
		}
		if err := Text(&txt, g); err != nil {
			t.Fatal(err)
		}
		for _, r := range txt.String() {
			if hidden(r) && r != '\n' {
				t.Errorf("%q: text output carries %U", clipped(h), r)
			}
		}
		if bad := executable(svg.Bytes()); bad != "" {
			t.Errorf("%q: SVG carries executable content: %s", h, bad)
		}
		if strings.ContainsRune(all, '\u202E') {
			t.Errorf("%q: bidi override reached the SVG", h)
		}
	}
}

// executable finds script elements, event-handler attributes and
// non-http(s) links in an SVG.
func executable(svg []byte) string {
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			if strings.EqualFold(se.Name.Local, "script") || strings.EqualFold(se.Name.Local, "foreignObject") {
				return "<" + se.Name.Local + ">"
			}
			for _, a := range se.Attr {
				name := strings.ToLower(a.Name.Local)
				if strings.HasPrefix(name, "on") {
					return name + "=" + a.Value
				}
				if name == "href" && !strings.HasPrefix(a.Value, "http://") && !strings.HasPrefix(a.Value, "https://") {
					return "href=" + a.Value
				}
			}
		}
	}
}

func clipped(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func svgTexts(svg []byte) ([]string, error) {
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = true
	var out []string
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch x := tok.(type) {
		case xml.StartElement:
			inText = x.Name.Local == "text"
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if inText {
				out = append(out, string(x))
			}
		}
	}
}

func TestClean(t *testing.T) {
	cases := map[string]string{
		"plain":              "plain",
		"a\nb":               "a[U+000A]b",
		"\u202Eevil":         "[U+202E]evil",
		"\x1b[31mred":        "[U+001B][31mred",
		"ok 😀 日本":            "ok 😀 日本",
		string([]byte{0xff}): "\uFFFD",
	}
	for in, want := range cases {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLayoutFor(t *testing.T) {
	small := plaJaxa()
	if LayoutFor(small) != "dot" {
		t.Error("small graph should use dot")
	}
	big := &graph.Subgraph{}
	for i := 0; i < DotMaxNodes+1; i++ {
		big.Nodes = append(big.Nodes, graph.Entity{ID: string(rune('a' + i%26)), Kind: graph.KindVictim})
	}
	if LayoutFor(big) != "sfdp" {
		t.Error("big graph should use sfdp")
	}
}

func TestSafeURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://attack.mitre.org/groups/G0060":    "https://attack.mitre.org/groups/G0060",
		"javascript:alert(1)":                      "",
		"data:text/html,x":                         "",
		"//evil.example":                           "",
		`https://x/?q="><script>alert(1)</script>`: "https://x/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
		"https://x/a b'c":                          "https://x/a%20b%27c",
		"https://例え.jp/宇宙":                         "https://%E4%BE%8B%E3%81%88.jp/%E5%AE%87%E5%AE%99",
	} {
		if got := safeURL(in); got != want && !(want == "" && got == "") {
			if want == "" || got != want {
				t.Errorf("safeURL(%q) = %q, want %q", in, got, want)
			}
		}
	}
}

// TestBigGraphRenders: a 500-node, 2000-edge graph gets the sfdp layout
// and renders (dot would take many minutes on it).
func TestBigGraphRenders(t *testing.T) {
	g := &graph.Subgraph{}
	for i := 0; i < 500; i++ {
		g.Nodes = append(g.Nodes, graph.Entity{ID: fmt.Sprintf("e%03d", i), Kind: graph.KindGroup, Name: fmt.Sprintf("Entity %d", i)})
	}
	for i := 0; i < 2000; i++ {
		g.Relationships = append(g.Relationships, graph.Relationship{
			From: fmt.Sprintf("e%03d", i%500), Type: "AFFILIATED_WITH", To: fmt.Sprintf("e%03d", (i*7+1)%500), Confidence: graph.Alleged,
		})
	}
	if LayoutFor(g) != "sfdp" {
		t.Fatalf("layout %s for 500 nodes", LayoutFor(g))
	}
	var dot, svg bytes.Buffer
	if err := DOT(&dot, g, Options{}); err != nil {
		t.Fatal(err)
	}
	gv, err := NewGraphviz(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer gv.Close()
	if err := gv.SVG(context.Background(), &svg, dot.Bytes(), LayoutFor(g)); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(svg.String(), `class="node"`); n != 500 {
		t.Errorf("SVG has %d nodes, want 500", n)
	}
}

// FuzzDOT: any strings as id, name, type, dates and source fields give DOT
// that Graphviz parses, with exactly the nodes and edge we drew.
func FuzzDOT(f *testing.F) {
	for _, h := range hostileSeeds {
		f.Add("a", h, "ATTACKED", h, h)
	}
	f.Add(`x"y`, "n", `T\"`, "p", "https://x.example/\"><script>")
	f.Fuzz(func(t *testing.T, id, name, typ, publisher, url string) {
		if id == "b" {
			return
		}
		g := &graph.Subgraph{
			Nodes:         []graph.Entity{{ID: id, Kind: graph.KindGroup, Name: name, Aliases: []string{name}}, {ID: "b", Kind: graph.KindVictim, Name: "B"}},
			Relationships: []graph.Relationship{{From: id, Type: typ, To: "b", Confidence: graph.Alleged, Sources: []string{"s"}, Start: name}},
			Sources:       []graph.Source{{ID: "s", Publisher: publisher, Title: name, URL: url}},
		}
		var dot bytes.Buffer
		if err := DOT(&dot, g, Options{Title: name}); err != nil {
			t.Fatal(err)
		}
		gr, err := gvgraph.ParseBytes(dot.Bytes())
		if err != nil {
			t.Fatalf("DOT does not parse: %v\n%s", err, dot.String())
		}
		defer gr.Close()
		n := 0
		for node, _ := gr.FirstNode(); node != nil; node, _ = gr.NextNode(node) {
			// The drawn key's nodes have ids with a colon, which no
			// entity id can hold: only the graph's own count.
			if name, _ := node.Name(); !strings.HasPrefix(name, "key:") {
				n++
			}
		}
		if n != 2 {
			t.Fatalf("DOT has %d nodes, want 2:\n%s", n, dot.String())
		}
		var js, txt bytes.Buffer
		if err := JSON(&js, g); err != nil || !json.Valid(js.Bytes()) {
			t.Fatalf("JSON: %v", err)
		}
		if err := Text(&txt, g); err != nil {
			t.Fatal(err)
		}
		for _, r := range txt.String() {
			if hidden(r) && r != '\n' {
				t.Fatalf("text output carries %U", r)
			}
		}
	})
}

func TestMermaidGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Mermaid(&buf, plaJaxa(), Options{Title: "PLA → JAXA"}); err != nil {
		t.Fatal(err)
	}
	golden(t, "pla-jaxa.mmd", buf.Bytes())
}

// TestMermaidParses runs the mermaid library's own parser (Node.js, from
// internal/mermaidcheck; `npm ci --prefix internal/mermaidcheck` installs
// it) over the Tick diagram and a diagram of every hostile string.
func TestMermaidParses(t *testing.T) {
	dir, _ := filepath.Abs(filepath.Join("..", "internal", "mermaidcheck"))
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "mermaid")); err != nil {
		if os.Getenv("APTGRAPH_REQUIRE_TOOLS") == "1" {
			t.Fatalf("mermaid parser not installed in %s (npm ci --prefix internal/mermaidcheck)", dir)
		}
		t.Skipf("SKIP: mermaid parser not installed; run npm ci --prefix internal/mermaidcheck")
	}
	out := t.TempDir()
	write := func(name string, g *graph.Subgraph, title string) string {
		var buf bytes.Buffer
		if err := Mermaid(&buf, g, Options{Title: title}); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(out, name)
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	files := []string{write("tick.mmd", plaJaxa(), "PLA → JAXA")}
	for i, h := range hostile.Strings() {
		if len(h.Value) > 1000 {
			continue // Mermaid's own label limit; the escaping is the same
		}
		g := &graph.Subgraph{
			Nodes:         []graph.Entity{{ID: "a", Kind: graph.KindGroup, Name: h.Value}, {ID: "b", Kind: graph.KindVictim, Name: "B"}},
			Relationships: []graph.Relationship{{From: "a", Type: "ATTACKED", To: "b", Confidence: graph.Suspected, Sources: []string{"s"}, Start: h.Value}},
			Sources:       []graph.Source{{ID: "s", Publisher: h.Value, Title: h.Value}},
		}
		files = append(files, write(fmt.Sprintf("h%02d.mmd", i), g, h.Value))
	}
	cmd := exec.Command("node", append([]string{filepath.Join(dir, "check.mjs")}, files...)...)
	cmd.Dir = dir
	res, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("mermaid rejects our output: %v\n%s", err, res)
	}
}

func TestSTIXGoldenAndDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := STIX(&a, plaJaxa()); err != nil {
		t.Fatal(err)
	}
	if err := STIX(&b, plaJaxa()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two exports differ")
	}
	golden(t, "pla-jaxa.stix.json", a.Bytes())
	if got := uuid5("entity:tick"); got[14] != '5' || !strings.ContainsAny(got[19:20], "89ab") {
		t.Errorf("uuid5 %s is not a version-5 RFC 4122 UUID", got)
	}
}

// TestSTIXValidates runs the OASIS stix2-validator (PyPI stix2-validator,
// found on PATH or at $APTGRAPH_STIX_VALIDATOR) over the whole Tick case
// and over every hostile string: no errors allowed.
func TestSTIXValidates(t *testing.T) {
	validator := os.Getenv("APTGRAPH_STIX_VALIDATOR")
	if validator == "" {
		validator, _ = exec.LookPath("stix2_validator")
	}
	if validator == "" {
		if os.Getenv("APTGRAPH_REQUIRE_TOOLS") == "1" {
			t.Fatal("stix2_validator not found (pip install stix2-validator)")
		}
		t.Skip("SKIP: stix2_validator not found; pip install stix2-validator")
	}
	ds, _, err := loader.ReadAll(context.Background(), []string{filepath.Join("..", "testdata", "tick-2021.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	tick := &graph.Subgraph{Nodes: ds[0].Entities, Relationships: ds[0].Relationships, Sources: ds[0].Sources}
	hostileGraph := &graph.Subgraph{Sources: []graph.Source{}}
	for i, h := range hostile.Strings() {
		id := fmt.Sprintf("h%02d", i)
		hostileGraph.Nodes = append(hostileGraph.Nodes, graph.Entity{ID: id, Kind: graph.Kinds()[i%len(graph.Kinds())].Kind, Name: h.Value, Description: h.Value, Aliases: []string{h.Value}, Sources: []string{"s" + id}})
		hostileGraph.Sources = append(hostileGraph.Sources, graph.Source{ID: "s" + id, Publisher: h.Value, Title: h.Value, URL: "javascript:alert(1)"})
		if i > 0 {
			hostileGraph.Relationships = append(hostileGraph.Relationships, graph.Relationship{From: fmt.Sprintf("h%02d", i-1), Type: "ATTACKED", To: id, Confidence: graph.Alleged, Description: h.Value, Sources: []string{"s" + id}, Start: "2016", End: "2016"})
		}
	}
	graphs := map[string]*graph.Subgraph{"tick.json": tick, "hostile.json": hostileGraph}
	// The ATT&CK round trip: MITRE's bundle imported after the Tick case
	// (merged into tick), exported again.
	attack := filepath.Join("..", "..", "shared", "fixtures", "attack-g0060-bronze-butler.stix21.json")
	if _, err := os.Stat(attack); err == nil || os.Getenv("CI") != "" {
		both, _, err := loader.ReadAll(context.Background(), []string{filepath.Join("..", "testdata", "tick-2021.yaml"), attack})
		if err != nil {
			t.Fatal(err)
		}
		g := &graph.Subgraph{}
		seen := map[string]bool{}
		for _, d := range both {
			for _, e := range d.Entities {
				if !seen[e.ID] {
					seen[e.ID] = true
					g.Nodes = append(g.Nodes, e)
				}
			}
			g.Relationships = append(g.Relationships, d.Relationships...)
			g.Sources = append(g.Sources, d.Sources...)
		}
		graphs["attack-roundtrip.json"] = g
	}
	dir := t.TempDir()
	for name, g := range graphs {
		var buf bytes.Buffer
		if err := STIX(&buf, g); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		os.WriteFile(p, buf.Bytes(), 0o644)
		out, err := exec.Command(validator, p).CombinedOutput()
		if err != nil || !bytes.Contains(out, []byte("STIX JSON: Valid")) {
			t.Errorf("%s: stix2-validator: %v\n%s", name, err, out)
		}
	}
}

// TestGraphMLValidates checks GraphML output against the GraphML XML
// schema and imports it with JGraphT (internal/graphmlcheck, Java): the
// Tick case and every hostile string.
func TestGraphMLValidates(t *testing.T) {
	if why := javatool.Available(); why != "" {
		if os.Getenv("APTGRAPH_REQUIRE_TOOLS") == "1" {
			t.Fatal(why)
		}
		t.Skipf("SKIP: %s", why)
	}
	cp, err := javatool.Prepare(context.Background(), filepath.Join("..", "internal", "graphmlcheck"))
	if err != nil {
		t.Fatal(err)
	}
	ds, _, err := loader.ReadAll(context.Background(), []string{filepath.Join("..", "testdata", "tick-2021.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	tick := &graph.Subgraph{Nodes: ds[0].Entities, Relationships: ds[0].Relationships, Sources: ds[0].Sources}
	hostileGraph := &graph.Subgraph{}
	for i, h := range hostile.Strings() {
		id := fmt.Sprintf("h%02d", i)
		hostileGraph.Nodes = append(hostileGraph.Nodes, graph.Entity{ID: id, Kind: graph.KindGroup, Name: h.Value, Aliases: []string{h.Value}, Attributes: map[string]string{h.Value: h.Value}, Sources: []string{id}})
		hostileGraph.Sources = append(hostileGraph.Sources, graph.Source{ID: id, Publisher: h.Value, Title: h.Value, URL: h.Value})
		if i > 0 {
			hostileGraph.Relationships = append(hostileGraph.Relationships, graph.Relationship{From: fmt.Sprintf("h%02d", i-1), Type: "ATTACKED", To: id, Confidence: graph.Alleged, Description: h.Value, Start: h.Value})
		}
	}
	dir := t.TempDir()
	var files []string
	for name, g := range map[string]*graph.Subgraph{"tick.graphml": tick, "hostile.graphml": hostileGraph} {
		var buf bytes.Buffer
		if err := GraphML(&buf, g); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		os.WriteFile(p, buf.Bytes(), 0o644)
		files = append(files, p)
	}
	out, err := exec.Command("java", append([]string{"-cp", cp, "GraphMLCheck"}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("GraphML check: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("tick.graphml: ok 18 nodes 24 edges")) {
		t.Errorf("unexpected counts:\n%s", out)
	}
}

func TestGraphMLGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := GraphML(&buf, plaJaxa()); err != nil {
		t.Fatal(err)
	}
	golden(t, "pla-jaxa.graphml", buf.Bytes())
}

// TestMermaidNoDirective: a name, a title or a source holding a Mermaid
// directive never reaches the chart as one (mermaid 11 applied
// %%{init: …}%% from a label as configuration).
func TestMermaidNoDirective(t *testing.T) {
	evil := "%%{init: {'theme':'dark', 'themeCSS': 'url(https://evil.example/x)'}}%%"
	g := &graph.Subgraph{
		Nodes:         []graph.Entity{{ID: "a", Kind: graph.KindGroup, Name: evil, Sources: []string{"s"}}, {ID: "b", Kind: graph.KindVictim, Name: "B %%%{x}%%%"}},
		Relationships: []graph.Relationship{{From: "a", Type: "ATTACKED", To: "b", Confidence: graph.Alleged, Sources: []string{"s"}}},
		Sources:       []graph.Source{{ID: "s", Publisher: evil, Title: "%%%{init}%%"}},
	}
	cases := map[string]Options{"no title": {}, "evil title": {Title: evil}}
	for name, o := range cases {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Mermaid(&b, g, o); err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(b.String(), "\n") {
				body := strings.TrimSpace(line)
				body = strings.TrimPrefix(body, "%% [") // our own comment marker
				if strings.Contains(body, "%%") {
					t.Errorf("line %d holds %%%%: %s", i+1, line)
				}
			}
		})
	}
}

// TestSystemDotSVG: our DOT, rendered by the system's own Graphviz
// (dot -Tsvg, as an analyst does with -o p.dot), carries no script,
// event handler or non-http(s) link, whatever the names and source URLs
// hold. A source URL `https://x/?q="><script>…` once did.
func TestSystemDotSVG(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		if os.Getenv("APTGRAPH_REQUIRE_TOOLS") == "1" {
			t.Fatal("Graphviz's dot is not installed (apt-get install graphviz)")
		}
		t.Skip("SKIP: Graphviz's dot is not installed")
	}
	urls := []string{
		`https://x/?q="><script>alert(1)</script>`,
		`https://x/?q='><svg onload=alert(1)>`,
		`https://x/#"><a xlink:href="javascript:alert(1)">x</a>`,
		"https://x/?q=\"\x00\n<script>",
	}
	for _, h := range hostile.Strings() {
		urls = append(urls, "https://x/?q="+h.Value)
	}
	for i, u := range urls {
		t.Run(fmt.Sprintf("url-%02d", i), func(t *testing.T) {
			g := &graph.Subgraph{
				Nodes:         []graph.Entity{{ID: "a", Kind: graph.KindGroup, Name: u, Sources: []string{"s"}}, {ID: "b", Kind: graph.KindVictim, Name: "B"}},
				Relationships: []graph.Relationship{{From: "a", Type: "ATTACKED", To: "b", Confidence: graph.Alleged, Sources: []string{"s"}, Description: u}},
				Sources:       []graph.Source{{ID: "s", Publisher: "P", Title: u, URL: u}},
			}
			var d bytes.Buffer
			if err := DOT(&d, g, Options{Title: u}); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(dot, "-Tsvg")
			cmd.Stdin = &d
			svg, err := cmd.Output()
			if err != nil {
				t.Fatalf("dot -Tsvg: %v", err)
			}
			if bad := executable(svg); bad != "" {
				t.Errorf("%q: dot's SVG carries executable content: %s", clipped(u), bad)
			}
			if bytes.Contains(bytes.ToLower(svg), []byte("<script")) {
				t.Errorf("%q: dot's SVG holds <script", clipped(u))
			}
		})
	}
}

// A layout so long and thin that a PNG of MaxPNGSide pixels would draw
// its text under 4 pixels high is refused with ErrTooBig; one that fits
// at a readable scale is drawn.
func TestPNGTooThin(t *testing.T) {
	for _, tc := range []struct {
		name   string
		bb     string
		tooBig bool
	}{
		{"thin", "0,0,40000,20", true},
		{"wide but readable", "0,0,16000,400", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			layout := `{"bb": "` + tc.bb + `", "objects": [], "edges": []}`
			var buf bytes.Buffer
			err := paintPNG(&buf, []byte(layout), 2)
			if got := errors.Is(err, ErrTooBig); got != tc.tooBig {
				t.Fatalf("paintPNG: %v; want too big %v", err, tc.tooBig)
			}
		})
	}
}

// TestPNGCJK: names in Japanese and Chinese script are drawn with their
// glyphs in a PNG (the Go fonts have none: they came out as boxes), from
// a CJK font installed on the machine; with none, a PNG of CJK text is
// refused saying what to install.
func TestPNGCJK(t *testing.T) {
	const jaxa, unit = "宇宙航空研究開発機構", "中国人民解放軍61419部隊"
	if _, path, err := findFallback([]rune(jaxa+unit), fontDirs()); err != nil {
		if os.Getenv("APTGRAPH_REQUIRE_TOOLS") == "1" {
			t.Fatal("no CJK font installed (apt install fonts-droid-fallback)")
		}
		t.Skip("SKIP: no CJK font installed (apt install fonts-droid-fallback)")
	} else {
		t.Logf("CJK glyphs from %s", path)
	}
	// Two different strings draw differently only with real glyphs:
	// the Go font draws both as the same row of boxes.
	draw := func(fs *fonts, s string) []byte {
		dc := gg.NewContext(200, 40)
		dc.SetColor(color.White)
		dc.Clear()
		dc.SetColor(color.Black)
		dc.SetFontFace(fs.face(false, false, 20))
		dc.DrawString(s, 2, 30)
		var b bytes.Buffer
		png.Encode(&b, dc.Image())
		return b.Bytes()
	}
	with, err := loadFonts([]string{jaxa, unit}, fontDirs())
	if err != nil {
		t.Fatal(err)
	}
	without, err := loadFonts(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(draw(without, "宇宙航空"), draw(without, "中国人民")) == false {
		t.Fatal("the Go font alone draws CJK: this test can no longer tell glyphs from boxes")
	}
	if bytes.Equal(draw(with, "宇宙航空"), draw(with, "中国人民")) {
		t.Error("宇宙航空 and 中国人民 draw the same: boxes, not glyphs")
	}
	g := &graph.Subgraph{
		Nodes:         []graph.Entity{{ID: "unit", Kind: graph.KindUnit, Name: unit}, {ID: "jaxa", Kind: graph.KindVictim, Name: jaxa}},
		Relationships: []graph.Relationship{{From: "unit", Type: "ATTACKED", To: "jaxa", Confidence: graph.Alleged}},
	}
	var out bytes.Buffer
	pngFormat, ok := FormatNamed("png")
	if !ok {
		t.Fatal("no png format")
	}
	if err := pngFormat.Write(context.Background(), &out, g, Options{Title: unit + " → " + jaxa}); err != nil {
		t.Fatalf("PNG with CJK names: %v", err)
	}
	// No font: refused, saying what to install.
	if _, err := loadFonts([]string{jaxa}, nil); err == nil || !strings.Contains(err.Error(), "apt install fonts-droid-fallback") {
		t.Errorf("no CJK font: %v", err)
	}
	// Other scripts no font covers are drawn as the Go font can.
	if _, err := loadFonts([]string{"𒀀"}, nil); err != nil {
		t.Errorf("cuneiform without a font: %v", err)
	}
}
