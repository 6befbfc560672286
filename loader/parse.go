// Package loader reads dataset files (YAML or JSON), reports every problem
// in them with file:line:column, and turns them into graph.Datasets.
package loader

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/aptgraph/aptgraph/graph"
)

// MaxFileSize bounds what one dataset file may hold; larger inputs are
// refused before parsing rather than exhausting memory.
const MaxFileSize = 64 << 20

// MaxString bounds one value or key: no name, description or title needs
// more, and every output copies each value (a 10 MB name once made a
// 70 MB SVG).
const MaxString = 1 << 20

// checkLengths reports every value or key longer than MaxString, and
// whether there was none. It walks with its own stack: the parsers bound
// the depth, but a walk need not rely on it.
func (p *parser) checkLengths(root *yaml.Node) bool {
	ok := true
	stack := []*yaml.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Kind == yaml.ScalarNode && len(n.Value) > MaxString {
			p.errorf(n, "shorten it; keep long texts in the report the source points to", "a value of %d bytes; one value may hold at most %d MiB", len(n.Value), MaxString>>20)
			ok = false
		}
		stack = append(stack, n.Content...)
	}
	return ok
}

// File is one parsed dataset file with the positions of what it defines,
// kept for cross-file checks.
type File struct {
	Name    string
	Dataset graph.Dataset
	// STIX is set when the file was a STIX 2.1 bundle.
	STIX *STIXReport

	at map[string]*yaml.Node // "entity:ID", "source:ID", "rel:N" → the item's node
}

type parser struct {
	file    string
	diags   Diagnostics
	include map[string]bool // STIX types to keep as kind other
}

func (p *parser) add(sev Severity, n *yaml.Node, hint, format string, args ...any) {
	line, col := 1, 1
	if n != nil {
		line, col = n.Line, n.Column
	}
	p.diags = append(p.diags, Diagnostic{File: p.file, Line: line, Column: col, Severity: sev, Message: fmt.Sprintf(format, args...), Hint: hint})
}

func (p *parser) errorf(n *yaml.Node, hint, format string, args ...any) {
	p.add(Error, n, hint, format, args...)
}

const emptyHint = "start the file with `dataset: NAME`, then `sources:`, `entities:` and `relationships:` lists"

// ReadFile reads and parses one dataset file. I/O errors are returned as
// errors; problems in the content come back as diagnostics.
func ReadFile(name string) (*File, Diagnostics, error) {
	return ReadFileWith(name, nil)
}

// ReadFileWith is ReadFile keeping the STIX object types in include (or
// all of them, for "all") that have no mapping, as entities of kind other.
func ReadFileWith(name string, include []string) (*File, Diagnostics, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, nil, fmt.Errorf("read dataset: %w", err)
	}
	if st.IsDir() {
		return nil, nil, fmt.Errorf("read dataset %s: is a directory; give the dataset files inside it", name)
	}
	if st.Size() > MaxFileSize {
		return nil, nil, fmt.Errorf("read dataset %s: %d bytes is more than the %d MiB a dataset file may hold; split it", name, st.Size(), MaxFileSize>>20)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, fmt.Errorf("read dataset: %w", err)
	}
	f, diags := ParseWith(name, data, include)
	return f, diags, nil
}

// Parse parses a dataset from YAML or JSON text; the file name is used in
// diagnostics and, by its extension, to choose strict JSON checking. It
// never panics on any input.
func Parse(name string, data []byte) (*File, Diagnostics) { return ParseWith(name, data, nil) }

// ParseWith is Parse with the STIX types to keep (see ReadFileWith).
func ParseWith(name string, data []byte, include []string) (*File, Diagnostics) {
	p := &parser{file: name, include: map[string]bool{}}
	for _, t := range include {
		p.include[strings.ToLower(strings.TrimSpace(t))] = true
	}
	f := &File{Name: name, at: map[string]*yaml.Node{}}
	// A byte-order mark is no part of the text (editors on Windows add
	// one); encoding/json would call it an invalid character.
	data = bytes.TrimPrefix(data, bom)
	if !utf8.Valid(data) {
		p.errorf(nil, "save the file as UTF-8", "file is not valid UTF-8 text")
		return f, p.diags
	}
	if len(bytes.TrimSpace(data)) == 0 {
		p.errorf(nil, emptyHint, "file is empty")
		return f, p.diags
	}
	asJSON := isJSON(name, data)
	if asJSON {
		if err := checkJSON(data); err != nil {
			line, col := offsetPos(data, err.offset)
			p.diags = append(p.diags, Diagnostic{File: name, Line: line, Column: col, Severity: Error, Message: "invalid JSON: " + err.msg, Hint: "fix the JSON syntax"})
			return f, p.diags
		}
	}
	var doc yaml.Node
	if asJSON {
		n, err := jsonNode(data)
		if err != nil {
			p.errorf(nil, "fix the JSON syntax", "invalid JSON: %v", err)
			return f, p.diags
		}
		doc = *n
	} else if err := p.oneYAMLDocument(data, &doc); err != nil {
		return f, p.diags
	}
	if doc.Kind == 0 || len(doc.Content) == 0 || isNull(doc.Content[0]) {
		p.errorf(nil, emptyHint, "file is empty")
		return f, p.diags
	}
	root := doc.Content[0]
	if !p.checkLengths(root) {
		return f, p.diags
	}
	if isSTIXBundle(root) {
		p.parseSTIX(f, data, root)
		p.diags.sort()
		return f, p.diags
	}
	if isMISPGalaxy(root) {
		p.parseMISPGalaxy(f, data, root)
		p.diags.sort()
		return f, p.diags
	}
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "the top level must be a mapping with the keys dataset, sources, entities and relationships", "wrong top-level shape: found %s", describe(root))
		return f, p.diags
	}
	fields := p.fields(root, datasetFields, "dataset file")
	if n := fields["dataset"]; n != nil {
		f.Dataset.Name = p.str(n, datasetFields[0])
	}
	if n := fields["tlp"]; n != nil {
		def := graph.TLP(p.str(n, datasetFields[len(datasetFields)-1]))
		defer defaultTLP(&f.Dataset, def)
	}
	if n := fields["sources"]; n != nil {
		for _, item := range p.items(n, "sources") {
			s, fs := p.source(item)
			if s.ID != "" {
				if prev, dup := f.at["source:"+s.ID]; dup {
					p.errorf(fs["id"], "give each source its own id", "duplicate source id %q (first defined at line %d)", s.ID, prev.Line)
				} else {
					f.at["source:"+s.ID] = item
				}
			}
			f.Dataset.Sources = append(f.Dataset.Sources, s)
		}
	}
	if n := fields["entities"]; n != nil {
		for _, item := range p.items(n, "entities") {
			e, fs := p.entity(item)
			if e.ID != "" {
				if prev, dup := f.at["entity:"+e.ID]; dup {
					p.errorf(fs["id"], "give each entity its own id, or merge the two entries", "duplicate entity id %q (first defined at line %d)", e.ID, prev.Line)
				} else {
					f.at["entity:"+e.ID] = item
				}
			}
			f.Dataset.Entities = append(f.Dataset.Entities, e)
		}
	}
	if n := fields["relationships"]; n != nil {
		seen := map[graph.RelKey]*yaml.Node{}
		for _, item := range p.items(n, "relationships") {
			r := p.relationship(item)
			if r.From != "" && r.Type != "" && r.To != "" {
				if prev, dup := seen[r.Key()]; dup {
					p.errorf(item, "merge the two entries: list all their sources on one", "duplicate relationship %s (first at line %d)", r.Key(), prev.Line)
				} else {
					seen[r.Key()] = item
				}
			}
			f.at["rel:"+strconv.Itoa(len(f.Dataset.Relationships))] = item
			f.Dataset.Relationships = append(f.Dataset.Relationships, r)
		}
	}
	p.diags.sort()
	return f, p.diags
}

// oneYAMLDocument decodes the file's one YAML document into doc. What
// follows it (a second document after ---, or text the first does not
// take) is an error at its line: ignoring it silently once let a load
// with --prune remove everything the rest of the input held.
func (p *parser) oneYAMLDocument(data []byte, doc *yaml.Node) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(doc); err != nil && !errors.Is(err, io.EOF) {
		p.diags = append(p.diags, Diagnostic{File: p.file, Line: yamlErrorLine(err), Column: 1, Severity: Error, Message: "invalid YAML: " + yamlErrorText(err), Hint: "fix the syntax; indent with spaces, not tabs"})
		return err
	}
	var next yaml.Node
	err := dec.Decode(&next)
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil {
		p.diags = append(p.diags, Diagnostic{File: p.file, Line: yamlErrorLine(err), Column: 1, Severity: Error, Message: "invalid YAML after the first document: " + yamlErrorText(err), Hint: "a dataset file holds one YAML document; remove what follows it"})
		return err
	}
	err = errors.New("more than one YAML document")
	p.errorf(&next, "a dataset file holds one YAML document: split the others into files of their own (a JSON Lines file must be named .jsonl or have one JSON object per line)", "a second YAML document starts here")
	return err
}

// aliasFields are the long form of an alias: the name and the sources
// that give it.
var aliasFields = []field{
	{name: "name", typ: fString, required: true, doc: "the other name"},
	{name: "sources", typ: fList, doc: "ids of the sources that give this name"},
}

// aliases reads an entity's aliases: names, or mappings in the long form
// that say which sources give a name.
func (p *parser) aliases(n *yaml.Node) ([]string, map[string][]string) {
	var names []string
	var from map[string][]string
	p.longList(n, "names, or {name: …, sources: […]}", "alias", func(v string) { names = append(names, v) }, func(c *yaml.Node) {
		fs := p.fields(c, aliasFields, "alias")
		name := p.get(fs, aliasFields, "name")
		if name == "" {
			return
		}
		names = append(names, name)
		if ss := p.list(fs["sources"]); len(ss) > 0 {
			if from == nil {
				from = map[string][]string{}
			}
			from[name] = append(from[name], ss...)
		}
	})
	return names, from
}

// longList walks a list whose items are text or, in the long form,
// mappings: short gets each text, long each mapping; anything else is an
// error saying what the items may be.
func (p *parser) longList(n *yaml.Node, items, what string, short func(string), long func(*yaml.Node)) {
	if n == nil || isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "write a list: [a, b] or one `- a` per line", "expected a list, found %s", describe(n))
		return
	}
	for _, c := range n.Content {
		switch {
		case c.Kind == yaml.ScalarNode && strings.TrimSpace(c.Value) != "":
			short(c.Value)
		case c.Kind == yaml.MappingNode:
			long(c)
		default:
			p.errorf(c, "list items are "+items, "bad %s: %s", what, describe(c))
		}
	}
}

// citations reads a relationship's sources: ids, or mappings in the long
// form that give a source's own confidence, quote and locator.
func (p *parser) citations(n *yaml.Node) ([]string, []graph.Citation) {
	var ids []string
	var cites []graph.Citation
	p.longList(n, "source ids, or {id: …, confidence: …, quote: …, locator: …}", "source", func(v string) { ids = append(ids, v) }, func(c *yaml.Node) {
		fs := p.fields(c, citationFields, "source citation")
		ct := graph.Citation{Source: p.get(fs, citationFields, "id"), Quote: p.get(fs, citationFields, "quote"),
			Locator: p.get(fs, citationFields, "locator"), Confidence: graph.Confidence(p.get(fs, citationFields, "confidence"))}
		if ct.Source != "" {
			ids = append(ids, ct.Source)
			cites = append(cites, ct)
		}
	})
	return ids, cites
}

// defaultTLP marks every item of ds that has no marking of its own.
func defaultTLP(ds *graph.Dataset, def graph.TLP) {
	if def == "" {
		return
	}
	for i := range ds.Sources {
		ds.Sources[i].TLP = cmp.Or(ds.Sources[i].TLP, def)
	}
	for i := range ds.Entities {
		ds.Entities[i].TLP = cmp.Or(ds.Entities[i].TLP, def)
	}
	for i := range ds.Relationships {
		ds.Relationships[i].TLP = cmp.Or(ds.Relationships[i].TLP, def)
	}
}

// source decodes and checks one source item.
func (p *parser) source(item *yaml.Node) (graph.Source, map[string]*yaml.Node) {
	fs := p.fields(item, sourceFields, "source")
	s := graph.Source{
		ID:          p.get(fs, sourceFields, "id"),
		Publisher:   p.get(fs, sourceFields, "publisher"),
		Title:       p.get(fs, sourceFields, "title"),
		Date:        p.get(fs, sourceFields, "date"),
		URL:         p.get(fs, sourceFields, "url"),
		Description: p.get(fs, sourceFields, "description"),
		TLP:         graph.TLP(p.get(fs, sourceFields, "tlp")),
	}
	p.invisible(fs["publisher"], "publisher", s.Publisher)
	p.invisible(fs["title"], "title", s.Title)
	if s.URL != "" && !httpURL(s.URL) {
		p.errorf(fs["url"], "use an http:// or https:// link", "url %q is not an http(s) URL", clip(s.URL))
	} else if c, bad := unencoded(s.URL); bad {
		what := fmt.Sprintf("%q", string(rune(c)))
		if c >= 0x80 {
			what = "non-ASCII text"
		}
		p.errorf(fs["url"], fmt.Sprintf("percent-encode it as RFC 3986 says (%%%02X…)", c), "url holds %s, which a URL may not hold as it is", what)
	}
	return s, fs
}

// entity decodes and checks one entity item.
func (p *parser) entity(item *yaml.Node) (graph.Entity, map[string]*yaml.Node) {
	fs := p.fields(item, entityFields, "entity")
	e := graph.Entity{
		ID:          p.get(fs, entityFields, "id"),
		Name:        p.get(fs, entityFields, "name"),
		Description: p.get(fs, entityFields, "description"),
		Country:     p.get(fs, entityFields, "country"),

		Sources:     p.list(fs["sources"]),
		ExternalIDs: p.strMap(fs["external_ids"]),
		Attributes:  p.strMap(fs["attributes"]),
		TLP:         graph.TLP(p.get(fs, entityFields, "tlp")),
	}
	if k := p.get(fs, entityFields, "kind"); k != "" {
		e.Kind = graph.Kind(k)
	}
	e.Aliases, e.AliasSources = p.aliases(fs["aliases"])
	for _, a := range graph.SortedKeys(e.AliasSources) {
		// A source of an alias backs one of the entity's own facts.
		e.Sources = append(e.Sources, e.AliasSources[a]...)
	}
	for i, r := range p.list(fs["roles"]) {
		k, ok := graph.ParseKind(r)
		switch {
		case !ok:
			p.errorf(listItem(item, "roles", i), "use one of: "+strings.Join(graph.KindNames(), ", "), "unknown role %q: a role is another kind", clip(r))
		case k == e.Kind:
			p.errorf(listItem(item, "roles", i), "remove it: the entity is that kind already", "role %q is the entity's own kind", r)
		default:
			e.Roles = append(e.Roles, k)
		}
	}
	p.invisible(fs["name"], "name", e.Name)
	for i, a := range e.Aliases {
		p.invisible(listItem(item, "aliases", i), "alias", a)
	}
	return e, fs
}

// invisible warns about a name that holds a character that shows nothing
// or reorders the text around it: two such names can look identical and
// differ (outputs show the character as [U+XXXX]).
func (p *parser) invisible(n *yaml.Node, what, s string) {
	if r, ok := graph.FirstInvisible(s); ok {
		p.add(Warning, n, "remove it unless the name really holds it; outputs show it as [U+XXXX]", "%s holds the invisible character U+%04X, so it can look like another name", what, r)
	}
}

// relationship decodes and checks one relationship item.
func (p *parser) relationship(item *yaml.Node) graph.Relationship {
	fs := p.fields(item, relationshipFields, "relationship")
	r := graph.Relationship{
		From:        p.get(fs, relationshipFields, "from"),
		Type:        p.get(fs, relationshipFields, "type"),
		To:          p.get(fs, relationshipFields, "to"),
		Start:       p.get(fs, relationshipFields, "start"),
		End:         p.get(fs, relationshipFields, "end"),
		Description: p.get(fs, relationshipFields, "description"),
		Via:         p.list(fs["via"]),
		TLP:         graph.TLP(p.get(fs, relationshipFields, "tlp")),
		Attributes:  p.strMap(fs["attributes"]),
	}
	if len(r.Via) > 0 && r.Type != "" && !slices.Contains(graph.AttributionRules.Final, r.Type) {
		p.errorf(fs["via"], "put via on the attack claim (ATTACKED or TARGETED) that went through these entities", "via is only for %s, not %s", strings.Join(graph.AttributionRules.Final, " and "), r.Type)
	}
	for i, id := range r.Via {
		if !graph.IDPattern.MatchString(id) {
			p.errorf(listItem(item, "via", i), "use the id of an entity", "via: %q is not an entity id", clip(id))
		}
	}
	r.Sources, r.Citations = p.citations(fs["sources"])
	if c := p.get(fs, relationshipFields, "confidence"); c != "" {
		r.Confidence = graph.Confidence(c)
	}
	// The claim is as sure as its surest source (each source's own hedge
	// stays with its citation).
	for _, c := range r.Citations {
		if c.Confidence.Rank() > r.Confidence.Rank() {
			r.Confidence = c.Confidence
		}
	}
	if r.Confidence == "" && fs["confidence"] == nil {
		p.errorf(item, "add `confidence: …` (how sure the sources are), or give each source its own in the long form", "relationship is missing required field %q", "confidence")
	}
	if fs["sources"] != nil && len(r.Sources) == 0 && fs["sources"].Kind == yaml.SequenceNode {
		p.errorf(fs["sources"], "cite at least one source id", "relationship has an empty sources list")
	}
	if r.Type != "" && graph.TypePattern.MatchString(r.Type) && !graph.InVocabulary(r.Type) {
		hint := "types outside the vocabulary are allowed; check the spelling"
		if s := suggest(r.Type, vocabNames()); s != "" {
			hint = fmt.Sprintf("did you mean %s?", s)
		}
		p.add(Warning, fs["type"], hint, "relationship type %s is not in the vocabulary", r.Type)
	}
	if r.Start != "" && r.End != "" && graph.ValidDate(r.Start) == nil && graph.ValidDate(r.End) == nil && r.End < r.Start[:min(len(r.Start), len(r.End))] {
		p.errorf(fs["end"], "swap start and end", "end %s is before start %s", r.End, r.Start)
	}
	return r
}

func vocabNames() []string {
	var out []string
	for _, v := range graph.Vocabulary() {
		out = append(out, v.Type)
	}
	return out
}

// unencoded finds the first byte of a URL that RFC 3986 allows only
// percent-encoded: space, control bytes, " < > \ ^ ` { | } and non-ASCII
// bytes. Such a URL is refused rather than passed on: written into a
// diagram, `"><script>` in a query once became live script.
func unencoded(u string) (byte, bool) {
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"<>\\^`{|}", c) >= 0 {
			return c, true
		}
	}
	return 0, false
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// fields checks a mapping against the field table: every key known (with
// a did-you-mean for typos), every required key present. It returns the
// value nodes by key.
func (p *parser) fields(n *yaml.Node, table []field, what string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, fmt.Sprintf("write each %s as a mapping of field: value", what), "%s must be a mapping, found %s", what, describe(n))
		return out
	}
	names := fieldNames(table)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		known := false
		for _, f := range table {
			if f.name == k.Value {
				known = true
			}
		}
		if !known {
			hint := "known fields: " + strings.Join(names, ", ")
			if s := suggest(k.Value, names); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			} else if n.Style&yaml.FlowStyle != 0 && isNull(v) {
				// {title: Report (App. A, App. B)}: in a flow mapping a
				// comma ends the value, and what follows reads as a key.
				hint = "a comma inside { } ends a value: put the value before it in quotes (title: \"…, …\")"
			}
			p.errorf(k, hint, "unknown field %q in %s", clip(k.Value), what)
			continue
		}
		if _, dup := out[k.Value]; dup {
			p.errorf(k, "remove one of them", "field %q given twice", k.Value)
			continue
		}
		out[k.Value] = v
	}
	for _, f := range table {
		if v, ok := out[f.name]; f.required && (!ok || isNull(v)) {
			at := n
			if ok {
				at = v
			}
			p.errorf(at, fmt.Sprintf("add `%s: …` (%s)", f.name, f.doc), "%s is missing required field %q", what, f.name)
		}
	}
	return out
}

// get decodes a string field and checks its enum, pattern and date rules.
func (p *parser) get(fs map[string]*yaml.Node, table []field, name string) string {
	n := fs[name]
	if n == nil {
		return ""
	}
	for _, f := range table {
		if f.name == name {
			return p.str(n, f)
		}
	}
	return ""
}

func (p *parser) str(n *yaml.Node, f field) string {
	if isNull(n) {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, "write it as a single value", "%s must be a text value, found %s", f.name, describe(n))
		return ""
	}
	v := n.Value
	if strings.TrimSpace(v) == "" {
		if f.required {
			p.errorf(n, "give it a value", "%s is empty", f.name)
		}
		return ""
	}
	switch {
	case f.enum != nil:
		allowed := f.enum()
		for _, a := range allowed {
			if a == v {
				return v
			}
		}
		hint := fmt.Sprintf("use one of: %s", strings.Join(allowed, ", "))
		if s := suggest(v, allowed); s != "" {
			hint = fmt.Sprintf("did you mean %q? (%s)", s, hint[len("use "):])
		}
		p.errorf(n, hint, "unknown %s %q", f.name, clip(v))
		return ""
	case f.pattern != nil:
		if !f.pattern.MatchString(v) {
			if f.name == "type" {
				p.errorf(n, "relationship types are UPPER_SNAKE identifiers like ATTACKED or PART_OF (letters, digits, _; up to 64)", "malformed relationship type %q", clip(v))
			} else {
				p.errorf(n, "ids are lower-case slugs: a-z, 0-9, '.', '_' and '-', starting with a letter or digit, up to 128 characters", "malformed %s %q", f.name, clip(v))
			}
			return ""
		}
	case f.date:
		if err := graph.ValidDate(v); err != nil {
			p.errorf(n, "write dates as YYYY, YYYY-MM or YYYY-MM-DD", "malformed %s: %v", f.name, err)
			return ""
		}
	}
	return v
}

func (p *parser) list(n *yaml.Node) []string {
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "write a list: [a, b] or one `- a` per line", "expected a list, found %s", describe(n))
		return nil
	}
	var out []string
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode || strings.TrimSpace(c.Value) == "" {
			p.errorf(c, "list items must be non-empty text values", "bad list item: %s", describe(c))
			continue
		}
		out = append(out, c.Value)
	}
	return out
}

func (p *parser) strMap(n *yaml.Node) map[string]string {
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "write a mapping of key: value", "expected a mapping, found %s", describe(n))
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || strings.TrimSpace(k.Value) == "" {
			p.errorf(k, "keys must be non-empty text", "bad key: %s", describe(k))
			continue
		}
		if v.Kind != yaml.ScalarNode || isNull(v) {
			p.errorf(v, "values must be single text values", "bad value for %q: %s", clip(k.Value), describe(v))
			continue
		}
		if _, dup := out[k.Value]; dup {
			p.errorf(k, "remove one of them", "key %q given twice", clip(k.Value))
			continue
		}
		out[k.Value] = v.Value
	}
	return out
}

func (p *parser) items(n *yaml.Node, section string) []*yaml.Node {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, fmt.Sprintf("write %s as a list: one `- …` entry per item", section), "%s must be a list, found %s", section, describe(n))
		return nil
	}
	return n.Content
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing"
		}
		return fmt.Sprintf("the value %q", clip(n.Value))
	}
	return "nothing"
}

// clip shortens hostile or huge values before they go into a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 80 {
		return s
	}
	r := []rune(s)
	return string(r[:77]) + "…"
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func yamlErrorLine(err error) int {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		if n, e := strconv.Atoi(m[1]); e == nil {
			return n
		}
	}
	return 1
}

func yamlErrorText(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = regexp.MustCompile(`^line \d+: `).ReplaceAllString(s, "")
	return s
}

type jsonErr struct {
	offset int64
	msg    string
}

func checkJSON(data []byte) *jsonErr {
	dec := json.NewDecoder(bytes.NewReader(data))
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return &jsonErr{se.Offset, se.Error()}
		}
		return &jsonErr{int64(len(data)), err.Error()}
	}
	if dec.More() {
		return &jsonErr{dec.InputOffset(), "more than one JSON value in the file"}
	}
	return nil
}

func offsetPos(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col = 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
