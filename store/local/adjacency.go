package local

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/aptgraph/aptgraph/graph"
)

// The adjacency is the graph's shape — every entity's id and kind, and
// every relationship's ends, type, confidence and sources — packed in one
// blob in table adjacency (in rows of adjacencyChunk). Every write
// transaction that changes entities or relationships stores a new one
// before it commits, followed from the old one and its own writes
// (shape), so it is never stale; a process reads it once (about 35 MB at
// a million relationships) and answers Steps, Kinds, degrees and the
// ranking's facts from memory.
//
// Why: a path search at a hub reads tens of thousands of neighbours per
// level. Read from the relationships table's indexes through SQLite, that
// was three quarters of a path query at 1M relationships (565 ms at the
// median); from memory it is a few milliseconds. Expand, which returns
// whole relationships, still reads the table.

// adjacencyMagic starts every blob; a blob without it is not used.
const adjacencyMagic = "aptgraph-adjacency-1\n"

// adjacency is the decoded blob. Nodes are the entities in id order;
// each has its entries (both directions) at off[i]:off[i+1] of nb and
// meta.
type adjacency struct {
	ids   string   // every id, sorted, concatenated
	idOff []uint32 // node i's id is ids[idOff[i]:idOff[i+1]]
	kind  []uint8  // index into kinds
	kinds []string
	types []string
	off   []uint32
	nb    []uint32 // the node at the other end
	meta  []uint32 // type<<8 | confidence rank<<1 | 1 if the entry's node is the relationship's From
	// facts, for the entries of a node that is the relationship's From:
	// the index of its sources in sources<<1 | 1 if several claims name
	// routes (ranking then needs the whole relationship).
	facts   []uint32
	sources []string // distinct source lists, as JSON arrays
}

func (a *adjacency) nodes() int { return len(a.idOff) - 1 }

func (a *adjacency) id(i uint32) string { return a.ids[a.idOff[i]:a.idOff[i+1]] }

// index finds an id's node by binary search.
func (a *adjacency) index(id string) (uint32, bool) {
	n := a.nodes()
	i := sort.Search(n, func(i int) bool { return a.id(uint32(i)) >= id })
	if i < n && a.id(uint32(i)) == id {
		return uint32(i), true
	}
	return 0, false
}

// steps answers graph.Traverser.Steps: each relationship touching one of
// ids in dir that passes f's types and confidence, once; with limit ≥ 0,
// it stops at limit+1 of them.
func (a *adjacency) steps(ids []string, dir graph.Direction, f graph.Filter, limit int) []graph.Step {
	var types map[uint32]bool
	if len(f.Types) > 0 {
		types = map[uint32]bool{}
		for _, t := range f.Types {
			if i, ok := slices.BinarySearch(a.types, t); ok {
				types[uint32(i)] = true
			}
		}
		if len(types) == 0 {
			return nil
		}
	}
	minRank := uint32(f.MinConfidence.Rank())
	at := make(map[uint32]bool, len(ids))
	for _, id := range ids {
		if i, ok := a.index(id); ok {
			at[i] = true
		}
	}
	// In node order, so that the same question gets the same steps in
	// the same order.
	nodes := make([]uint32, 0, len(at))
	for i := range at {
		nodes = append(nodes, i)
	}
	slices.Sort(nodes)
	var out []graph.Step
	for _, i := range nodes {
		if limit >= 0 && len(out) > limit {
			break
		}
		for e := a.off[i]; e < a.off[i+1]; e++ {
			m := a.meta[e]
			if (m>>1)&0x7f < minRank || (types != nil && !types[m>>8]) {
				continue
			}
			isFrom := m&1 == 1
			nb := a.nb[e]
			switch {
			case isFrom && dir != graph.In:
				out = append(out, graph.Step{From: a.id(i), Type: a.types[m>>8], To: a.id(nb)})
			case !isFrom && dir != graph.Out:
				// Walking both ways, a relationship between two nodes of
				// the frontier is the From end's.
				if dir == graph.Both && at[nb] {
					continue
				}
				out = append(out, graph.Step{From: a.id(nb), Type: a.types[m>>8], To: a.id(i)})
			}
		}
	}
	return out
}

// degree is the number of relationships of the nodes of ids.
func (a *adjacency) degree(ids []string) int {
	n := 0
	for _, id := range ids {
		if i, ok := a.index(id); ok {
			n += int(a.off[i+1] - a.off[i])
		}
	}
	return n
}

// kindsOf answers graph.Traverser.Kinds.
func (a *adjacency) kindsOf(ids []string) map[string]graph.Kind {
	out := map[string]graph.Kind{}
	for _, id := range ids {
		if i, ok := a.index(id); ok {
			out[id] = graph.Kind(a.kinds[a.kind[i]])
		}
	}
	return out
}

// shape is the graph's shape being put together, from the tables or from
// the stored adjacency and a write transaction's changes, in the order
// they were made; pack turns it into a blob. Ids, types and source lists
// are interned to provisional indices as they come.
type shape struct {
	ids     interner
	kind    []uint8 // by id index: 1 + the entity's kind in kinds; 0 if not (or no longer) an entity
	kinds   interner
	types   interner
	sources interner
	rels    []shapeRel // in the order written: the last of a key wins
	// overflow: more relationship types or kinds than an entry holds
	// (types outside the vocabulary are allowed); such a store keeps no
	// adjacency and the tables answer.
	overflow bool
}

// shapeRel is 16 bytes: a load of a million relationships holds a
// million of them.
type shapeRel struct {
	from, to, src uint32
	typ           uint16
	rank          uint8 // confidence rank<<2 | 2 if routed | 1 if deleted
}

// interner numbers strings in the order first seen.
type interner struct {
	at   map[string]uint32
	vals []string
}

func (in *interner) of(s string) uint32 {
	if i, ok := in.at[s]; ok {
		return i
	}
	if in.at == nil {
		in.at = map[string]uint32{}
	}
	// A copy: s may share memory with a whole decoded part.
	s = strings.Clone(s)
	i := uint32(len(in.vals))
	in.at[s] = i
	in.vals = append(in.vals, s)
	return i
}

// sorted returns the strings in order and, for each provisional index,
// its index in that order.
func (in *interner) sorted() ([]string, []uint32) {
	order := make([]uint32, len(in.vals))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return strings.Compare(in.vals[a], in.vals[b]) })
	vals := make([]string, len(order))
	final := make([]uint32, len(order))
	for j, i := range order {
		vals[j] = in.vals[i]
		final[i] = uint32(j)
	}
	return vals, final
}

func (sh *shape) entity(id, kind string) {
	i := sh.ids.of(id)
	for int(i) >= len(sh.kind) {
		sh.kind = append(sh.kind, 0)
	}
	sh.kind[i] = 0
	if kind != "" {
		k := sh.kinds.of(kind)
		sh.overflow = sh.overflow || k >= 0xff
		sh.kind[i] = uint8(1 + k)
	}
}

func (sh *shape) deleteEntity(id string) { sh.entity(id, "") }

// relFacts records a relationship as written: its sources as a JSON list.
func (sh *shape) relFacts(from, typ, to string, rank int, sources string, multi bool) {
	r := shapeRel{from: sh.ids.of(from), typ: sh.typ(typ), to: sh.ids.of(to),
		src: sh.sources.of(sources), rank: uint8(min(max(rank, 0), 0x3f)) << 2}
	if multi {
		r.rank |= 2
	}
	sh.rels = append(sh.rels, r)
}

// rel records a relationship written.
func (sh *shape) rel(r graph.Relationship) {
	src := "[]"
	if len(r.Sources) > 0 {
		src = jsonList(r.Sources)
	}
	sh.relFacts(r.From, r.Type, r.To, r.Confidence.Rank(), src, routed(r))
}

// routed says whether ranking needs the whole relationship: several
// claims, and a route (graph.Assess then reads them).
func routed(r graph.Relationship) bool { return len(r.Claims) > 1 && len(r.Via) > 0 }

func (sh *shape) deleteRel(k graph.RelKey) {
	sh.rels = append(sh.rels, shapeRel{from: sh.ids.of(k.From), typ: sh.typ(k.Type), to: sh.ids.of(k.To), rank: 1})
}

// typ interns a relationship type.
func (sh *shape) typ(t string) uint16 {
	i := sh.types.of(t)
	sh.overflow = sh.overflow || i > 0xffff
	return uint16(i)
}

// shapeOf starts a shape from a stored adjacency.
func shapeOf(a *adjacency) *shape {
	sh := &shape{}
	for i := range uint32(a.nodes()) {
		sh.entity(a.id(i), a.kinds[a.kind[i]])
	}
	for i := range uint32(a.nodes()) {
		for e := a.off[i]; e < a.off[i+1] && a.meta[e]&1 == 1; e++ {
			m, f := a.meta[e], a.facts[e]
			sh.rels = append(sh.rels, shapeRel{from: i, typ: sh.typ(a.types[m>>8]), to: a.nb[e],
				src: sh.sources.of(a.sources[f>>1]), rank: uint8(m>>1&0x3f)<<2 | uint8(f&1)<<1})
		}
	}
	return sh
}

// querier is what building the adjacency reads from: the write
// transaction's connection.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// shapeFromTables reads every entity and relationship.
func shapeFromTables(ctx context.Context, q querier) (*shape, error) {
	sh := &shape{}
	rows, err := q.QueryContext(ctx, `SELECT id, kind FROM entities`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, kind string
		if err := rows.Scan(&id, &kind); err != nil {
			rows.Close()
			return nil, err
		}
		sh.entity(id, kind)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT from_id, type, to_id, rank, coalesce(json_extract(data, '$.sources'), '[]'),
		coalesce(json_array_length(data, '$.claims'), 0) > 1 AND coalesce(json_array_length(data, '$.via'), 0) > 0
		FROM relationships`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var from, typ, to, src sql.RawBytes
		var rank int
		var multi bool
		if err := rows.Scan(&from, &typ, &to, &rank, &src, &multi); err != nil {
			return nil, err
		}
		sh.relFacts(string(from), string(typ), string(to), rank, string(src), multi)
	}
	return sh, rows.Err()
}

// pack lays the shape out as a blob: entities in id order; for each, the
// relationships it starts in key order, then those it ends.
func (sh *shape) pack() []byte {
	// Entities that remain, in id order.
	allIDs, idOrder := sh.ids.sorted()
	node := make([]int32, len(allIDs)) // by sorted id: its node, or -1
	var ids, kindOf []string
	for j := range node {
		node[j] = -1
	}
	for i, k := range sh.kind {
		if k != 0 {
			node[idOrder[i]] = 0
		}
	}
	for j, id := range allIDs {
		if node[j] == 0 {
			node[j] = int32(len(ids))
			ids = append(ids, id)
		}
	}
	kindOf = make([]string, len(ids))
	for i, k := range sh.kind {
		if k != 0 {
			kindOf[node[idOrder[i]]] = sh.kinds.vals[k-1]
		}
	}
	kinds, kindIx := intern(kindOf)
	types, typeOrder := sh.types.sorted()
	sources, srcOrder := sh.sources.sorted()
	// The last write of each relationship between remaining entities.
	type rel struct {
		from, typ, to, src uint32
		rank               uint8
		multi, gone        bool
	}
	recs := make([]rel, 0, len(sh.rels))
	for _, r := range sh.rels {
		f, t := node[idOrder[r.from]], node[idOrder[r.to]]
		if f < 0 || t < 0 {
			continue // an end is not an entity (any more): the relationship went with it
		}
		recs = append(recs, rel{from: uint32(f), typ: typeOrder[r.typ], to: uint32(t), src: srcOrder[r.src],
			rank: r.rank >> 2, multi: r.rank&2 != 0, gone: r.rank&1 != 0})
	}
	sh.rels = nil // pack consumes the shape: let the collector have it
	slices.SortStableFunc(recs, func(a, b rel) int {
		return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.typ, b.typ), cmp.Compare(a.to, b.to))
	})
	kept := recs[:0]
	for i, r := range recs {
		if i+1 < len(recs) && recs[i+1].from == r.from && recs[i+1].typ == r.typ && recs[i+1].to == r.to {
			continue // a later write of the same key
		}
		if !r.gone {
			kept = append(kept, r)
		}
	}
	// Only the types and source lists still used, so that the blob is the
	// same however the store came to hold what it holds.
	usedType, usedSrc := make([]bool, len(types)), make([]bool, len(sources))
	for _, r := range kept {
		usedType[r.typ], usedSrc[r.src] = true, true
	}
	types, typeAt := keepUsed(types, usedType)
	sources, srcAt := keepUsed(sources, usedSrc)
	n := len(ids)
	off := make([]uint32, n+1)
	for _, r := range kept {
		off[r.from+1]++
		off[r.to+1]++
	}
	for i := 1; i <= n; i++ {
		off[i] += off[i-1]
	}
	// The blob at its final size, the entries written in place: at a
	// million relationships it is 35 MB, and copies of it were most of a
	// load's peak memory.
	m := 2 * len(kept)
	b := make([]byte, 0, len(adjacencyMagic)+stringsSize(kinds)+stringsSize(types)+stringsSize(ids)+stringsSize(sources)+
		4*(1+n)+4*(2+n)+3*4*(1+m))
	b = append(b, adjacencyMagic...)
	b = appendStrings(b, kinds)
	b = appendStrings(b, types)
	b = appendStrings(b, ids)
	b = appendU32s(b, kindIx)
	b = appendU32s(b, off)
	b, nbAt := reserveU32s(b, m)
	b, metaAt := reserveU32s(b, m)
	b = appendStrings(b, sources)
	b, factsAt := reserveU32s(b, m)
	put := func(at int, e, v uint32) { binary.LittleEndian.PutUint32(b[at+4*int(e):], v) }
	next := slices.Clone(off[:n])
	for _, r := range kept {
		e := next[r.from]
		put(nbAt, e, r.to)
		put(metaAt, e, typeAt[r.typ]<<8|uint32(r.rank)<<1|1)
		f := srcAt[r.src] << 1
		if r.multi {
			f |= 1
		}
		put(factsAt, e, f)
		next[r.from]++
	}
	for _, r := range kept {
		e := next[r.to]
		put(nbAt, e, r.from)
		put(metaAt, e, typeAt[r.typ]<<8|uint32(r.rank)<<1)
		next[r.to]++
	}
	return b
}

// keepUsed returns the values marked used, in order, and each value's
// index among them.
func keepUsed(vals []string, used []bool) ([]string, []uint32) {
	var out []string
	at := make([]uint32, len(vals))
	for i, v := range vals {
		if used[i] {
			at[i] = uint32(len(out))
			out = append(out, v)
		}
	}
	return out, at
}

// intern returns the distinct values, sorted, and each value's index.
func intern(vals []string) ([]string, []uint32) {
	distinct := slices.Clone(vals)
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	ix := make([]uint32, len(vals))
	at := make(map[string]uint32, len(distinct))
	for i, v := range distinct {
		at[v] = uint32(i)
	}
	for i, v := range vals {
		ix[i] = at[v]
	}
	return distinct, ix
}

// reserveU32s appends a section of n zero values and returns where its
// first value is.
func reserveU32s(b []byte, n int) ([]byte, int) {
	b = binary.LittleEndian.AppendUint32(b, uint32(n))
	at := len(b)
	return append(b, make([]byte, 4*n)...), at
}

func stringsSize(ss []string) int {
	n := 4 + 4*len(ss)
	for _, s := range ss {
		n += len(s)
	}
	return n
}

func appendU32s(b []byte, vs []uint32) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(vs)))
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

func appendStrings(b []byte, ss []string) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(ss)))
	for _, s := range ss {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
	}
	for _, s := range ss {
		b = append(b, s...)
	}
	return b
}

var errBadAdjacency = errors.New("stored adjacency is damaged")

// blobReader reads the sections appendStrings and appendU32s wrote,
// checking every length against what is left.
type blobReader struct {
	b   []byte
	bad bool
}

func (r *blobReader) u32() uint32 {
	if len(r.b) < 4 {
		r.bad = true
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *blobReader) u32s() []uint32 {
	n := int(r.u32())
	if r.bad || n > len(r.b)/4 {
		r.bad = true
		return nil
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(r.b[4*i:])
	}
	r.b = r.b[4*n:]
	return out
}

// strings returns the strings concatenated, and their offsets.
func (r *blobReader) strings() (string, []uint32) {
	n := int(r.u32())
	if r.bad || n > len(r.b)/4 {
		r.bad = true
		return "", nil
	}
	off := make([]uint32, n+1)
	total := uint64(0)
	for i := range n {
		total += uint64(binary.LittleEndian.Uint32(r.b[4*i:]))
		if total > uint64(len(r.b)) {
			r.bad = true
			return "", nil
		}
		off[i+1] = uint32(total)
	}
	r.b = r.b[4*n:]
	if int(off[n]) > len(r.b) {
		r.bad = true
		return "", nil
	}
	s := string(r.b[:off[n]])
	r.b = r.b[off[n]:]
	return s, off
}

func (r *blobReader) stringList() []string {
	s, off := r.strings()
	if r.bad {
		return nil
	}
	out := make([]string, len(off)-1)
	for i := range out {
		out[i] = s[off[i]:off[i+1]]
	}
	return out
}

// decodeAdjacency checks and unpacks a blob buildAdjacency made.
func decodeAdjacency(b []byte) (*adjacency, error) {
	if !strings.HasPrefix(string(b[:min(len(b), len(adjacencyMagic))]), adjacencyMagic) {
		return nil, errBadAdjacency
	}
	r := &blobReader{b: b[len(adjacencyMagic):]}
	a := &adjacency{}
	a.kinds = r.stringList()
	a.types = r.stringList()
	a.ids, a.idOff = r.strings()
	kindIx := r.u32s()
	a.off = r.u32s()
	a.nb = r.u32s()
	a.meta = r.u32s()
	a.sources = r.stringList()
	a.facts = r.u32s()
	n := len(a.idOff) - 1
	if r.bad || len(r.b) != 0 || n < 0 || len(kindIx) != n || len(a.off) != n+1 || len(a.nb) != len(a.meta) ||
		len(a.facts) != len(a.nb) || int(a.off[n]) != len(a.nb) {
		return nil, errBadAdjacency
	}
	a.kind = make([]uint8, n)
	for i, k := range kindIx {
		if int(k) >= len(a.kinds) || k > 0xff {
			return nil, errBadAdjacency
		}
		a.kind[i] = uint8(k)
	}
	for i := range n {
		if a.off[i] > a.off[i+1] {
			return nil, errBadAdjacency
		}
	}
	for e, m := range a.meta {
		if int(a.nb[e]) >= n || int(m>>8) >= len(a.types) || int(a.facts[e]>>1) >= max(len(a.sources), 1) {
			return nil, errBadAdjacency
		}
	}
	return a, nil
}

// fact finds a relationship by key among the entries of its From node
// (binary searches: the node, then its started relationships by type and
// other end) and returns its entry.
func (a *adjacency) fact(k graph.RelKey) (uint32, bool) {
	from, ok1 := a.index(k.From)
	to, ok2 := a.index(k.To)
	typ, ok3 := slices.BinarySearch(a.types, k.Type)
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	lo, hi := a.off[from], a.off[from+1]
	// The node's started relationships come first.
	out := lo + uint32(sort.Search(int(hi-lo), func(j int) bool { return a.meta[lo+uint32(j)]&1 == 0 }))
	want := uint64(typ)<<32 | uint64(to)
	j := sort.Search(int(out-lo), func(j int) bool {
		e := lo + uint32(j)
		return uint64(a.meta[e]>>8)<<32|uint64(a.nb[e]) >= want
	})
	e := lo + uint32(j)
	if e < out && a.meta[e]>>8 == uint32(typ) && a.nb[e] == to {
		return e, true
	}
	return 0, false
}

// rankingFacts returns the relationships of keys that exist with what
// ranking reads (graph.Assess): confidence and sources, from memory; the
// keys of those whose claims name routes, which ranking must read whole,
// go to whole.
func (a *adjacency) rankingFacts(keys []graph.RelKey) (facts []graph.Relationship, whole []graph.RelKey, err error) {
	decoded := map[uint32][]string{}
	for _, k := range keys {
		e, ok := a.fact(k)
		if !ok {
			continue
		}
		f := a.facts[e]
		if f&1 == 1 {
			whole = append(whole, k)
			continue
		}
		src, ok := decoded[f>>1]
		if !ok {
			if err := json.Unmarshal([]byte(a.sources[f>>1]), &src); err != nil {
				return nil, nil, errBadAdjacency
			}
			decoded[f>>1] = src
		}
		facts = append(facts, graph.Relationship{From: k.From, Type: k.Type, To: k.To,
			Confidence: graph.ConfidenceOfRank(int(a.meta[e] >> 1 & 0x7f)), Sources: src})
	}
	return facts, whole, nil
}

// startShape begins following a write transaction's changes from the
// stored adjacency; nil when there is none usable (the tables are read
// when the transaction ends).
func startShape(ctx context.Context, conn *sql.Conn) (*shape, error) {
	b, err := readAdjacency(ctx, conn)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, nil
	}
	a, err := decodeAdjacency(b)
	if err != nil {
		return nil, nil
	}
	return shapeOf(a), nil
}

// writeAdjacency stores the shape (from the tables when sh is nil) inside
// the write transaction on conn.
func writeAdjacency(ctx context.Context, conn *sql.Conn, sh *shape) error {
	if sh == nil {
		var err error
		if sh, err = shapeFromTables(ctx, conn); err != nil {
			return fmt.Errorf("index the graph's shape: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `DELETE FROM adjacency`); err != nil {
		return fmt.Errorf("index the graph's shape: %w", err)
	}
	if sh.overflow {
		return nil
	}
	b := sh.pack()
	for chunk := 0; len(b) > 0; chunk++ {
		n := min(len(b), adjacencyChunk)
		if _, err := conn.ExecContext(ctx, `INSERT INTO adjacency (chunk, data) VALUES (?1, ?2)`, chunk, b[:n]); err != nil {
			return fmt.Errorf("index the graph's shape: %w", err)
		}
		b = b[n:]
	}
	return nil
}

// adjacencyChunk is the size of the rows the blob is stored in: SQLite
// copies a value it is given, and one 35 MB value cost as much memory
// again.
const adjacencyChunk = 1 << 20

// readAdjacency reads the stored blob; nil when there is none.
func readAdjacency(ctx context.Context, q querier) ([]byte, error) {
	rows, err := q.QueryContext(ctx, `SELECT data FROM adjacency ORDER BY chunk`)
	if err != nil {
		return nil, fmt.Errorf("read the graph's shape: %w", err)
	}
	defer rows.Close()
	var b []byte
	for rows.Next() {
		var part sql.RawBytes
		if err := rows.Scan(&part); err != nil {
			return nil, fmt.Errorf("read the graph's shape: %w", err)
		}
		b = append(b, part...)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the graph's shape: %w", err)
	}
	return b, nil
}

// adjacencyCache holds the decoded adjacency of one open store, and the
// connection whose PRAGMA data_version says when another connection (a
// load in this process or another) has committed since it was read.
type adjacencyCache struct {
	mu      sync.Mutex
	conn    *sql.Conn
	version int64
	adj     *adjacency // nil: none read, or none usable (read the tables)
	read    bool
}

// adjacency returns the store's current adjacency, reading it again when
// the store has changed; nil when the store has none usable (a damaged
// blob: the tables answer instead).
func (s *Store) adjacency(ctx context.Context) (*adjacency, error) {
	c := &s.adj
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return nil, err
		}
		c.conn = conn
	}
	var v int64
	if err := c.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return nil, err
	}
	if c.read && v == c.version {
		return c.adj, nil
	}
	b, err := readAdjacency(ctx, c.conn)
	switch {
	case err != nil:
		return nil, err
	case b == nil:
		c.adj = nil
	default:
		c.adj, _ = decodeAdjacency(b) // damaged: nil, and the tables answer
	}
	c.read, c.version = true, v
	return c.adj, nil
}

func (c *adjacencyCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil
	}
	err := c.conn.Close()
	c.conn = nil
	return err
}
