package graph

import (
	"fmt"
	"slices"
	"sort"
)

// ItemState is what a store knows of one stored item when planning a load:
// its content hash and the datasets that contain it.
type ItemState struct {
	Hash     string
	Datasets []string
	// Entity is the stored content, for entities (stores fill it in).
	Entity *Entity
	// Rel is the stored content, for relationships (stores fill it in):
	// the other datasets' claims a load keeps.
	Rel *Relationship
}

// State is the stored state of every item a load touches: the items the
// dataset defines and the items already tagged with its name.
type State struct {
	Sources  map[string]ItemState
	Entities map[string]ItemState
	Rels     map[RelKey]ItemState
}

// NewState returns an empty State ready to fill.
func NewState() State {
	return State{Sources: map[string]ItemState{}, Entities: map[string]ItemState{}, Rels: map[RelKey]ItemState{}}
}

// Counts says how a load changes one category of items.
type Counts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Removed   int `json:"removed"`
}

// Write is one item to store with its hash and dataset membership.
type Write[T any] struct {
	Item     T
	Hash     string
	Datasets []string
	// New is set when the store did not hold the item before: a store
	// may then skip undoing what an older version left (Neo4j's kind
	// labels).
	New bool
}

// Plan is what loading a dataset into a store changes. The stores compute
// it with PlanLoad and then apply it, so that created, updated, unchanged
// and removed mean the same on every store.
type Plan struct {
	Dataset       string                `json:"dataset"`
	Sources       Counts                `json:"sources"`
	Entities      Counts                `json:"entities"`
	Relationships Counts                `json:"relationships"`
	WriteSources  []Write[Source]       `json:"-"`
	WriteEntities []Write[Entity]       `json:"-"`
	WriteRels     []Write[Relationship] `json:"-"`
	// Conflicts are items this dataset defines differently from another
	// dataset that holds them. A store applies no plan that has any.
	Conflicts []Conflict `json:"conflicts,omitempty"`
	// Retag changes only the dataset membership of items that stay.
	RetagSources   map[string][]string `json:"-"`
	RetagEntities  map[string][]string `json:"-"`
	RetagRels      map[RelKey][]string `json:"-"`
	DeleteSources  []string            `json:"-"`
	DeleteEntities []string            `json:"-"`
	DeleteRels     []RelKey            `json:"-"`
}

// Changed reports whether applying the plan changes the store.
func (p *Plan) Changed() bool {
	for _, c := range []Counts{p.Sources, p.Entities, p.Relationships} {
		if c.Created+c.Updated+c.Removed > 0 {
			return true
		}
	}
	return false
}

func heldByOthers(sets []string, name string) bool {
	for _, s := range sets {
		if s != name {
			return true
		}
	}
	return false
}

// Conflict is an item that a dataset defines differently from the other
// datasets that hold it: loading it would silently rewrite what they say
// (another case's diagrams would cite the wrong document), and the store
// would depend on the order of loads.
type Conflict struct {
	Kind string `json:"kind"` // "source" or "entity" (each dataset keeps its own claim on a relationship)
	// Key is the item's id.
	Key string `json:"key"`
	// Field names what differs, where the stores can tell (an entity's
	// name, kind, description, country, or one external id or
	// attribute); Here and There are the two values.
	Field       string   `json:"field,omitempty"`
	Here, There string   `json:"-"`
	DefinedBy   []string `json:"defined_by"`
}

// ConflictError refuses a load whose plans have conflicts.
type ConflictError struct{ Plans []Plan }

func (e *ConflictError) Error() string {
	n := 0
	for _, p := range e.Plans {
		n += len(p.Conflicts)
	}
	return fmt.Sprintf("%d item(s) defined differently by another dataset; nothing was loaded (make them agree, or load with --replace to take the new definitions)", n)
}

// entityConflict names the first field where two versions of an entity
// disagree: both give a value and the values differ. A field only one of
// them gives is no conflict (the merge takes it), so that merging does
// not depend on which dataset came first.
func entityConflict(a, b Entity) (field, here, there string, ok bool) {
	for _, f := range []struct{ name, a, b string }{
		{"kind", string(a.Kind), string(b.Kind)}, {"name", a.Name, b.Name},
		{"description", a.Description, b.Description}, {"country", a.Country, b.Country},
	} {
		if f.a != "" && f.b != "" && f.a != f.b {
			return f.name, f.a, f.b, true
		}
	}
	for _, m := range []struct {
		name string
		a, b map[string]string
	}{{"external id", a.ExternalIDs, b.ExternalIDs}, {"attribute", a.Attributes, b.Attributes}} {
		for _, k := range SortedKeys(m.a) {
			if v, has := m.b[k]; has && v != m.a[k] {
				return m.name + " " + k, m.a[k], v, true
			}
		}
	}
	return "", "", "", false
}

// others lists the datasets other than name.
func others(sets []string, name string) []string {
	var out []string
	for _, s := range sets {
		if s != name {
			out = append(out, s)
		}
	}
	return out
}

// PlanLoad compares a dataset with the stored state. Items whose content
// and membership are unchanged are not written again; with prune, items
// tagged with the dataset but no longer in it lose the tag and are deleted
// when no other dataset holds them. An entity that another dataset also
// holds is merged (MergeEntity) with its stored version, so that loading
// datasets in any order, and again, converges.
//
// An item another dataset holds and this one defines differently is a
// Conflict unless replace: then this dataset's definition is taken.
func PlanLoad(ds *Dataset, st State, prune, replace bool) Plan {
	p := NewPlan(ds.Name)
	with := func(sets []string) []string { return uniqSorted(append(append([]string(nil), sets...), ds.Name)) }
	classify := func(c *Counts, old ItemState, exists bool, hash string) (write bool, sets []string) {
		switch {
		case !exists:
			c.Created++
			return true, []string{ds.Name}
		case old.Hash != hash || !slices.Contains(old.Datasets, ds.Name):
			c.Updated++
			return true, with(old.Datasets)
		}
		c.Unchanged++
		return false, nil
	}
	for _, s := range ds.Sources {
		h := Hash(s)
		old, ok := st.Sources[s.ID]
		if ok && old.Hash != h && heldByOthers(old.Datasets, ds.Name) && !replace {
			p.Conflicts = append(p.Conflicts, Conflict{Kind: "source", Key: s.ID, DefinedBy: others(old.Datasets, ds.Name)})
			continue
		}
		if w, sets := classify(&p.Sources, old, ok, h); w {
			p.WriteSources = append(p.WriteSources, Write[Source]{s, h, sets, !ok})
		}
	}
	for _, e := range ds.Entities {
		old, ok := st.Entities[e.ID]
		if ok && old.Entity != nil && heldByOthers(old.Datasets, ds.Name) {
			if f, here, there, bad := entityConflict(e, *old.Entity); bad && !replace {
				p.Conflicts = append(p.Conflicts, Conflict{Kind: "entity", Key: e.ID, Field: f, Here: here, There: there, DefinedBy: others(old.Datasets, ds.Name)})
				continue
			}
			// Another dataset holds it too: add to it rather than replace
			// its contributions (with no conflict, which comes first does
			// not matter; with --replace, this dataset's values win).
			e = MergeEntity(e, *old.Entity)
		}
		h := Hash(e)
		if w, sets := classify(&p.Entities, old, ok, h); w {
			p.WriteEntities = append(p.WriteEntities, Write[Entity]{e, h, sets, !ok})
		}
	}
	for _, r := range ds.Relationships {
		old, ok := st.Rels[r.Key()]
		if ok && old.Rel != nil {
			// Each dataset keeps its own claim: this one's replaces only
			// what this dataset said before (no conflict to refuse).
			r = WithClaim(*old.Rel, old.Datasets, ClaimOf(r, ds.Name))
		}
		h := Hash(r)
		if w, sets := classify(&p.Relationships, old, ok, h); w {
			p.WriteRels = append(p.WriteRels, Write[Relationship]{r, h, sets, !ok})
		}
	}
	if !prune {
		return p
	}
	seen := NewSeen()
	seen.AddDataset(ds)
	for _, id := range SortedKeys(st.Sources) {
		PlanPrune(&p, seen, Tagged{Kind: "source", Key: []string{id}, Datasets: st.Sources[id].Datasets})
	}
	for _, id := range SortedKeys(st.Entities) {
		PlanPrune(&p, seen, Tagged{Kind: "entity", Key: []string{id}, Datasets: st.Entities[id].Datasets})
	}
	var keys []RelKey
	for k := range st.Rels {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Less(keys[j]) })
	for _, k := range keys {
		PlanPrune(&p, seen, Tagged{Kind: "relationship", Key: []string{k.From, k.Type, k.To}, Datasets: st.Rels[k].Datasets})
	}
	return p
}

// Rename is a stored entity (From) that a load takes over under its own
// id (To): the same thing, by an external id, stored under the id of a
// lower rank (an import's, where a hand-written dataset names it; a MISP
// cluster's, where ATT&CK names it). Applying it makes merging ignore
// the order of loads.
type Rename struct{ From, To string }

// PlanRename is the plan that moves the stored entity from (held by its
// Datasets) to the id of to — the entity the load brings, whose scalars
// win (MergeEntity(to, from)); stored is the entity already stored under
// that id, if any. rels are the stored relationships touching from, and
// atNew the stored relationships at the keys they move to: they are
// re-keyed, their claims united with any already there.
func PlanRename(from, to Entity, stored *Entity, rels []Relationship, atNew map[RelKey]Relationship) Plan {
	p := NewPlan("rename " + from.ID + " → " + to.ID)
	merged := MergeEntity(to, from)
	sets := from.Datasets
	if stored != nil {
		merged = MergeEntity(merged, *stored)
		sets = append(append([]string(nil), stored.Datasets...), sets...)
	}
	merged.ID, merged.Datasets = to.ID, nil
	p.WriteEntities = append(p.WriteEntities, Write[Entity]{Item: merged, Hash: Hash(merged), Datasets: uniqSorted(sets), New: stored == nil})
	p.Entities.Updated++
	swap := func(id string) string {
		if id == from.ID {
			return to.ID
		}
		return id
	}
	for _, r := range rels {
		k := RelKey{From: swap(r.From), Type: r.Type, To: swap(r.To)}
		if k.From == k.To {
			continue // a loop the two ids made: nothing to say
		}
		p.DeleteRels = append(p.DeleteRels, r.Key())
		claims := r.ClaimsBy(r.Datasets)
		sets := r.Datasets
		if e, ok := atNew[k]; ok {
			// Claims already at the new key stay; a dataset claims once.
			kept := e.ClaimsBy(e.Datasets)
			for _, c := range claims {
				if !slices.ContainsFunc(kept, func(o Claim) bool { return o.Dataset == c.Dataset }) {
					kept = append(kept, c)
				}
			}
			claims, sets = kept, append(append([]string(nil), e.Datasets...), sets...)
		}
		for i := range claims {
			for j, v := range claims[i].Via {
				claims[i].Via[j] = swap(v)
			}
		}
		nr := CombineClaims(k, claims)
		p.WriteRels = append(p.WriteRels, Write[Relationship]{Item: nr, Hash: Hash(nr), Datasets: uniqSorted(sets), New: true})
		p.Relationships.Updated++
	}
	p.DeleteEntities = append(p.DeleteEntities, from.ID)
	return p
}
