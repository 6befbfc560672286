package loader

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/aptgraph/aptgraph/graph"
)

// JSON Lines is the streaming dataset format, for loads too big to hold
// in memory (a million relationships): the first line is the header
// {"dataset": NAME, "description": …}; then one item per line, wrapped in
// its section's name — {"source": {…}}, then {"entity": {…}}, then
// {"relationship": {…}} — with the same fields and rules as YAML and
// JSON. Sections come in that order so that a load can write each line's
// item after the items it refers to. Blank lines are ignored.

// IsStream reports whether name is a JSON Lines dataset (.jsonl, .ndjson).
func IsStream(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		return true
	}
	return false
}

// MaxLine bounds one line of a JSON Lines file (one item).
const MaxLine = 8 << 20

// MaxStreamDiagnostics bounds how many problems a JSON Lines check lists
// before it stops: a million bad lines are one problem repeated.
const MaxStreamDiagnostics = 1000

// Stream is a JSON Lines dataset that CheckStream validated; Parts reads
// it again, part by part, for a load.
type Stream struct {
	File    string
	Dataset string
	// Counts of what the file holds.
	Sources, Entities, Relationships int

	size int64
	mod  time.Time
}

var streamSections = []field{
	{name: "source", typ: fMap, doc: "one source, with the fields of a YAML source"},
	{name: "entity", typ: fMap, doc: "one entity, with the fields of a YAML entity"},
	{name: "relationship", typ: fMap, doc: "one relationship, with the fields of a YAML relationship"},
}

var streamHeader = []field{datasetFields[0], datasetFields[1]}

const streamHint = `the first line is {"dataset": "NAME"}; then one {"source": {…}}, {"entity": {…}} or {"relationship": {…}} per line, in that order`

// streamCheck holds what validating a JSON Lines file must remember:
// ids and their lines, never the items themselves.
type streamCheck struct {
	p        *parser
	known    Known
	st       *Stream
	sources  map[string]int
	entities map[string]int
	rels     map[[2]uint64]int
	fp       graph.Fingerprinter
	cited    map[string]bool
	// References not defined in the file, resolved against known in
	// batches: id → where it was cited.
	pendingEntities map[string][]citation
	pendingSources  map[string][]citation
	more            int // problems not listed past MaxStreamDiagnostics
}

// CheckStream validates a JSON Lines dataset in one pass, in memory that
// grows with the number of ids, not with the file: every problem with
// file:line:column (up to MaxStreamDiagnostics), references resolved
// within the file and against known (may be nil).
func CheckStream(ctx context.Context, name string, known Known) (*Stream, Diagnostics, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, nil, fmt.Errorf("read dataset: %w", err)
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("read dataset: %w", err)
	}
	if fi.IsDir() {
		return nil, nil, fmt.Errorf("read dataset %s: is a directory; give the dataset files inside it", name)
	}
	c := &streamCheck{
		// alsoKnown with no files of its own answers "unknown" when there
		// is no store.
		p: &parser{file: name}, known: alsoKnown{store: known},
		st:              &Stream{File: name, size: fi.Size(), mod: fi.ModTime()},
		sources:         map[string]int{},
		entities:        map[string]int{},
		rels:            map[[2]uint64]int{},
		fp:              graph.NewFingerprinter(),
		cited:           map[string]bool{},
		pendingEntities: map[string][]citation{},
		pendingSources:  map[string][]citation{},
	}
	section := -1 // -1: header expected; then the index in streamSections
	err = checkLines(ctx, fh, name, func(r lineResult) error {
		if r.blank {
			return nil
		}
		if len(c.p.diags) >= MaxStreamDiagnostics {
			c.more++
			return nil
		}
		if r.n == nil {
			c.p.diags = append(c.p.diags, r.diags...)
			if section < 0 {
				section = 0
			}
			return nil
		}
		if section < 0 {
			section = 0
			if c.header(r.n) {
				return nil
			}
			c.p.errorf(r.n, streamHint, "the first line must be the header with the dataset name")
		}
		if r.sec < 0 {
			c.section(r.n) // reports what is wrong with the line
			return nil
		}
		if r.sec < section {
			c.p.errorf(r.n, "write all sources, then all entities, then all relationships: a load writes each line after what it refers to",
				"%s after the %s section", streamSections[r.sec].name, []string{"sources", "entities", "relationships"}[section])
			return nil
		}
		section = r.sec
		c.p.diags = append(c.p.diags, r.diags...)
		switch r.sec {
		case 0:
			c.source(r.src, r.fs, r.item)
		case 1:
			c.entity(r.ent, r.fs, r.item)
		case 2:
			return c.relationship(ctx, r.rel, r.item)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, errLongLine) {
			return nil, nil, fmt.Errorf("read dataset %s: a line is longer than %d MiB; one item per line", name, MaxLine>>20)
		}
		return nil, nil, fmt.Errorf("read dataset %s: %w", name, err)
	}
	if section < 0 {
		c.p.errorf(nil, streamHint, "file is empty")
	}
	if err := c.resolve(ctx); err != nil {
		return nil, nil, err
	}
	for _, id := range graph.SortedKeys(c.sources) {
		if !c.cited[id] {
			c.p.add(Warning, &yaml.Node{Line: c.sources[id], Column: 1}, "cite it from a relationship or entity, or remove it", "source %q is never cited", id)
		}
	}
	if c.more > 0 {
		c.p.errorf(nil, "fix these and check again", "%d more problems not listed", c.more)
	}
	c.p.diags.sort()
	if c.p.diags.Errors() > 0 {
		return nil, c.p.diags, &ValidationError{Diagnostics: c.p.diags}
	}
	return c.st, c.p.diags, nil
}

var errLongLine = errors.New("line too long")

// errStopped ends reading when the checker has stopped listening.
var errStopped = errors.New("stopped")

// scanLines calls fn with each line (without its newline) and its number.
func scanLines(r io.Reader, fn func(line int, data []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), MaxLine)
	line := 0
	for sc.Scan() {
		line++
		if err := fn(line, sc.Bytes()); err != nil {
			return err
		}
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return errLongLine
	}
	return sc.Err()
}

// citation is where an id not (yet) defined was cited.
type citation struct {
	at    *yaml.Node
	field string // "from", "to" or "" (a sources list)
}

// parseLine turns a line into nodes, or reports why it cannot.
func parseLine(p *parser, line int, data []byte) (*yaml.Node, bool) {
	if !utf8.Valid(data) {
		p.diags = append(p.diags, Diagnostic{File: p.file, Line: line, Column: 1, Severity: Error, Message: "line is not valid UTF-8 text", Hint: "save the file as UTF-8"})
		return nil, false
	}
	n, err := lineNode(data, line)
	if err != nil {
		msg, col := "invalid JSON", 1
		if je := checkJSON(data); je != nil {
			msg, col = "invalid JSON: "+je.msg, int(je.offset)+1
		}
		p.diags = append(p.diags, Diagnostic{File: p.file, Line: line, Column: col, Severity: Error, Message: msg, Hint: "one JSON object per line; " + streamHint})
		return nil, false
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, streamHint, "wrong shape: each line must be a JSON object, found %s", describe(n))
		return nil, false
	}
	if !p.checkLengths(n) {
		return nil, false
	}
	return n, true
}

// lineResult is one line decoded and checked on its own, which is most
// of the work and runs on every core; what needs the lines before it
// (order, duplicates, references) is done in file order.
type lineResult struct {
	line  int
	blank bool
	n     *yaml.Node // nil when the line could not be read
	diags Diagnostics
	sec   int // the line's item section, or -1
	item  *yaml.Node
	fs    map[string]*yaml.Node
	src   graph.Source
	ent   graph.Entity
	rel   graph.Relationship
}

func checkLine(file string, line int, data []byte) lineResult {
	r := lineResult{line: line, sec: -1}
	if len(bytes.TrimSpace(data)) == 0 {
		r.blank = true
		return r
	}
	p := &parser{file: file}
	n, ok := parseLine(p, line, data)
	if ok {
		r.n = n
		if len(n.Content) == 2 {
			for i, s := range streamSections {
				if s.name == n.Content[0].Value {
					r.sec, r.item = i, n.Content[1]
				}
			}
		}
		switch r.sec {
		case 0:
			r.src, r.fs = p.source(r.item)
		case 1:
			r.ent, r.fs = p.entity(r.item)
		case 2:
			r.rel = p.relationship(r.item)
		}
	}
	r.diags = p.diags
	return r
}

// checkLines reads the file's lines in batches, checks them with
// checkLine on every core, and hands the results to fn in file order.
func checkLines(ctx context.Context, r io.Reader, file string, fn func(lineResult) error) error {
	type job struct {
		first int
		lines [][]byte
		out   chan []lineResult
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	jobs := make(chan job, workers)
	order := make(chan job, 2*workers)
	done := make(chan struct{})
	defer close(done)
	var readErr error
	go func() {
		defer close(jobs)
		defer close(order)
		var batch [][]byte
		first := 1
		send := func() bool {
			j := job{first: first, lines: batch, out: make(chan []lineResult, 1)}
			for _, ch := range []chan job{order, jobs} {
				select {
				case ch <- j:
				case <-done:
					return false
				}
			}
			first += len(batch)
			batch = nil
			return true
		}
		readErr = scanLines(r, func(line int, data []byte) error {
			batch = append(batch, bytes.Clone(data))
			if len(batch) == 1024 {
				if err := ctx.Err(); err != nil {
					return err
				}
				if !send() {
					return errStopped
				}
			}
			return nil
		})
		if readErr == nil && len(batch) > 0 {
			send()
		}
	}()
	for range workers {
		go func() {
			for j := range jobs {
				out := make([]lineResult, len(j.lines))
				for i, data := range j.lines {
					out[i] = checkLine(file, j.first+i, data)
				}
				j.out <- out
			}
		}()
	}
	for j := range order {
		for _, res := range <-j.out {
			if err := fn(res); err != nil {
				return err
			}
		}
	}
	return readErr
}

// header reads the first line when it is a header.
func (c *streamCheck) header(n *yaml.Node) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		for _, sec := range streamSections {
			if n.Content[i].Value == sec.name {
				return false // an item: the header is missing
			}
		}
	}
	fs := c.p.fields(n, streamHeader, "header")
	c.st.Dataset = c.p.get(fs, streamHeader, "dataset")
	return true
}

// section finds which item a line holds.
func (c *streamCheck) section(n *yaml.Node) (int, *yaml.Node) {
	if len(n.Content) != 2 {
		c.p.errorf(n, streamHint, "a line holds exactly one item: found %d keys", len(n.Content)/2)
		return -1, nil
	}
	k := n.Content[0]
	for i, s := range streamSections {
		if s.name == k.Value {
			return i, n.Content[1]
		}
	}
	names := fieldNames(streamSections)
	hint := "use one of: " + strings.Join(names, ", ")
	if s := suggest(k.Value, names); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	}
	c.p.errorf(k, hint, "unknown item %q", clip(k.Value))
	return -1, nil
}

func (c *streamCheck) source(s graph.Source, fs map[string]*yaml.Node, item *yaml.Node) {
	c.st.Sources++
	if s.ID == "" {
		return
	}
	if prev, dup := c.sources[s.ID]; dup {
		c.p.errorf(fs["id"], "give each source its own id", "duplicate source id %q (first defined at line %d)", s.ID, prev)
		return
	}
	c.sources[s.ID] = item.Line
}

func (c *streamCheck) entity(e graph.Entity, fs map[string]*yaml.Node, item *yaml.Node) {
	c.st.Entities++
	c.cite(listNode(fs["sources"]), e.Sources)
	if e.ID == "" {
		return
	}
	if prev, dup := c.entities[e.ID]; dup {
		c.p.errorf(fs["id"], "give each entity its own id, or merge the two entries", "duplicate entity id %q (first defined at line %d)", e.ID, prev)
		return
	}
	c.entities[e.ID] = item.Line
}

func (c *streamCheck) relationship(ctx context.Context, r graph.Relationship, item *yaml.Node) error {
	c.st.Relationships++
	c.cite(listNode(fieldNode(item, "sources")), r.Sources)
	for _, end := range entityRefs(r, item) {
		if _, ok := c.entities[end.id]; !ok && end.id != "" {
			c.pendingEntities[end.id] = append(c.pendingEntities[end.id], citation{end.at, end.field})
		}
	}
	if r.From != "" && r.Type != "" && r.To != "" {
		k := c.fp.Of(r.From, r.Type, r.To)
		if prev, dup := c.rels[k]; dup {
			c.p.errorf(item, "merge the two entries: list all their sources on one", "duplicate relationship %s (first at line %d)", r.Key(), prev)
		} else {
			c.rels[k] = item.Line
		}
	}
	if len(c.pendingEntities)+len(c.pendingSources) >= 5000 {
		return c.resolve(ctx)
	}
	return nil
}

// listNode returns the items of a list node (nil for anything else).
func listNode(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// cite records the sources an item cites; those not defined (yet) in the
// file wait for resolve.
func (c *streamCheck) cite(at []*yaml.Node, ids []string) {
	for i, id := range ids {
		c.cited[id] = true
		if _, ok := c.sources[id]; ok {
			continue
		}
		var n *yaml.Node
		if i < len(at) {
			n = at[i]
		}
		c.pendingSources[id] = append(c.pendingSources[id], citation{at: n})
	}
}

// resolve checks the pending references against the store; what is
// still unknown is an error at each place it was cited.
func (c *streamCheck) resolve(ctx context.Context) error {
	for _, x := range []struct {
		what    string
		pending map[string][]citation
		defined map[string]int
		lookup  func(context.Context, []string) (map[string]bool, error)
	}{
		{"entity", c.pendingEntities, c.entities, c.known.KnownEntities},
		{"source", c.pendingSources, c.sources, c.known.KnownSources},
	} {
		if len(x.pending) == 0 {
			continue
		}
		ids := graph.SortedKeys(x.pending)
		found, err := x.lookup(ctx, ids)
		if err != nil {
			return fmt.Errorf("resolve references against the store: %w", err)
		}
		for _, id := range ids {
			if !found[id] {
				for _, at := range x.pending[id] {
					hint := fmt.Sprintf("define it in the %s section (or load a dataset that does first), or fix the id", x.what)
					if len(x.defined) <= 10000 {
						if s := suggest(id, graph.SortedKeys(x.defined)); s != "" {
							hint = fmt.Sprintf("did you mean %q?", s)
						}
					}
					prefix := ""
					if at.field != "" {
						prefix = at.field + ": "
					}
					c.p.errorf(at.at, hint, "%s%s %q is not defined", prefix, x.what, clip(id))
				}
			}
			delete(x.pending, id)
		}
	}
	return nil
}

// streamLine is one item line decoded without positions, for Parts.
type streamLine struct {
	Source       *graph.Source       `json:"source,omitempty"`
	Entity       *graph.Entity       `json:"entity,omitempty"`
	Relationship *graph.Relationship `json:"relationship,omitempty"`
}

// Parts reads the file again and yields its items in parts of at most
// size items each (sources, then entities, then relationships, as in the
// file), each part normalized like a whole dataset. The file must not
// have changed since CheckStream. One part is read ahead on another
// goroutine, so that decoding overlaps the store's writes.
func (s *Stream) Parts(ctx context.Context, size int) iter.Seq2[*graph.Dataset, error] {
	return func(yield func(*graph.Dataset, error) bool) {
		type result struct {
			part *graph.Dataset
			err  error
		}
		ch := make(chan result, 1)
		done := make(chan struct{})
		defer close(done)
		go func() {
			defer close(ch)
			for part, err := range s.read(ctx, size) {
				select {
				case ch <- result{part, err}:
				case <-done:
					return
				}
			}
		}()
		for r := range ch {
			if !yield(r.part, r.err) || r.err != nil {
				return
			}
		}
	}
}

// read is Parts without the read-ahead.
func (s *Stream) read(ctx context.Context, size int) iter.Seq2[*graph.Dataset, error] {
	return func(yield func(*graph.Dataset, error) bool) {
		fail := func(err error) { yield(nil, fmt.Errorf("read dataset %s: %w", s.File, err)) }
		fh, err := os.Open(s.File)
		if err != nil {
			fail(err)
			return
		}
		defer fh.Close()
		if fi, err := fh.Stat(); err != nil || fi.Size() != s.size || !fi.ModTime().Equal(s.mod) {
			fail(errors.New("the file changed after it was checked; load it again"))
			return
		}
		part := &graph.Dataset{Name: s.Dataset}
		count := 0
		stop := errors.New("stop")
		flush := func() bool {
			if count == 0 {
				return true
			}
			part.Normalize()
			ok := yield(part, nil)
			part, count = &graph.Dataset{Name: s.Dataset}, 0
			return ok
		}
		header := true
		err = scanLines(fh, func(line int, data []byte) error {
			if len(bytes.TrimSpace(data)) == 0 {
				return nil
			}
			if header {
				header = false
				return nil
			}
			var l streamLine
			if err := json.Unmarshal(data, &l); err != nil {
				// Valid lines that encoding/json reads differently (a
				// number where text goes) take the checking path.
				if l, err = s.slowLine(line, data); err != nil {
					return err
				}
			}
			switch {
			case l.Source != nil:
				part.Sources = append(part.Sources, *l.Source)
			case l.Entity != nil:
				part.Entities = append(part.Entities, *l.Entity)
			case l.Relationship != nil:
				part.Relationships = append(part.Relationships, *l.Relationship)
			}
			if count++; count >= size {
				if err := ctx.Err(); err != nil {
					return err
				}
				if !flush() {
					return stop
				}
			}
			return nil
		})
		if err == stop {
			return
		}
		if err != nil {
			fail(err)
			return
		}
		flush()
	}
}

// slowLine decodes a line through the validating parser.
func (s *Stream) slowLine(line int, data []byte) (streamLine, error) {
	var l streamLine
	n, err := lineNode(data, line)
	if err != nil || n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return l, fmt.Errorf("line %d changed after it was checked; load it again", line)
	}
	p := &parser{file: s.File}
	switch item := n.Content[1]; n.Content[0].Value {
	case "source":
		src, _ := p.source(item)
		l.Source = &src
	case "entity":
		e, _ := p.entity(item)
		l.Entity = &e
	case "relationship":
		r := p.relationship(item)
		l.Relationship = &r
	}
	if p.diags.Errors() > 0 {
		return l, fmt.Errorf("line %d changed after it was checked; load it again", line)
	}
	return l, nil
}

// WriteStream writes a dataset as JSON Lines, in the order Parts reads.
func WriteStream(w io.Writer, ds *graph.Dataset, description string) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	head := map[string]string{"dataset": ds.Name}
	if description != "" {
		head["description"] = description
	}
	if err := enc.Encode(head); err != nil {
		return err
	}
	for _, s := range ds.Sources {
		if err := enc.Encode(streamLine{Source: &s}); err != nil {
			return err
		}
	}
	for _, e := range ds.Entities {
		if err := enc.Encode(streamLine{Entity: &e}); err != nil {
			return err
		}
	}
	for _, r := range ds.Relationships {
		if err := enc.Encode(streamLine{Relationship: &r}); err != nil {
			return err
		}
	}
	return bw.Flush()
}
