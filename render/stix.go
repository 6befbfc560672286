package render

import (
	"cmp"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/aptgraph/aptgraph/graph"
)

// stixNamespace is aptgraph's UUIDv5 namespace: STIX ids are derived from
// our ids, so exporting the same data twice gives the same bundle.
var stixNamespace = [16]byte{0x6c, 0x1f, 0x3a, 0x52, 0x8e, 0x44, 0x4b, 0x5a, 0x9d, 0x2e, 0x61, 0x41, 0x9a, 0x20, 0x21, 0x04}

func uuid5(name string) string {
	h := sha1.New()
	h.Write(stixNamespace[:])
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// stixType is the STIX 2.1 object type each kind is exported as, and the
// identity_class for those exported as identities.
var stixTypes = map[graph.Kind][2]string{
	graph.KindOrganization: {"identity", "organization"},
	graph.KindUnit:         {"identity", "organization"},
	graph.KindPerson:       {"identity", "individual"},
	graph.KindPersona:      {"threat-actor", ""},
	graph.KindGroup:        {"intrusion-set", ""},
	graph.KindCampaign:     {"campaign", ""},
	graph.KindServer:       {"infrastructure", ""},
	graph.KindIdentity:     {"identity", "unknown"},
	graph.KindVictim:       {"identity", "organization"},
	graph.KindLocation:     {"location", ""},
	graph.KindMalware:      {"malware", ""},
	graph.KindTool:         {"tool", ""},
}

// stixMarking is the marking definition of each TLP level.
var stixMarking = map[graph.TLP]string{
	graph.TLPClear:       "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
	graph.TLPGreen:       "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
	graph.TLPAmber:       "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
	graph.TLPAmberStrict: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	graph.TLPRed:         "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
}

// stixNameOnly are the STIX object types whose only required property
// besides the common ones is name.
var stixNameOnly = map[string]bool{"attack-pattern": true, "campaign": true, "course-of-action": true, "vulnerability": true, "tool": true}

// StixRelationshipType is the STIX relationship_type of one of ours: the
// STIX vocabulary's word where the meaning is the same (USED → uses,
// TARGETED → targets, ATTRIBUTED_TO → attributed-to), else our type in
// the STIX spelling (PART_OF → part-of).
func StixRelationshipType(t string) string {
	switch t {
	case "USED":
		return "uses"
	case "TARGETED":
		return "targets"
	}
	return strings.ReplaceAll(strings.ToLower(t), "_", "-")
}

// stixTime turns a date of year, month or day precision into a STIX
// timestamp at the start (or, with end, the last instant) of the period.
func stixTime(d string, end bool) string {
	layouts := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}
	l, ok := layouts[len(d)]
	if !ok {
		return ""
	}
	t, err := time.Parse(l, d)
	if err != nil {
		return ""
	}
	if end {
		switch len(d) {
		case 4:
			t = t.AddDate(1, 0, 0)
		case 7:
			t = t.AddDate(0, 1, 0)
		default:
			t = t.AddDate(0, 0, 1)
		}
		t = t.Add(-time.Millisecond)
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// STIX writes the subgraph as a STIX 2.1 bundle: entities as identities,
// intrusion sets and infrastructure (see stixTypes), relationships as
// relationship objects with their confidence on the STIX scale, sources
// and external ids as external references. Ids are UUIDv5 of our ids and
// an object's timestamps the latest date of its own sources, so the output
// is deterministic and an object has the same timestamps in every answer
// that holds it (a path's STIX and the export's once differed).
func STIX(w io.Writer, g *graph.Subgraph) error {
	src := map[string]graph.Source{}
	for _, s := range g.Sources {
		src[s.ID] = s
	}
	stampOf := func(ids []string) string {
		stamp := "1970-01-01T00:00:00.000Z"
		for _, id := range ids {
			if t := stixTime(src[id].Date, false); t > stamp {
				stamp = t
			}
		}
		return stamp
	}
	refs := func(ids []string, ext map[string]string) []map[string]any {
		var out []map[string]any
		for _, ns := range graph.SortedKeys(ext) {
			r := map[string]any{"source_name": ns, "external_id": ext[ns]}
			if ns == "mitre-attack" && strings.HasPrefix(ext[ns], "G") {
				r["url"] = "https://attack.mitre.org/groups/" + ext[ns]
			}
			out = append(out, r)
		}
		for _, id := range ids {
			s, ok := src[id]
			if !ok {
				continue
			}
			r := map[string]any{"source_name": s.Publisher}
			desc := strings.TrimSpace(strings.Join([]string{s.Title, s.Date}, " "))
			if desc == "" {
				// STIX wants a description, url or external_id beside the
				// name; a source known only by its publisher (a STIX
				// creator) still has its own description, or at least its id.
				desc = cmp.Or(s.Description, "source "+s.ID)
			}
			r["description"] = desc
			if u := safeURL(s.URL); u != "" {
				r["url"] = u
			}
			out = append(out, r)
		}
		return out
	}
	ids := map[string]string{}
	var objects []map[string]any
	for _, n := range g.Nodes {
		t, ok := stixTypes[n.Kind]
		if n.Kind == graph.KindOther {
			// Kept by load --include: back to its own STIX type when that
			// type needs no more than a name (a custom x- type needs
			// none); else a custom object of ours naming the type, so
			// that nothing is dropped (1,743 of 4,294 entities once
			// were, without a word).
			st := n.Attributes["stix_type"]
			switch {
			case stixNameOnly[st] || strings.HasPrefix(st, "x-") && graph.IDPattern.MatchString(st):
				t, ok = [2]string{st, ""}, true
			default:
				t, ok = [2]string{"x-aptgraph-other", ""}, true
			}
		}
		if !ok {
			t = [2]string{"identity", "unknown"}
		}
		id := t[0] + "--" + uuid5("entity:"+n.ID)
		ids[n.ID] = id
		o := map[string]any{
			"type": t[0], "spec_version": "2.1", "id": id, "created": stampOf(n.Sources), "modified": stampOf(n.Sources),
			"name": n.Name,
		}
		if t[1] != "" {
			o["identity_class"] = t[1]
		}
		desc := n.Description
		if n.Kind == graph.KindUnit {
			desc = strings.TrimSpace("Military or intelligence unit. " + desc)
		}
		if desc != "" {
			o["description"] = desc
		}
		if len(n.Aliases) > 0 && (t[0] == "intrusion-set" || t[0] == "infrastructure" || t[0] == "malware" ||
			t[0] == "tool" || t[0] == "campaign" || t[0] == "threat-actor") {
			o["aliases"] = n.Aliases
		}
		// What STIX has no place for, for a lossless load back: our id and
		// kind (STIX types are coarser: a unit and a victim are both
		// identities), the entity's own sources, aliases where the type
		// has none, country and attributes.
		o["x_aptgraph_id"] = n.ID
		o["x_aptgraph_kind"] = string(n.Kind)
		if _, has := o["aliases"]; !has && len(n.Aliases) > 0 {
			o["x_aptgraph_aliases"] = n.Aliases
		}
		optional(o, map[string]any{"x_aptgraph_sources": n.Sources, "x_aptgraph_country": n.Country, "x_aptgraph_roles": n.Roles,
			"x_aptgraph_alias_sources": n.AliasSources, "x_aptgraph_attributes": n.Attributes})
		if t[0] == "x-aptgraph-other" {
			o["x_stix_type"] = n.Attributes["stix_type"]
		}
		if t[0] == "malware" {
			o["is_family"] = true
		}
		if t[0] == "location" {
			// STIX wants a country, a region or coordinates.
			if len(n.Country) == 2 {
				o["country"] = n.Country
			} else {
				o["region"] = slugWord(n.Name)
			}
		}
		if r := refs(n.Sources, n.ExternalIDs); len(r) > 0 {
			o["external_references"] = r
		}
		if n.TLP != "" {
			o["x_tlp"] = n.TLP // becomes object_marking_refs below
		}
		objects = append(objects, o)
	}
	for _, r := range g.Relationships {
		from, okf := ids[r.From]
		to, okt := ids[r.To]
		if !okf || !okt {
			continue
		}
		o := map[string]any{
			"type": "relationship", "spec_version": "2.1",
			"id":                "relationship--" + uuid5("relationship:"+r.From+"|"+r.Type+"|"+r.To),
			"created":           stampOf(r.Sources),
			"modified":          stampOf(r.Sources),
			"relationship_type": StixRelationshipType(r.Type),
			"source_ref":        from,
			"target_ref":        to,
			"confidence":        r.Confidence.STIX(),
		}
		if r.Description != "" {
			o["description"] = r.Description
		}
		start, stop := stixTime(r.Start, false), stixTime(r.End, true)
		if start != "" {
			o["start_time"] = start
		}
		if stop != "" && (start == "" || stop > start) {
			o["stop_time"] = stop
		}
		if x := refs(r.Sources, nil); len(x) > 0 {
			o["external_references"] = x
		}
		// via has no STIX property of its own: a custom property keeps
		// it (the STIX ids of the entities the attack went through).
		var via []string
		for _, v := range r.Via {
			if id, ok := ids[v]; ok {
				via = append(via, id)
			}
		}
		if len(via) > 0 {
			sort.Strings(via)
			o["x_aptgraph_via"] = via
		}
		// Several datasets' claims: the object carries the strongest
		// confidence and every reference, and each claim as its dataset
		// made it, so that no reference is read under another's hedge.
		if len(r.Claims) > 1 {
			var claims []map[string]any
			for _, c := range r.Claims {
				m := map[string]any{"dataset": c.Dataset, "confidence": c.Confidence.STIX()}
				if x := refs(c.Sources, nil); len(x) > 0 {
					m["external_references"] = x
				}
				if t := stixTime(c.Start, false); t != "" {
					m["start_time"] = t
				}
				if t := stixTime(c.End, true); t != "" {
					m["stop_time"] = t
				}
				if c.Description != "" {
					m["description"] = c.Description
				}
				claims = append(claims, m)
			}
			o["x_aptgraph_claims"] = claims
		}
		if r.TLP != "" {
			o["x_tlp"] = r.TLP
		}
		// The dates as given (a year, a month or a day): start_time and
		// stop_time are instants.
		optional(o, map[string]any{"x_aptgraph_sources": r.Sources, "x_aptgraph_attributes": r.Attributes,
			"x_aptgraph_citations": r.Citations, "x_aptgraph_start": r.Start, "x_aptgraph_end": r.End})
		objects = append(objects, o)
	}
	// Our sources, whole, as custom objects: external references say who
	// published what, but not our source ids, dates or markings.
	for _, sr := range g.Sources {
		o := map[string]any{
			"type": "x-aptgraph-source", "spec_version": "2.1", "id": "x-aptgraph-source--" + uuid5("source:"+sr.ID),
			"created": stampOf([]string{sr.ID}), "modified": stampOf([]string{sr.ID}),
			"x_aptgraph_id": sr.ID, "publisher": sr.Publisher,
		}
		for k, v := range map[string]string{"title": sr.Title, "date": sr.Date, "url": sr.URL, "description": sr.Description, "tlp": string(sr.TLP)} {
			if v != "" {
				o[k] = v
			}
		}
		objects = append(objects, o)
	}
	// TLP markings: the predefined TLP 1.0 definitions, which every
	// consumer knows, and TLP 2.0's AMBER+STRICT (which 1.0 lacks) with
	// its definition.
	strict := false
	for _, o := range objects {
		if t, ok := o["x_tlp"].(graph.TLP); ok {
			delete(o, "x_tlp")
			o["object_marking_refs"] = []string{stixMarking[t]}
			strict = strict || t == graph.TLPAmberStrict
		}
	}
	if strict {
		objects = append(objects, map[string]any{
			"type": "marking-definition", "spec_version": "2.1", "id": stixMarking[graph.TLPAmberStrict],
			"created": "2022-10-01T00:00:00.000Z", "name": "TLP:AMBER+STRICT",
			"extensions": map[string]any{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": map[string]any{
				"extension_type": "property-extension", "tlp_2_0": "amber+strict"}},
		})
	}
	sort.Slice(objects, func(i, j int) bool { return objects[i]["id"].(string) < objects[j]["id"].(string) })
	var all []string
	for _, o := range objects {
		all = append(all, o["id"].(string))
	}
	bundle := map[string]any{
		"type":    "bundle",
		"id":      "bundle--" + uuid5("bundle:"+strings.Join(all, ",")),
		"objects": objects,
	}
	if objects == nil {
		bundle["objects"] = []any{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(bundle)
}

// slugWord is a name as a lower-case, hyphenated word (a STIX open
// vocabulary value).
func slugWord(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

// optional sets the properties whose values are not empty (no empty
// string, list or map): STIX forbids empty lists and what is not said
// is left out.
func optional(o map[string]any, props map[string]any) {
	for k, v := range props {
		if rv := reflect.ValueOf(v); rv.IsValid() && rv.Len() > 0 {
			o[k] = v
		}
	}
}
