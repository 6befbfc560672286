package loader

import (
	"context"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/aptgraph/aptgraph/graph"
)

// Matching entities across datasets (README, "STIX 2.1 import"): an
// imported STIX object is the same as an entity already known — in the
// store, or in another file of the same load — when they share an
// external id (mitre-attack: G0060), or else when they are of the same
// kind and share a name or alias (case-insensitively). A single match
// takes the known entity's id; several matches are reported and the
// object keeps its own id.

// matchImports renames and merges the entities of STIX files that match
// known entities, in place.
func matchImports(ctx context.Context, files []*File, known Known) (Diagnostics, error) {
	var diags Diagnostics
	for _, f := range files {
		if f.STIX == nil {
			continue
		}
		rename := map[string]string{}
		for i, in := range f.Dataset.Entities {
			cands := map[string]graph.Entity{}
			where := map[string]*File{}
			for _, g := range files {
				if g == f {
					continue
				}
				for _, e := range g.Dataset.Entities {
					if sameEntity(in, e) {
						cands[e.ID] = e
						where[e.ID] = g
					}
				}
			}
			if known != nil {
				for _, n := range append([]string{in.Name}, in.Aliases...) {
					found, err := known.Lookup(ctx, n)
					if err != nil {
						return nil, fmt.Errorf("match %s against the store: %w", in.Name, err)
					}
					for _, e := range found {
						if _, dup := cands[e.ID]; !dup && sameEntity(in, e) {
							cands[e.ID] = e
						}
					}
				}
			}
			node := f.at["entity:"+in.ID]
			switch len(cands) {
			case 0:
				continue
			case 1:
			default:
				diags = append(diags, diag(f, node, Warning, "give the entities distinct names, or an external id",
					"%s matches several known entities (%s); loaded as %s", in.Name, strings.Join(graph.SortedKeys(cands), ", "), in.ID))
				continue
			}
			var known graph.Entity
			for _, e := range cands {
				known = e
			}
			merged := graph.MergeEntity(known, in)
			rename[in.ID] = known.ID
			f.Dataset.Entities[i] = merged
			f.at["entity:"+known.ID] = node
			if g := where[known.ID]; g != nil {
				for j := range g.Dataset.Entities {
					if g.Dataset.Entities[j].ID == known.ID {
						g.Dataset.Entities[j] = merged
					}
				}
			}
			f.STIX.MatchedToKnown = append(f.STIX.MatchedToKnown, in.Name+" → "+known.ID)
			diags = append(diags, diag(f, node, Info, "", "%s (%s) is %s, already known: merged into it", in.Name, in.ID, known.ID))
		}
		for i, r := range f.Dataset.Relationships {
			if id, ok := rename[r.From]; ok {
				f.Dataset.Relationships[i].From = id
			}
			if id, ok := rename[r.To]; ok {
				f.Dataset.Relationships[i].To = id
			}
		}
	}
	return diags, nil
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
