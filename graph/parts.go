package graph

import "hash/maphash"

// Seen remembers which items a load made of parts has written, in 16
// bytes an item, so that pruning after the last part does not need the
// whole dataset in memory (a million relationships take about 40 MB here
// and over 300 MB as RelKeys). Two independent 64-bit hashes make a
// collision, which would keep an item that should have been pruned,
// vanishingly unlikely (about 1 in 10^26 for a million items).
type Seen struct{ set fingerprints }

// NewSeen returns an empty set.
func NewSeen() *Seen { return &Seen{newFingerprints()} }

// fingerprints is a set of string sequences kept as their fingerprints:
// what Seen and Fresh hold.
type fingerprints struct {
	f Fingerprinter
	m map[[2]uint64]struct{}
}

func newFingerprints() fingerprints {
	return fingerprints{f: NewFingerprinter(), m: map[[2]uint64]struct{}{}}
}

func (s fingerprints) add(parts ...string) { s.m[s.f.Of(parts...)] = struct{}{} }

func (s fingerprints) has(parts ...string) bool { _, ok := s.m[s.f.Of(parts...)]; return ok }

// Fingerprinter gives strings 128-bit fingerprints (two independent
// 64-bit hashes, seeded per process): what Seen and the streaming check
// keep per item instead of the item's key.
type Fingerprinter struct{ a, b maphash.Seed }

// NewFingerprinter returns a fingerprinter with fresh seeds.
func NewFingerprinter() Fingerprinter {
	return Fingerprinter{a: maphash.MakeSeed(), b: maphash.MakeSeed()}
}

// Of fingerprints a sequence of strings (each ended by a NUL, so that
// ("ab", "c") and ("a", "bc") differ).
func (f Fingerprinter) Of(parts ...string) [2]uint64 {
	var ha, hb maphash.Hash
	ha.SetSeed(f.a)
	hb.SetSeed(f.b)
	for _, p := range parts {
		ha.WriteString(p)
		ha.WriteByte(0)
		hb.WriteString(p)
		hb.WriteByte(0)
	}
	return [2]uint64{ha.Sum64(), hb.Sum64()}
}

// AddDataset remembers every item of d.
func (s *Seen) AddDataset(d *Dataset) {
	for _, x := range d.Sources {
		s.set.add("s", x.ID)
	}
	for _, x := range d.Entities {
		s.set.add("e", x.ID)
	}
	for _, x := range d.Relationships {
		s.set.add("r", x.From, x.Type, x.To)
	}
}

// Source, Entity and Rel report whether the item was seen.
func (s *Seen) Source(id string) bool { return s.set.has("s", id) }

// Entity reports whether the entity was seen.
func (s *Seen) Entity(id string) bool { return s.set.has("e", id) }

// Rel reports whether the relationship was seen.
func (s *Seen) Rel(k RelKey) bool { return s.set.has("r", k.From, k.Type, k.To) }

// Tagged is a stored item tagged with a dataset, as a store lists them
// when pruning: Kind is "source", "entity" or "relationship"; Key is the
// id, or from, type, to.
type Tagged struct {
	Kind     string
	Key      []string
	Datasets []string
}

// PlanPrune adds to p what pruning dataset p.Dataset does to a stored
// item the load did not see: it loses the tag, and is deleted when no
// other dataset holds it. The same rule as PlanLoad's prune.
func PlanPrune(p *Plan, seen *Seen, t Tagged) {
	var rest []string
	for _, s := range t.Datasets {
		if s != p.Dataset {
			rest = append(rest, s)
		}
	}
	if len(rest) == len(t.Datasets) {
		return // not tagged with this dataset
	}
	switch t.Kind {
	case "source":
		if seen.Source(t.Key[0]) {
			return
		}
		if len(rest) > 0 {
			p.RetagSources[t.Key[0]] = rest
		} else {
			p.DeleteSources = append(p.DeleteSources, t.Key[0])
			p.Sources.Removed++
		}
	case "entity":
		if seen.Entity(t.Key[0]) {
			return
		}
		if len(rest) > 0 {
			p.RetagEntities[t.Key[0]] = rest
		} else {
			p.DeleteEntities = append(p.DeleteEntities, t.Key[0])
			p.Entities.Removed++
		}
	case "relationship":
		k := RelKey{From: t.Key[0], Type: t.Key[1], To: t.Key[2]}
		if seen.Rel(k) {
			return
		}
		if len(rest) > 0 {
			// The dataset's claim goes; the others' stay, and the
			// relationship becomes what they alone say.
			p.RetagRels[k] = rest
			p.Relationships.Updated++
		} else {
			p.DeleteRels = append(p.DeleteRels, k)
			p.Relationships.Removed++
		}
	}
}

// NewPlan returns an empty plan for a dataset, ready to fill.
func NewPlan(dataset string) Plan {
	return Plan{Dataset: dataset, RetagSources: map[string][]string{}, RetagEntities: map[string][]string{}, RetagRels: map[RelKey][]string{}}
}

// AddCounts adds the counts of a part's plan to p.
func (p *Plan) AddCounts(q Plan) {
	for _, c := range []struct{ to, from *Counts }{{&p.Sources, &q.Sources}, {&p.Entities, &q.Entities}, {&p.Relationships, &q.Relationships}} {
		c.to.Created += c.from.Created
		c.to.Updated += c.from.Updated
		c.to.Unchanged += c.from.Unchanged
		c.to.Removed += c.from.Removed
	}
	p.Conflicts = append(p.Conflicts, q.Conflicts...)
}

// Fresh remembers the entities one dataset's load is creating: those the
// store did not hold when their part was planned. A relationship with a
// fresh end cannot be in the store yet (a dataset holds each key once), so
// a store need not look it up — on a first load, that is every
// relationship, and the lookups were most of a million-relationship load
// into Neo4j. One Fresh serves one dataset: another dataset loaded in the
// same run may hold the same relationship, which the first one wrote.
type Fresh struct{ set fingerprints }

// NewFresh returns an empty set.
func NewFresh() *Fresh { return &Fresh{newFingerprints()} }

// Note records the entities of a part that stored (its stored state, by
// id) does not hold.
func (f *Fresh) Note(entities []Entity, stored map[string]ItemState) {
	for _, e := range entities {
		if _, ok := stored[e.ID]; !ok {
			f.set.add(e.ID)
		}
	}
}

// Lookup returns the keys of rels that may be stored: those with no fresh
// end.
func (f *Fresh) Lookup(rels []Relationship) []RelKey {
	keys := make([]RelKey, 0, len(rels))
	for _, r := range rels {
		if f.set.has(r.From) || f.set.has(r.To) {
			continue
		}
		keys = append(keys, r.Key())
	}
	return keys
}
