package loader

import (
	"context"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/aptgraph/aptgraph/graph"
)

// Matching entities across datasets (docs/DATASETS.md, "Merging"): an
// imported object (STIX, MISP galaxy) is the same as an entity already
// known — in the store, or in another file of the same load — when they
// share an external id (mitre-attack: G0060), or else when they are of
// the same kind and share a name or alias (case-insensitively).
//
// An external id is an identity: every entity holding it is one, and the
// one whose id they all take is chosen by a fixed rule, whatever the
// order of the files — one the store holds; else one of a hand-written
// dataset; else an ATT&CK one (mitre-…); else the lowest id. A name is
// only a clue: several entities matching one by name are reported, and
// the object keeps its own id.

// matchImports renames and merges the entities of imported files that
// match known entities, in place.
func matchImports(files []*File, stored map[string][]graph.Entity) Diagnostics {
	var diags Diagnostics
	for _, f := range files {
		if f.STIX == nil {
			continue
		}
		rename := map[string]string{}
		for i, in := range f.Dataset.Entities {
			byID, byName := map[string]graph.Entity{}, map[string]graph.Entity{}
			where := map[string]*File{}
			rank := map[string]int{}
			add := func(e graph.Entity, g *File, r int) {
				m := byName
				if sharesExternalID(in, e) {
					m = byID
				} else if !sameEntity(in, e) {
					return
				}
				if _, dup := m[e.ID]; !dup || r < rank[e.ID] {
					m[e.ID], where[e.ID], rank[e.ID] = e, g, r
				}
			}
			for _, g := range files {
				if g == f {
					continue
				}
				r := rankFile
				if g.STIX != nil {
					r = rankImport
				}
				for _, e := range g.Dataset.Entities {
					add(e, g, r)
				}
			}
			if stored != nil {
				names := append([]string{in.Name}, in.Aliases...)
				for _, k := range graph.SortedKeys(in.ExternalIDs) {
					names = append(names, in.ExternalIDs[k])
				}
				for _, n := range names {
					for _, e := range stored[graph.Fold(n)] {
						add(e, nil, storedRank(e.ID))
					}
				}
			}
			node := f.at["entity:"+in.ID]
			var target graph.Entity
			switch {
			case len(byID) > 0:
				// One thing under several ids: all take the first by rank.
				best, bestRank := "", rankImport+1
				for _, id := range graph.SortedKeys(byID) {
					r := rank[id]
					if r == rankImport && where[id] != nil {
						r = importRank(id)
					}
					if r < bestRank {
						best, bestRank = id, r
					}
				}
				// This one wins only over imports of a later rank or id;
				// the same id stored or defined elsewhere is merged with
				// (its name and description stay).
				if inRank := importRank(in.ID); inRank < bestRank || inRank == bestRank && in.ID < best {
					continue // the others merge into this one
				}
				target = byID[best]
			case len(byName) == 1:
				for _, e := range byName {
					target = e
				}
			case len(byName) > 1:
				diags = append(diags, diag(f, node, Warning, "give the entities distinct names, or an external id",
					"%s matches several known entities by name (%s); loaded as %s", in.Name, strings.Join(graph.SortedKeys(byName), ", "), in.ID))
				continue
			default:
				continue
			}
			merged := graph.MergeEntity(target, in)
			if g := where[target.ID]; g != nil && g.STIX != nil && rank[target.ID] == rankImport && g.Dataset.Name > f.Dataset.Name {
				// Two imports of one load (ATT&CK ICS and Mobile share
				// objects): the first dataset by name keeps its words,
				// whichever file came first.
				merged = graph.MergeEntity(in, target)
				merged.ID = target.ID
			}
			rename[in.ID] = target.ID
			f.Dataset.Entities[i] = merged
			f.at["entity:"+target.ID] = node
			if g := where[target.ID]; g != nil {
				for j := range g.Dataset.Entities {
					if g.Dataset.Entities[j].ID == target.ID {
						g.Dataset.Entities[j] = merged
					}
				}
			}
			f.STIX.MatchedToKnown = append(f.STIX.MatchedToKnown, in.Name+" → "+target.ID)
			diags = append(diags, diag(f, node, Info, "", "%s (%s) is %s, already known: merged into it", in.Name, in.ID, target.ID))
		}
		resolvePending(f, files, stored, &diags)
		for i, r := range f.Dataset.Relationships {
			if id, ok := rename[r.From]; ok {
				f.Dataset.Relationships[i].From = id
			}
			if id, ok := rename[r.To]; ok {
				f.Dataset.Relationships[i].To = id
			}
			for j, v := range r.Via {
				if id, ok := rename[v]; ok {
					f.Dataset.Relationships[i].Via[j] = id
				}
			}
		}
	}
	return diags
}

// storedRank is the rank of a stored entity: an import's id (mitre-…,
// misp-…) ranks as that import, so that a later load of a higher rank
// takes it over (a Rename); any other stored id cannot change.
func storedRank(id string) int {
	if isImportID(id) {
		return importRank(id)
	}
	return rankStored
}

// isImportID tells the ids imports make up from external ids.
func isImportID(id string) bool {
	return strings.HasPrefix(id, "mitre-") || strings.HasPrefix(id, "misp-")
}

// findRenames lists the stored entities a load takes over: one that
// shares an external id (not a STIX id, which only one import gives)
// with an entity of the load, under an import's id of a lower rank than
// the load's — a hand-written dataset's entity takes over ATT&CK's
// mitre-g0060, ATT&CK's takes over a MISP cluster's misp-tick. Applied
// before the load (Rename), it makes the store the same whatever order
// the datasets were loaded in.
func findRenames(files []*File, stored map[string][]graph.Entity) [][]graph.Rename {
	out := make([][]graph.Rename, len(files))
	for i, f := range files {
		seen := map[string]bool{}
		for _, x := range f.Dataset.Entities {
			xRank := rankFile
			if f.STIX != nil {
				xRank = importRank(x.ID)
			}
			for _, ns := range graph.SortedKeys(x.ExternalIDs) {
				if ns == "stix" {
					continue
				}
				for _, y := range stored[graph.Fold(x.ExternalIDs[ns])] {
					if y.ID == x.ID || seen[y.ID] || y.ExternalIDs[ns] != x.ExternalIDs[ns] || !isImportID(y.ID) || importRank(y.ID) <= xRank {
						continue
					}
					seen[y.ID] = true
					out[i] = append(out[i], graph.Rename{From: y.ID, To: x.ID})
				}
			}
		}
	}
	return out
}

// The ranks of the rule that picks the id of entities one external id
// joins: lowest first.
const (
	rankStored = iota // the store holds it: its id cannot change
	rankFile          // a hand-written dataset names it
	rankATTACK        // an ATT&CK import (mitre-…)
	rankImport        // any other import
)

func importRank(id string) int {
	if strings.HasPrefix(id, "mitre-") {
		return rankATTACK
	}
	return rankImport
}

// sharesExternalID reports whether two entities give the same value for
// one external id.
func sharesExternalID(a, b graph.Entity) bool {
	for ns, v := range a.ExternalIDs {
		if b.ExternalIDs[ns] == v {
			return true
		}
	}
	return false
}

// sameEntity applies the matching rules.
func sameEntity(in, known graph.Entity) bool {
	for ns, v := range in.ExternalIDs {
		if known.ExternalIDs[ns] == v {
			return true
		}
	}
	if in.Kind != known.Kind {
		return false
	}
	names := map[string]bool{}
	for _, n := range known.Names() {
		names[n] = true
	}
	for _, n := range append([]string{in.Name}, in.Aliases...) {
		if names[graph.Fold(n)] {
			return true
		}
	}
	return false
}

func diag(f *File, n *yaml.Node, sev Severity, hint, format string, args ...any) Diagnostic {
	line, col := 1, 1
	if n != nil {
		line, col = n.Line, n.Column
	}
	return Diagnostic{File: f.Name, Line: line, Column: col, Severity: sev, Message: fmt.Sprintf(format, args...), Hint: hint}
}

// resolvePending finds the ends of a bundle's relationships that point
// outside it, by STIX id, among the other files' entities and in the
// store; a relationship whose ends are all found joins the dataset, the
// others are counted out.
func resolvePending(f *File, files []*File, stored map[string][]graph.Entity, diags *Diagnostics) {
	rep := f.STIX
	if len(rep.pending) == 0 {
		return
	}
	find := func(ref string) string {
		for _, g := range files {
			for _, e := range g.Dataset.Entities {
				if e.ExternalIDs["stix"] == ref {
					return e.ID
				}
			}
		}
		for _, e := range stored[graph.Fold(ref)] {
			if e.ExternalIDs["stix"] == ref {
				return e.ID
			}
		}
		return ""
	}
	have := map[graph.RelKey]bool{}
	for _, r := range f.Dataset.Relationships {
		have[r.Key()] = true
	}
	left := 0
	for _, pr := range rep.pending {
		r := pr.Rel
		ok := true
		for _, end := range []struct {
			ref string
			id  *string
		}{{pr.FromRef, &r.From}, {pr.ToRef, &r.To}} {
			if end.ref == "" {
				continue
			}
			id := find(end.ref)
			if id == "" {
				ok = false
			}
			*end.id = id
		}
		if !ok || have[r.Key()] {
			left++
			continue
		}
		have[r.Key()] = true
		f.at["rel:"+fmt.Sprint(len(f.Dataset.Relationships))] = pr.node
		f.Dataset.Relationships = append(f.Dataset.Relationships, r)
		rep.Resolved++
	}
	rep.pending = nil
	*diags = append(*diags, diag(f, nil, Info, "", "%d of %d relationships pointing outside the bundle found their ends in the store or another file; %d left out", rep.Resolved, rep.Outside, left))
}

// lookupAll looks up in the store, in one call, every name an imported
// entity goes by and every STIX id a relationship points to outside its
// bundle (a query per name made a galaxy's import into Neo4j take
// seconds).
func lookupAll(ctx context.Context, files []*File, known Known) (map[string][]graph.Entity, error) {
	if known == nil {
		return nil, nil
	}
	var names []string
	for _, f := range files {
		if f.STIX == nil {
			// A hand-written dataset's external ids: stored imports it
			// takes over (findRenames).
			for _, e := range f.Dataset.Entities {
				for _, k := range graph.SortedKeys(e.ExternalIDs) {
					names = append(names, e.ExternalIDs[k])
				}
			}
			continue
		}
		for _, e := range f.Dataset.Entities {
			names = append(names, e.Name)
			names = append(names, e.Aliases...)
			for _, k := range graph.SortedKeys(e.ExternalIDs) {
				names = append(names, e.ExternalIDs[k])
			}
		}
		for _, pr := range f.STIX.pending {
			names = append(names, pr.FromRef, pr.ToRef)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	out, err := known.LookupNames(ctx, names)
	if err != nil {
		return nil, fmt.Errorf("match imported entities against the store: %w", err)
	}
	return out, nil
}
