package loader

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/aptgraph/aptgraph/graph"
)

// A MISP galaxy cluster file (misp-galaxy's clusters/*.json): a
// description of the galaxy and its "values", each a cluster with a
// name, a UUID, synonyms, references and meta data. The threat-actor
// galaxy is mapped as the guide says ("MISP galaxies"); other galaxies'
// clusters become entities of kind other.

type mispGalaxy struct {
	Name        string        `json:"name"`
	Type        string        `json:"type"`
	Source      string        `json:"source"`
	UUID        string        `json:"uuid"`
	Version     int           `json:"version"`
	Description string        `json:"description"`
	Values      []mispCluster `json:"values"`
}

type mispCluster struct {
	Value       string                     `json:"value"`
	UUID        string                     `json:"uuid"`
	Description string                     `json:"description"`
	Meta        map[string]json.RawMessage `json:"meta"`
	Related     []struct {
		DestUUID string   `json:"dest-uuid"`
		Type     string   `json:"type"`
		Tags     []string `json:"tags"`
	} `json:"related"`
}

// isMISPGalaxy tells a MISP galaxy cluster file by content: a mapping
// with a "values" list, a "uuid" and a "type", and no "dataset".
func isMISPGalaxy(root *yaml.Node) bool {
	if root.Kind != yaml.MappingNode {
		return false
	}
	keys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		keys[root.Content[i].Value] = root.Content[i+1]
	}
	v := keys["values"]
	return v != nil && v.Kind == yaml.SequenceNode && keys["uuid"] != nil && keys["type"] != nil && keys["dataset"] == nil
}

// mispStates names the states the galaxy's countries and sponsors point
// to: ISO 3166 alpha-2 code → English short name, and the sponsor
// spellings the galaxy uses besides the short names. A code missing here
// becomes a state named by its code.
var mispStates = map[string]string{
	"AE": "United Arab Emirates", "AT": "Austria", "BR": "Brazil", "BY": "Belarus", "CN": "China",
	"DZ": "Algeria", "EG": "Egypt", "ES": "Spain", "FR": "France", "ID": "Indonesia", "IL": "Israel",
	"IN": "India", "IQ": "Iraq", "IR": "Iran", "IT": "Italy", "KE": "Kenya", "KP": "North Korea",
	"KR": "South Korea", "KZ": "Kazakhstan", "LB": "Lebanon", "LY": "Libya", "MA": "Morocco",
	"MY": "Malaysia", "NG": "Nigeria", "PK": "Pakistan", "PS": "Palestine", "RO": "Romania",
	"RU": "Russia", "SY": "Syria", "TN": "Tunisia", "TR": "Turkey", "TW": "Taiwan", "UA": "Ukraine",
	"US": "United States", "VN": "Vietnam", "GB": "United Kingdom", "DE": "Germany", "JP": "Japan",
}

var mispSponsorCodes = map[string]string{
	"iran (islamic republic of)": "IR", "korea (democratic people's republic of)": "KP",
	"korea (republic of)": "KR", "people's republic of china": "CN", "russian federation": "RU",
	"us": "US", "united states of america": "US",
}

// stateCode finds the code of a sponsor as the galaxy spells it ("" for
// "Unknown" or a name no table knows).
func stateCode(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	if c, ok := mispSponsorCodes[n]; ok {
		return c
	}
	for c, s := range mispStates {
		if strings.ToLower(s) == n || strings.ToLower(c) == n {
			return c
		}
	}
	return ""
}

// MispConfidence maps the galaxy's attribution-confidence (0–100, a
// text) to our levels by the STIX scale (StixConfidence). A missing one
// is "suspected": the galaxy's fields say "suspected" sponsor and
// victims, and it gives no more.
func MispConfidence(s string) graph.Confidence {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return graph.Suspected
	}
	return StixConfidence(&v)
}

// unitRE finds synonyms that name a military unit, not a group ("PLA
// Unit 61419" among Tick's synonyms; "Military Unit 26165").
var unitRE = regexp.MustCompile(`(?i)\bunit\s*\d{3,}\b|\bmilitary unit\b|部队`)

var attackGroupRE = regexp.MustCompile(`^G\d{4}$`)

// mispRelTypes maps a galaxy's related-link types to ours; a link whose
// type is missing here is left out and counted.
var mispRelTypes = map[string]string{
	"similar": "SIMILAR_TO", "overlaps": "OVERLAPS_WITH", "linked-to": "LINKED_TO",
	"related-to": "LINKED_TO", "associated-with": "LINKED_TO", "part-of": "PART_OF",
}

// parseMISPGalaxy maps a MISP galaxy cluster file onto a dataset.
func (p *parser) parseMISPGalaxy(f *File, data []byte, root *yaml.Node) {
	var g mispGalaxy
	if err := json.Unmarshal(data, &g); err != nil {
		p.errorf(root, "check the file against misp-galaxy's cluster schema", "not a MISP galaxy cluster file: %v", err)
		return
	}
	values := fieldNode(root, "values")
	at := func(i int) *yaml.Node {
		if values != nil && i < len(values.Content) {
			return values.Content[i]
		}
		return root
	}
	f.Dataset.Name = slug("misp-galaxy-" + g.Type)
	rep := &STIXReport{Mapped: map[string]int{}, Unmapped: map[string]int{}, Skipped: map[string]int{}}
	f.STIX = rep
	galaxy := graph.Source{ID: f.Dataset.Name, Publisher: orDefault(g.Source, "MISP Project"),
		Title: fmt.Sprintf("MISP galaxy %q, version %d", g.Name, g.Version),
		URL:   "https://github.com/MISP/misp-galaxy/blob/main/clusters/" + url.PathEscape(g.Type) + ".json"}
	sources := map[string]graph.Source{galaxy.ID: galaxy}
	kind := graph.KindOther
	if g.Type == "threat-actor" {
		kind = graph.KindGroup
	}
	ours := map[string]string{} // cluster UUID → our id
	used := map[string]bool{}
	badRefs, units := 0, 0
	var rels []graph.Relationship
	states := map[string]bool{}
	for i, c := range g.Values {
		if strings.TrimSpace(c.Value) == "" || c.UUID == "" {
			p.errorf(at(i), "every cluster needs a value and a uuid", "MISP cluster %d has no value or no uuid", i)
			continue
		}
		meta := func(k string) []string { return metaStrings(c.Meta[k]) }
		id := "misp-" + slug(c.Value)
		if id == "misp-" || used[id] {
			id = "misp-" + shortHash(c.UUID)
		}
		used[id] = true
		ours[c.UUID] = id
		f.at["entity:"+id] = at(i)
		e := graph.Entity{ID: id, Kind: kind, Name: c.Value, Description: c.Description,
			ExternalIDs: map[string]string{"misp-galaxy": c.UUID}, Sources: []string{galaxy.ID}}
		// Aliases: the synonyms and the names vendors give it
		// ("APT1:<vendor uuid>"); an ATT&CK group id among them is the
		// group's external id, which merges it with ATT&CK.
		names := meta("synonyms")
		for _, n := range meta("name-attribution") {
			n, _, _ = strings.Cut(n, ":")
			names = append(names, strings.TrimSpace(n))
		}
		for _, n := range names {
			switch {
			case n == "" || strings.EqualFold(n, c.Value) || slices.Contains(e.Aliases, n):
			case attackGroupRE.MatchString(n):
				e.ExternalIDs["mitre-attack"] = n
			case kind == graph.KindGroup && unitRE.MatchString(n):
				// Another kind of thing: a unit is not a name of the group.
				units++
				p.add(Warning, at(i), "state it as a relationship (the unit directed or is part of the group) in a dataset of your own, citing a source",
					"MISP cluster %q lists %q among its synonyms, which names a military unit, not this group: not taken as an alias", c.Value, n)
			default:
				e.Aliases = append(e.Aliases, n)
			}
		}
		if cc := strings.ToUpper(strings.Join(meta("country"), "")); len(cc) == 2 {
			e.Country = cc
		}
		attrs := map[string]string{}
		for _, k := range []string{"cfr-type-of-incident", "cfr-target-category", "targeted-sector", "motive", "since", "threat-actor-classification"} {
			if v := meta(k); len(v) > 0 {
				attrs[k] = strings.Join(v, "; ")
			}
		}
		if len(attrs) > 0 {
			e.Attributes = attrs
		}
		var cited []string
		for _, r := range meta("refs") {
			if !httpURL(r) {
				badRefs++
				continue
			}
			if _, bad := unencoded(r); bad {
				badRefs++
				continue
			}
			s := graph.Source{ID: "ref-" + shortHash(r), Publisher: hostOf(r), URL: r}
			sources[s.ID] = s
			cited = append(cited, s.ID)
		}
		e.Sources = append(e.Sources, cited...)
		f.Dataset.Entities = append(f.Dataset.Entities, e)
		rep.Mapped[g.Type]++
		// The galaxy's claims: who is suspected to sponsor it, and which
		// country it is given, each hedged by the galaxy's own
		// attribution-confidence and citing the galaxy (and CFR's tracker
		// where the cluster cites it, as the cfr- fields come from it).
		conf := MispConfidence(strings.Join(meta("attribution-confidence"), ""))
		claimSources := []string{galaxy.ID}
		for _, sid := range cited {
			if strings.Contains(sources[sid].URL, "cfr.org/") {
				claimSources = append(claimSources, sid)
			}
		}
		sponsor := ""
		for _, s := range meta("cfr-suspected-state-sponsor") {
			if code := stateCode(s); code != "" {
				sponsor = code
				states[code] = true
				rels = append(rels, graph.Relationship{From: "state-" + strings.ToLower(code), Type: "SPONSORED", To: id, Confidence: conf, Sources: claimSources,
					Description: fmt.Sprintf("MISP galaxy: suspected state sponsor %q (cfr-suspected-state-sponsor)", s)})
			}
		}
		if e.Country != "" && e.Country != sponsor {
			states[e.Country] = true
			rels = append(rels, graph.Relationship{From: id, Type: "ATTRIBUTED_TO", To: "state-" + strings.ToLower(e.Country), Confidence: conf, Sources: []string{galaxy.ID},
				Description: fmt.Sprintf("MISP galaxy: country %s", e.Country)})
		}
		for _, v := range meta("cfr-suspected-victims") {
			vid := "victim-" + slug(v)
			if vid == "victim-" {
				continue
			}
			if !used[vid] {
				used[vid] = true
				f.Dataset.Entities = append(f.Dataset.Entities, graph.Entity{ID: vid, Kind: graph.KindVictim, Name: v, Sources: []string{galaxy.ID}})
			}
			rels = append(rels, graph.Relationship{From: id, Type: "TARGETED", To: vid, Confidence: conf, Sources: claimSources,
				Description: "MISP galaxy: suspected victim (cfr-suspected-victims)"})
		}
	}
	for code := range states {
		name := mispStates[code]
		if name == "" {
			name = code
		}
		f.Dataset.Entities = append(f.Dataset.Entities, graph.Entity{ID: "state-" + strings.ToLower(code), Kind: graph.KindOrganization,
			Name: name, Aliases: []string{code}, Country: code, Description: "a state", Sources: []string{galaxy.ID}})
	}
	unmapped := 0
	for _, c := range g.Values {
		from, ok := ours[c.UUID]
		if !ok {
			continue
		}
		for _, r := range c.Related {
			to, ok := ours[r.DestUUID]
			typ := mispRelTypes[r.Type]
			if !ok || typ == "" || to == from {
				unmapped++
				continue
			}
			rels = append(rels, graph.Relationship{From: from, Type: typ, To: to, Confidence: graph.Suspected, Sources: []string{galaxy.ID},
				Description: "MISP galaxy: related (" + r.Type + ")"})
		}
	}
	// One claim per (from, type, to): the galaxy may say a thing twice.
	seen := map[graph.RelKey]bool{}
	for _, r := range rels {
		if !seen[r.Key()] {
			seen[r.Key()] = true
			f.Dataset.Relationships = append(f.Dataset.Relationships, r)
		}
	}
	for _, id := range sortedSourceIDs(sources) {
		f.Dataset.Sources = append(f.Dataset.Sources, sources[id])
	}
	msg := fmt.Sprintf("MISP galaxy %q: %d clusters became entities, %d states, %d relationships", g.Name, rep.Mapped[g.Type], len(states), len(f.Dataset.Relationships))
	if unmapped > 0 {
		msg += fmt.Sprintf("; %d related links left out (another galaxy's cluster, or a type such as uses or targets between actors)", unmapped)
	}
	if badRefs > 0 {
		msg += fmt.Sprintf("; %d references left out (not an http(s) URL as RFC 3986 writes one)", badRefs)
	}
	if units > 0 {
		msg += fmt.Sprintf("; %d synonyms naming a unit not taken as aliases", units)
	}
	p.add(Info, root, "", "%s", msg)
}

// metaStrings reads a meta value: a string or a list of strings.
func metaStrings(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if strings.TrimSpace(one) == "" {
			return nil
		}
		return []string{one}
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many
	}
	return nil
}

// hostOf names a reference's publisher by its host, without "www.".
func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return u
	}
	return strings.TrimPrefix(p.Hostname(), "www.")
}

func orDefault(s, d string) string {
	if strings.TrimSpace(s) == "" {
		return d
	}
	return s
}
