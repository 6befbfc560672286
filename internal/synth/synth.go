// Package synth generates synthetic intelligence graphs for benchmarks and
// scale tests: deterministic from a seed, at any size, shaped like real
// reporting — a few states and units, more people and groups, many
// servers, identities and victims, and heavy-tailed degrees (a few groups
// attack thousands of victims, most attack a handful). Every name says it
// is synthetic; nothing in it is a claim about the world.
package synth

import (
	"fmt"
	"math/rand/v2"

	"github.com/aptgraph/aptgraph/graph"
)

// Config sizes a corpus.
type Config struct {
	// Relationships is the number of relationships to generate (≥ 100).
	Relationships int
	// Seed makes the corpus: the same seed and size give the same corpus.
	Seed uint64
	// Name is the dataset name (default "synthetic").
	Name string
}

// Counts of each kind for a corpus of r relationships: fixed proportions,
// so that every size has the same shape.
func counts(r int) map[graph.Kind]int {
	return map[graph.Kind]int{
		graph.KindOrganization: 3 + r/250_000,
		graph.KindUnit:         8 + r/20_000,
		graph.KindGroup:        10 + r/2_000,
		graph.KindPerson:       max(10, r/40),
		graph.KindServer:       max(10, r/10),
		graph.KindIdentity:     max(10, r/25),
		graph.KindVictim:       max(10, r/6),
		graph.KindMalware:      20 + r/5_000,
	}
}

var prefixes = map[graph.Kind]string{
	graph.KindOrganization: "org", graph.KindUnit: "unit", graph.KindGroup: "grp", graph.KindPerson: "per",
	graph.KindServer: "srv", graph.KindIdentity: "idn", graph.KindVictim: "vic", graph.KindMalware: "mal",
}

var names = map[graph.Kind]string{
	graph.KindOrganization: "Synthetic State", graph.KindUnit: "Synthetic Unit", graph.KindGroup: "Synthetic Group",
	graph.KindPerson: "Synthetic Person", graph.KindServer: "Synthetic Server", graph.KindIdentity: "Synthetic False Name",
	graph.KindVictim: "Synthetic Victim", graph.KindMalware: "Synthetic Malware",
}

// ID is the id of the n-th entity of a kind (n from 0).
func ID(k graph.Kind, n int) string { return fmt.Sprintf("syn-%s-%07d", prefixes[k], n) }

type gen struct {
	rng  *rand.Rand
	ds   *graph.Dataset
	seen map[graph.RelKey]bool
	n    map[graph.Kind]int
	zipf map[graph.Kind]*rand.Zipf
	srcs []string
}

// Generate returns the corpus for c, normalized (sorted by identity).
func Generate(c Config) *graph.Dataset {
	r := max(c.Relationships, 100)
	name := c.Name
	if name == "" {
		name = "synthetic"
	}
	g := &gen{
		rng:  rand.New(rand.NewPCG(c.Seed, 0x61707467726170)),
		ds:   &graph.Dataset{Name: name},
		seen: make(map[graph.RelKey]bool, r),
		n:    counts(r),
		zipf: map[graph.Kind]*rand.Zipf{},
	}
	publishers := []string{"Synthetic Vendor A", "Synthetic Vendor B", "Synthetic Broadcaster", "Synthetic Wire Service",
		"Synthetic Police Statement", "Synthetic Government CERT", "Synthetic Researcher Blog", "Synthetic Court Filing"}
	for i, p := range publishers {
		id := fmt.Sprintf("syn-src-%02d", i+1)
		g.srcs = append(g.srcs, id)
		g.ds.Sources = append(g.ds.Sources, graph.Source{ID: id, Publisher: p, Title: fmt.Sprintf("Synthetic report %d", i+1),
			Date: fmt.Sprintf("%d-%02d", 2012+i, 1+i)})
	}
	for _, k := range graph.Kinds() {
		for i := range g.n[k.Kind] {
			e := graph.Entity{ID: ID(k.Kind, i), Kind: k.Kind, Name: fmt.Sprintf("%s %d", names[k.Kind], i)}
			if k.Kind == graph.KindGroup && i%3 == 0 {
				e.Aliases = []string{fmt.Sprintf("SYN-APT-%d", i)}
			}
			if k.Kind == graph.KindGroup || k.Kind == graph.KindVictim && i%50 == 0 {
				e.Sources = []string{g.source()}
			}
			g.ds.Entities = append(g.ds.Entities, e)
		}
	}
	// The structure: every unit in a state, every group directed by a
	// unit, every person in a group or unit, every identity and server
	// used or rented by someone, every malware used.
	for i := range g.n[graph.KindUnit] {
		g.rel(ID(graph.KindUnit, i), "PART_OF", g.pick(graph.KindOrganization, false))
	}
	for i := range g.n[graph.KindGroup] {
		g.rel(g.pick(graph.KindUnit, true), "DIRECTED", ID(graph.KindGroup, i))
	}
	for i := range g.n[graph.KindPerson] {
		p := ID(graph.KindPerson, i)
		if g.rng.IntN(5) == 0 {
			g.rel(p, "MEMBER_OF", g.pick(graph.KindUnit, true))
		} else {
			g.rel(p, "MEMBER_OF", g.pick(graph.KindGroup, true))
		}
		if g.rng.IntN(10) == 0 {
			g.rel(g.pick(graph.KindPerson, true), "INSTRUCTED", p)
		}
	}
	for i := range g.n[graph.KindIdentity] {
		g.rel(g.actor(), "USED_IDENTITY", ID(graph.KindIdentity, i))
	}
	for i := range g.n[graph.KindServer] {
		g.rel(g.actor(), "RENTED", ID(graph.KindServer, i))
	}
	for i := range g.n[graph.KindMalware] {
		g.rel(g.pick(graph.KindGroup, true), "USED", ID(graph.KindMalware, i))
	}
	// Every victim attacked once, then the rest: attacks by heavy-tailed
	// groups, targeting, and servers used in operations.
	for i := range g.n[graph.KindVictim] {
		if len(g.ds.Relationships) >= r {
			break
		}
		g.rel(g.pick(graph.KindGroup, true), "ATTACKED", ID(graph.KindVictim, i))
	}
	for len(g.ds.Relationships) < r {
		switch x := g.rng.IntN(10); {
		case x < 7:
			g.rel(g.pick(graph.KindGroup, true), "ATTACKED", g.pick(graph.KindVictim, false))
		case x < 8:
			g.rel(g.pick(graph.KindGroup, true), "TARGETED", g.pick(graph.KindVictim, false))
		default:
			g.rel(g.pick(graph.KindGroup, true), "USED", g.pick(graph.KindServer, false))
		}
	}
	g.ds.Relationships = g.ds.Relationships[:r]
	g.ds.Normalize()
	return g.ds
}

// pick returns a random entity of a kind: heavy-tailed (Zipf, a few very
// busy ones) or uniform.
func (g *gen) pick(k graph.Kind, heavy bool) string {
	n := g.n[k]
	if !heavy {
		return ID(k, g.rng.IntN(n))
	}
	z := g.zipf[k]
	if z == nil {
		z = rand.NewZipf(g.rng, 1.3, 8, uint64(n-1))
		g.zipf[k] = z
	}
	return ID(k, int(z.Uint64()))
}

// actor is who rents servers and uses identities: mostly groups, some people.
func (g *gen) actor() string {
	if g.rng.IntN(4) == 0 {
		return g.pick(graph.KindPerson, false)
	}
	return g.pick(graph.KindGroup, true)
}

func (g *gen) source() string { return g.srcs[g.rng.IntN(len(g.srcs))] }

var levels = []graph.Confidence{graph.Suspected, graph.Alleged, graph.Alleged, graph.Reported, graph.Reported, graph.Reported, graph.Confirmed}

func (g *gen) rel(from, typ, to string) {
	k := graph.RelKey{From: from, Type: typ, To: to}
	if from == to || g.seen[k] {
		return
	}
	g.seen[k] = true
	r := graph.Relationship{From: from, Type: typ, To: to, Confidence: levels[g.rng.IntN(len(levels))], Sources: []string{g.source()}}
	if g.rng.IntN(3) == 0 {
		r.Sources = append(r.Sources, g.source())
	}
	if g.rng.IntN(2) == 0 {
		r.Start = fmt.Sprintf("%d-%02d", 2010+g.rng.IntN(12), 1+g.rng.IntN(12))
	}
	g.ds.Relationships = append(g.ds.Relationships, r)
}
