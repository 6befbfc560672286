package loader

import (
	"cmp"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/aptgraph/aptgraph/graph"
)

// STIXReport counts what a STIX bundle held and what became of it: mapped
// objects by STIX type, objects with no mapping (kept out, never dropped
// silently), and relationships left out because an end was not mapped.
type STIXReport struct {
	Mapped         map[string]int `json:"mapped"`
	Unmapped       map[string]int `json:"unmapped"`
	Skipped        map[string]int `json:"skipped"` // revoked or deprecated
	DroppedRels    int            `json:"dropped_relationships"`
	MatchedToKnown []string       `json:"matched"` // "stix name → our id"
	// Outside counts relationships with an end outside the bundle, and
	// Resolved those of them found in the store or another file.
	Outside  int `json:"outside,omitempty"`
	Resolved int `json:"resolved,omitempty"`
	pending  []pendingRel
}

// pendingRel is a relationship with an end the bundle does not hold,
// named by its STIX id (FromRef, ToRef) until matchImports finds it.
type pendingRel struct {
	Rel            graph.Relationship
	FromRef, ToRef string
	node           *yaml.Node
}

type stixRef struct {
	SourceName  string `json:"source_name"`
	Description string `json:"description"`
	URL         string `json:"url"`
	ExternalID  string `json:"external_id"`
}

type stixObject struct {
	Type               string    `json:"type"`
	ID                 string    `json:"id"`
	Name               string    `json:"name"`
	Description        string    `json:"description"`
	Aliases            []string  `json:"aliases"`
	CreatedByRef       string    `json:"created_by_ref"`
	ExternalReferences []stixRef `json:"external_references"`
	Confidence         *int      `json:"confidence"`
	IdentityClass      string    `json:"identity_class"`
	ThreatActorTypes   []string  `json:"threat_actor_types"`
	Roles              []string  `json:"roles"`
	RelationshipType   string    `json:"relationship_type"`
	SourceRef          string    `json:"source_ref"`
	TargetRef          string    `json:"target_ref"`
	StartTime          string    `json:"start_time"`
	StopTime           string    `json:"stop_time"`
	Country            string    `json:"country"`
	Region             string    `json:"region"`
	Sectors            []string  `json:"sectors"`
	Revoked            bool      `json:"revoked"`
	Deprecated         bool      `json:"x_mitre_deprecated"`
	Via                []string  `json:"x_aptgraph_via"`
	Kind               string    `json:"x_aptgraph_kind"`
	ObjectRefs         []string  `json:"object_refs"`
	Published          string    `json:"published"`
	ObjectMarkingRefs  []string  `json:"object_marking_refs"`
	StixType           string    `json:"x_stix_type"`
	// An aptgraph export's own properties (render.STIX), for a lossless
	// load back.
	XID            string              `json:"x_aptgraph_id"`
	XSources       []string            `json:"x_aptgraph_sources"`
	XAliases       []string            `json:"x_aptgraph_aliases"`
	XCountry       string              `json:"x_aptgraph_country"`
	XRoles         []string            `json:"x_aptgraph_roles"`
	XCitations     []graph.Citation    `json:"x_aptgraph_citations"`
	XAliasSources  map[string][]string `json:"x_aptgraph_alias_sources"`
	XAttributes    map[string]string   `json:"x_aptgraph_attributes"`
	XStart         string              `json:"x_aptgraph_start"`
	XEnd           string              `json:"x_aptgraph_end"`
	Publisher      string              `json:"publisher"`
	Title          string              `json:"title"`
	Date           string              `json:"date"`
	URL            string              `json:"url"`
	TLP            string              `json:"tlp"`
	DefinitionType string              `json:"definition_type"`
	Definition     struct {
		TLP string `json:"tlp"`
	} `json:"definition"`
}

// stixTLP are the TLP marking definitions STIX predefines: TLP 1.0 (STIX
// 2.1, section 7.2.1.4) and TLP 2.0 (FIRST's STIX extension), by id.
var stixTLP = map[string]graph.TLP{
	"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": graph.TLPClear,
	"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": graph.TLPGreen,
	"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": graph.TLPAmber,
	"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": graph.TLPRed,
	"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487": graph.TLPClear,
	"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb": graph.TLPGreen,
	"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421": graph.TLPAmber,
	"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003": graph.TLPAmberStrict,
	"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1": graph.TLPRed,
}

// markingTLP is the most restrictive TLP level among an object's
// markings (its own marking definitions in the bundle too).
func markingTLP(refs []string, byID map[string]stixObject) graph.TLP {
	var t graph.TLP
	for _, ref := range refs {
		level, ok := stixTLP[ref]
		if !ok {
			m := byID[ref]
			switch {
			case strings.EqualFold(m.DefinitionType, "tlp"):
				level, ok = graph.ParseTLP(m.Definition.TLP)
			case strings.HasPrefix(strings.ToUpper(m.Name), "TLP:"):
				level, ok = graph.ParseTLP(m.Name)
			}
		}
		if ok {
			t = graph.MaxTLP(t, level)
		}
	}
	return t
}

// isSTIXBundle tells a STIX bundle from an aptgraph dataset by content.
func isSTIXBundle(root *yaml.Node) bool {
	if root.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "type" && root.Content[i+1].Value == "bundle" {
			return true
		}
	}
	return false
}

// StixConfidence maps a STIX 2.1 confidence (0–100) to our levels by the
// STIX scale: below 40 suspected, below 60 alleged, below 80 reported,
// else confirmed. A missing confidence is "reported": the publisher states
// the object as fact.
func StixConfidence(c *int) graph.Confidence {
	switch {
	case c == nil:
		return graph.Reported
	case *c < 40:
		return graph.Suspected
	case *c < 60:
		return graph.Alleged
	case *c < 80:
		return graph.Reported
	}
	return graph.Confirmed
}

// StixRelType maps a STIX relationship type to ours: the same word where
// the meaning is the same, else the STIX type in UPPER_SNAKE. Direction is
// kept as STIX has it (attributed-to is never reversed).
func StixRelType(t string) string {
	switch t {
	case "uses":
		return "USED"
	case "targets":
		return "TARGETED"
	}
	return strings.ToUpper(strings.ReplaceAll(t, "-", "_"))
}

var (
	citationRE = regexp.MustCompile(`\(Citation: [^)]*\)`)
	mdLinkRE   = regexp.MustCompile(`\[([^\]]+)\]\([^)]+\)`)
	yearRE     = regexp.MustCompile(`\((\d{4})[,)]`)
)

// plainText drops ATT&CK's citation markers and Markdown links.
func plainText(s string) string {
	s = citationRE.ReplaceAllString(s, "")
	s = mdLinkRE.ReplaceAllString(s, "$1")
	return strings.TrimSpace(s)
}

// slug makes an id-safe slug (graph.IDPattern) of any text.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > 80 {
		out = strings.Trim(out[:80], "-")
	}
	return out
}

func shortHash(s string) string {
	h := sha1.Sum([]byte(s))
	return hex.EncodeToString(h[:4])
}

// parseSTIX maps a STIX 2.1 bundle onto a dataset (README, "STIX 2.1").
func (p *parser) parseSTIX(f *File, data []byte, root *yaml.Node) {
	var bundle struct {
		ID      string            `json:"id"`
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(data, &bundle); err != nil {
		p.errorf(root, "check the bundle against the STIX 2.1 schema", "not a STIX bundle: %v", err)
		return
	}
	objNodes := fieldNode(root, "objects")
	at := func(i int) *yaml.Node {
		if objNodes != nil && objNodes.Kind == yaml.SequenceNode && i < len(objNodes.Content) {
			return objNodes.Content[i]
		}
		return root
	}
	base := strings.TrimSuffix(filepath.Base(f.Name), filepath.Ext(f.Name))
	f.Dataset.Name = slug(base)
	if f.Dataset.Name == "" {
		f.Dataset.Name = "stix-" + shortHash(bundle.ID)
	}
	rep := &STIXReport{Mapped: map[string]int{}, Unmapped: map[string]int{}, Skipped: map[string]int{}}
	f.STIX = rep
	objs := make([]stixObject, len(bundle.Objects))
	targeted := map[string]bool{}
	attributedTo := map[string][]string{} // STIX id → what it is attributed to
	byID := map[string]stixObject{}
	for i, raw := range bundle.Objects {
		if err := json.Unmarshal(raw, &objs[i]); err != nil {
			p.errorf(at(i), "fix the object's fields", "STIX object %d: %v", i, err)
			continue
		}
		byID[objs[i].ID] = objs[i]
		if objs[i].Type == "relationship" && objs[i].RelationshipType == "targets" {
			targeted[objs[i].TargetRef] = true
		}
		if objs[i].Type == "relationship" && objs[i].RelationshipType == "attributed-to" {
			attributedTo[objs[i].SourceRef] = append(attributedTo[objs[i].SourceRef], objs[i].TargetRef)
		}
	}
	sources := map[string]graph.Source{}
	addSource := func(s graph.Source) string {
		if _, ok := sources[s.ID]; !ok {
			sources[s.ID] = s
		}
		return s.ID
	}
	creator := func(o stixObject) string {
		c, ok := byID[o.CreatedByRef]
		if !ok || c.Name == "" {
			return addSource(graph.Source{ID: "stix-" + f.Dataset.Name, Publisher: "STIX bundle " + base, Description: "objects of " + base + " with no external reference"})
		}
		// One creator is one source whatever bundle names it (the ATT&CK
		// domains share MITRE's identity): nothing of the bundle's own
		// goes into its definition.
		return addSource(graph.Source{ID: "stix-creator-" + slug(c.Name), Publisher: c.Name, Description: "creator of STIX objects (STIX identity " + c.ID + ")"})
	}
	refSources := func(o stixObject, ext map[string]string) []string {
		var ids []string
		for _, r := range o.ExternalReferences {
			switch {
			case r.ExternalID != "" && r.SourceName != "":
				ext[r.SourceName] = r.ExternalID
				pub := r.SourceName
				if r.SourceName == "mitre-attack" {
					pub = "MITRE ATT&CK"
				}
				// "ext-": never the id of a hand-written source, which
				// the import would otherwise overwrite.
				ids = append(ids, addSource(graph.Source{ID: "ext-" + slug(r.SourceName+"-"+r.ExternalID), Publisher: pub, Title: o.Name + ", " + r.ExternalID, URL: r.URL}))
			case r.URL == "" && strings.HasPrefix(r.Description, "(Citation:"):
				// ATT&CK lists each alias as a reference whose text only
				// cites others; the cited ones are references too.
			case r.URL != "" || r.Description != "":
				s := graph.Source{ID: "ref-" + slug(r.SourceName), Publisher: r.SourceName, Title: clipRunes(r.Description, 300), URL: r.URL}
				if m := yearRE.FindStringSubmatch(r.Description); m != nil {
					s.Date = m[1]
				}
				if s.ID == "ref-" {
					s.ID = "ref-" + shortHash(r.URL+r.Description)
				}
				ids = append(ids, addSource(s))
			}
		}
		// The creator publishes the object (MITRE states that BRONZE
		// BUTLER uses Avenger, citing Trend Micro): it is a source too.
		if o.CreatedByRef != "" || len(ids) == 0 {
			ids = append(ids, creator(o))
		}
		return ids
	}
	// An aptgraph export's sources, whole, with their own ids.
	ownSources := map[string]bool{}
	for _, o := range objs {
		if o.Type != "x-aptgraph-source" || !graph.IDPattern.MatchString(o.XID) || o.Publisher == "" {
			continue
		}
		t, _ := graph.ParseTLP(o.TLP)
		addSource(graph.Source{ID: o.XID, Publisher: o.Publisher, Title: o.Title, Date: o.Date, URL: o.URL, Description: o.Description, TLP: t})
		ownSources[o.XID] = true
		rep.Mapped["source (aptgraph)"]++
	}
	// own keeps, of an aptgraph export's source list, the sources it holds.
	own := func(ids []string) []string {
		var out []string
		for _, id := range ids {
			if ownSources[id] {
				out = append(out, id)
			}
		}
		return out
	}
	ours := map[string]string{} // STIX id → our id
	used := map[string]bool{}
	for i, o := range objs {
		if o.Type == "" || o.ID == "" {
			p.errorf(at(i), "every STIX object needs a type and an id", "STIX object %d has no type or no id", i)
			continue
		}
		if o.Type == "relationship" || o.Type == "report" || o.Type == "x-aptgraph-source" {
			continue // relationships below; reports and our own sources are sources
		}
		if o.Revoked || o.Deprecated {
			rep.Skipped[o.Type]++
			continue
		}
		var kind graph.Kind
		switch o.Type {
		case "intrusion-set":
			kind = graph.KindGroup
		case "threat-actor":
			kind = threatActorKind(o, attributedTo[o.ID], byID)
		case "identity":
			kind = graph.KindOrganization
			switch o.IdentityClass {
			case "individual":
				kind = graph.KindPerson
			case "class":
				// A sector or class of organizations (OpenCTI's sectors):
				// what attacks target.
				kind = graph.KindVictim
			}
			if targeted[o.ID] {
				kind = graph.KindVictim
			}
		case "infrastructure":
			kind = graph.KindServer
		case "malware":
			kind = graph.KindMalware
		case "tool":
			kind = graph.KindTool
		case "campaign":
			kind = graph.KindCampaign
		case "location":
			kind = graph.KindLocation
		default:
			_, ours := graph.ParseKind(o.Kind) // an aptgraph export keeps what it wrote
			if !ours && (!p.include[o.Type] && !p.include["all"] || o.Type == "marking-definition" || o.Type == "bundle") {
				rep.Unmapped[o.Type]++
				continue
			}
			kind = graph.KindOther
		}
		if k, ok := graph.ParseKind(o.Kind); ok {
			// An aptgraph export says what it was: a unit and a victim
			// are both STIX identities.
			kind = k
		}
		if o.Type == "identity" && !targeted[o.ID] && o.Kind == "" && isCreator(o.ID, objs) {
			rep.Unmapped["identity (creator)"]++
			continue
		}
		ext := map[string]string{}
		var srcs []string
		if (o.XSources != nil || o.XID != "") && len(ownSources) > 0 {
			// Our own export: its sources as listed, its external ids
			// from the references.
			for _, r := range o.ExternalReferences {
				if r.ExternalID != "" && r.SourceName != "" {
					ext[r.SourceName] = r.ExternalID
				}
			}
			srcs = own(o.XSources)
		} else {
			srcs = refSources(o, ext)
		}
		id := ""
		if a := ext["mitre-attack"]; a != "" {
			id = "mitre-" + strings.ToLower(a)
		} else {
			id = slug(o.Name)
			if id == "" || used[id] {
				id = strings.Trim(id+"-"+shortHash(o.ID), "-")
			}
		}
		lossless := o.XID != "" && graph.IDPattern.MatchString(o.XID) && !used[o.XID]
		if lossless {
			id = o.XID
		}
		used[id] = true
		ours[o.ID] = id
		e := graph.Entity{ID: id, Kind: kind, Name: o.Name, Description: plainText(o.Description), ExternalIDs: ext, Sources: srcs,
			TLP: markingTLP(o.ObjectMarkingRefs, byID)}
		if lossless {
			e.Description = o.Description
			if kind == graph.KindUnit {
				e.Description = strings.TrimSpace(strings.TrimPrefix(e.Description, "Military or intelligence unit."))
			}
			e.Aliases = append(e.Aliases, o.XAliases...)
			e.Country = o.XCountry
			// A bundle is input like any other: an alias's sources must be
			// the bundle's own and the alias the entity's.
			for a, ss := range o.XAliasSources {
				if ss = own(ss); len(ss) > 0 && (slices.Contains(o.Aliases, a) || slices.Contains(o.XAliases, a)) {
					if e.AliasSources == nil {
						e.AliasSources = map[string][]string{}
					}
					e.AliasSources[a] = ss
				}
			}
			for _, r := range o.XRoles {
				if k, ok := graph.ParseKind(r); ok && k != kind {
					e.Roles = append(e.Roles, k)
				}
			}
		}
		if e.Name == "" && o.Type == "location" {
			e.Name = cmp.Or(o.Region, o.Country)
		}
		if o.Type == "location" && len(o.Country) == 2 && e.Country == "" {
			e.Country = strings.ToUpper(o.Country)
		}
		if e.Name == "" {
			e.Name = o.ID
		}
		for _, a := range o.Aliases {
			if a != o.Name {
				e.Aliases = append(e.Aliases, a)
			}
		}
		if lossless {
			// Our own export: its external ids and attributes as they
			// were (an imported entity's STIX id is among its external
			// ids already).
			e.Attributes = o.XAttributes
			if len(e.ExternalIDs) == 0 {
				e.ExternalIDs = nil
			}
		} else {
			// The STIX id is an external id: the same object in two
			// bundles is one entity, and a later bundle's relationships
			// find it.
			if e.ExternalIDs == nil {
				e.ExternalIDs = map[string]string{}
			}
			e.ExternalIDs["stix"] = o.ID
			e.Attributes = map[string]string{"stix_type": o.Type}
			if len(o.Sectors) > 0 {
				e.Attributes["sectors"] = strings.Join(o.Sectors, ", ")
			}
			if o.Type == "x-aptgraph-other" && o.StixType != "" {
				e.Attributes["stix_type"] = o.StixType
			}
		}
		f.at["entity:"+id] = at(i)
		f.Dataset.Entities = append(f.Dataset.Entities, e)
		rep.Mapped[o.Type]++
	}
	seen := map[graph.RelKey]int{}
	relAt := map[string]int{} // STIX relationship id → its index
	for i, o := range objs {
		if o.Type != "relationship" {
			continue
		}
		if o.Revoked || o.Deprecated {
			rep.Skipped["relationship"]++
			continue
		}
		if o.RelationshipType == "located-at" {
			// Kept as a relationship to the location, and as the source's
			// location attribute (not for an aptgraph export, whose
			// attributes came whole).
			if loc, ok := byID[o.TargetRef]; ok && loc.Type == "location" && byID[o.SourceRef].XID == "" {
				for j := range f.Dataset.Entities {
					if f.Dataset.Entities[j].ID == ours[o.SourceRef] {
						name := cmp.Or(loc.Name, loc.Country, loc.Region)
						if f.Dataset.Entities[j].Attributes == nil {
							f.Dataset.Entities[j].Attributes = map[string]string{}
						}
						f.Dataset.Entities[j].Attributes["location"] = name
					}
				}
				rep.Mapped["relationship (located-at, also as an attribute)"]++
			}
		}
		from, okf := ours[o.SourceRef]
		to, okt := ours[o.TargetRef]
		_, inF := byID[o.SourceRef]
		_, inT := byID[o.TargetRef]
		// An end the bundle does not hold at all may be in the store or
		// in another file of the load (OpenCTI's companies point to the
		// sectors of another bundle): matchImports resolves it by its
		// STIX id. An end the bundle holds but does not map is out.
		if !okf && inF || !okt && inT {
			rep.DroppedRels++
			continue
		}
		r := graph.Relationship{
			From: from, Type: StixRelType(o.RelationshipType), To: to,
			Confidence:  StixConfidence(o.Confidence),
			Description: plainText(o.Description), TLP: markingTLP(o.ObjectMarkingRefs, byID),
		}
		if o.XSources == nil || len(ownSources) == 0 {
			r.Sources = refSources(o, map[string]string{})
		} else {
			// Our own export: its sources, words, attributes and
			// citations as they were.
			r.Sources = own(o.XSources)
			r.Description = o.Description
			r.Attributes = o.XAttributes
			for _, c := range o.XCitations {
				if _, ok := graph.ParseConfidence(string(c.Confidence)); (ok || c.Confidence == "") && slices.Contains(r.Sources, c.Source) {
					r.Citations = append(r.Citations, c)
				}
			}
		}
		for _, v := range o.Via {
			if id, ok := ours[v]; ok {
				r.Via = append(r.Via, id)
			}
		}
		if len(o.StartTime) >= 10 {
			r.Start = o.StartTime[:10]
		}
		if len(o.StopTime) >= 10 {
			r.End = o.StopTime[:10]
		}
		// Our own export gives the dates as they were written.
		if o.XStart != "" && graph.ValidDate(o.XStart) == nil {
			r.Start = o.XStart
		}
		if o.XEnd != "" && graph.ValidDate(o.XEnd) == nil {
			r.End = o.XEnd
		}
		if !graph.TypePattern.MatchString(r.Type) {
			p.errorf(at(i), "use a STIX relationship type made of letters, digits and hyphens", "relationship type %q cannot be mapped", clip(o.RelationshipType))
			continue
		}
		if !okf || !okt {
			pr := pendingRel{Rel: r, node: at(i)}
			if !okf {
				pr.FromRef = o.SourceRef
			}
			if !okt {
				pr.ToRef = o.TargetRef
			}
			rep.pending = append(rep.pending, pr)
			continue
		}
		if j, dup := seen[r.Key()]; dup {
			// STIX may state a claim twice; keep one, with every source.
			prev := &f.Dataset.Relationships[j]
			prev.Sources = append(prev.Sources, r.Sources...)
			relAt[o.ID] = j
			continue
		}
		seen[r.Key()] = len(f.Dataset.Relationships)
		relAt[o.ID] = len(f.Dataset.Relationships)
		f.at["rel:"+fmt.Sprint(len(f.Dataset.Relationships))] = at(i)
		f.Dataset.Relationships = append(f.Dataset.Relationships, r)
		rep.Mapped["relationship"]++
	}
	// A report is a source: every object and relationship it holds
	// (object_refs) cites it.
	entAt := map[string]int{}
	for j, e := range f.Dataset.Entities {
		entAt[e.ID] = j
	}
	for _, o := range objs {
		if o.Type != "report" || o.ID == "" {
			continue
		}
		if o.Revoked {
			rep.Skipped["report"]++
			continue
		}
		src := graph.Source{ID: "report-" + slug(o.Name), Publisher: "STIX report", Title: clipRunes(o.Name, 300), Description: "STIX report " + o.ID,
			TLP: markingTLP(o.ObjectMarkingRefs, byID)}
		if src.ID == "report-" {
			src.ID = "report-" + shortHash(o.ID)
		}
		if c, ok := byID[o.CreatedByRef]; ok && c.Name != "" {
			src.Publisher = c.Name
		}
		if len(o.Published) >= 10 && graph.ValidDate(o.Published[:10]) == nil {
			src.Date = o.Published[:10]
		}
		for _, r := range o.ExternalReferences {
			if r.URL != "" && httpURL(r.URL) {
				if _, bad := unencoded(r.URL); !bad {
					src.URL = r.URL
					break
				}
			}
		}
		addSource(src)
		for _, ref := range o.ObjectRefs {
			if j, ok := relAt[ref]; ok {
				f.Dataset.Relationships[j].Sources = appendOnce(f.Dataset.Relationships[j].Sources, src.ID)
			} else if id, ok := ours[ref]; ok {
				j := entAt[id]
				f.Dataset.Entities[j].Sources = appendOnce(f.Dataset.Entities[j].Sources, src.ID)
			}
		}
		rep.Mapped["report (as a source)"]++
	}
	for _, id := range sortedSourceIDs(sources) {
		f.Dataset.Sources = append(f.Dataset.Sources, sources[id])
	}
	var parts []string
	for _, t := range graph.SortedKeys(rep.Unmapped) {
		parts = append(parts, fmt.Sprintf("%s %d", t, rep.Unmapped[t]))
	}
	mapped := 0
	for t, n := range rep.Mapped {
		if !strings.HasPrefix(t, "relationship") && !strings.HasPrefix(t, "report") {
			mapped += n
		}
	}
	msg := fmt.Sprintf("STIX 2.1 bundle: %d objects became entities, %d relationships", mapped, len(f.Dataset.Relationships))
	if n := rep.Mapped["report (as a source)"]; n > 0 {
		msg += fmt.Sprintf(", %d reports sources of what they hold", n)
	}
	if len(parts) > 0 {
		msg += "; not mapped (kept out; --include TYPE keeps them): " + strings.Join(parts, ", ")
	}
	if rep.DroppedRels > 0 {
		msg += fmt.Sprintf("; %d relationships left out because an end is not mapped", rep.DroppedRels)
	}
	if rep.Outside = len(rep.pending); rep.Outside > 0 {
		msg += fmt.Sprintf("; %d relationships point outside the bundle (kept if the store or another file holds their end)", rep.Outside)
	}
	if len(rep.Skipped) > 0 {
		var sk []string
		for _, t := range graph.SortedKeys(rep.Skipped) {
			sk = append(sk, fmt.Sprintf("%s %d", t, rep.Skipped[t]))
		}
		msg += "; revoked or deprecated, left out: " + strings.Join(sk, ", ")
	}
	p.add(Info, root, "", "%s", msg)
}

// threatActorKind maps a STIX threat-actor to a kind: a persona when it
// is attributed to an individual (OASIS's APT1 example: "Ugly Gorilla"
// attributed-to Wang Dong) — the handle, not the man; an organization
// when it is a state or directs or sponsors (the organization end of
// attribution chains); a person for insiders and spies; else a group.
func threatActorKind(o stixObject, attributedTo []string, byID map[string]stixObject) graph.Kind {
	for _, id := range attributedTo {
		if t, ok := byID[id]; ok && t.Type == "identity" && t.IdentityClass == "individual" {
			return graph.KindPersona
		}
	}
	kind := graph.KindGroup
	for _, t := range o.ThreatActorTypes {
		switch t {
		case "insider-accidental", "insider-disgruntled", "spy":
			kind = graph.KindPerson
		}
	}
	for _, t := range append(append([]string(nil), o.ThreatActorTypes...), o.Roles...) {
		if t == "nation-state" || t == "sponsor" || t == "director" {
			kind = graph.KindOrganization
		}
	}
	return kind
}

func isCreator(id string, objs []stixObject) bool {
	for _, o := range objs {
		if o.CreatedByRef == id {
			return true
		}
	}
	return false
}

func sortedSourceIDs(m map[string]graph.Source) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func appendOnce(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}
