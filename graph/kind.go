package graph

import (
	"sort"
	"strings"
)

// Kind is what an entity is. Each kind maps to one Neo4j label (beside
// :Entity) and to one shape and colour in diagrams.
type Kind string

// The entity kinds of the data model (DESIGN.md §3).
const (
	KindOrganization Kind = "organization"
	KindUnit         Kind = "unit"
	KindPerson       Kind = "person"
	KindPersona      Kind = "persona"
	KindGroup        Kind = "group"
	KindCampaign     Kind = "campaign"
	KindServer       Kind = "server"
	KindIdentity     Kind = "identity"
	KindVictim       Kind = "victim"
	KindLocation     Kind = "location"
	KindMalware      Kind = "malware"
	KindTool         Kind = "tool"
	KindOther        Kind = "other"
)

// KindInfo documents a kind: its Neo4j label and what it is for.
type KindInfo struct {
	Kind        Kind
	Label       string
	Description string
}

// kinds is the one list of kinds; its order is the order of legends and
// of `list` output.
var kinds = []KindInfo{
	{KindOrganization, "Organization", "a state body, party, agency, company or police force acting in the story"},
	{KindUnit, "Unit", "a military or intelligence unit, bureau or department inside an organization"},
	{KindPerson, "Person", "an individual, named or not (unnamed people stay unnamed)"},
	{KindPersona, "Persona", "an online persona or handle that publishes, leaks or claims (Guccifer 2.0, DCLeaks, UglyGorilla), whoever acts behind it"},
	{KindGroup, "Group", "a hacker group or intrusion set"},
	{KindCampaign, "Campaign", "a campaign or operation: a set of attacks over a time (STIX campaign; ATT&CK C-ids)"},
	{KindServer, "Server", "a server, domain or other infrastructure used in an operation"},
	{KindIdentity, "Identity", "a false name, fake ID or account used to obtain infrastructure"},
	{KindVictim, "Victim", "an organization or sector that was targeted or attacked"},
	{KindLocation, "Location", "a country, region or city (STIX location): where something is, comes from or was targeted"},
	{KindMalware, "Malware", "a malware family (STIX malware; ATT&CK software of type malware)"},
	{KindTool, "Tool", "legitimate or dual-use software an actor used (STIX tool; ATT&CK software of type tool: Mimikatz, PsExec)"},
	{KindOther, "Other", "an object of another model kept by load --include (a STIX attack-pattern, course-of-action, …)"},
}

// Kinds lists every kind in legend order.
func Kinds() []KindInfo { return append([]KindInfo(nil), kinds...) }

// ParseKind accepts a kind name, case-insensitively.
func ParseKind(s string) (Kind, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, k := range kinds {
		if string(k.Kind) == s {
			return k.Kind, true
		}
	}
	return "", false
}

// Valid reports whether k is one of the model's kinds.
func (k Kind) Valid() bool { return k.Label() != "" }

// Label is the Neo4j label of the kind ("Organization" for organization).
func (k Kind) Label() string {
	for _, i := range kinds {
		if i.Kind == k {
			return i.Label
		}
	}
	return ""
}

// Order is the kind's position in legend order, used to sort by kind.
func (k Kind) Order() int {
	for i, ki := range kinds {
		if ki.Kind == k {
			return i
		}
	}
	return len(kinds)
}

// KindNames lists the kind names, for error messages and completions.
func KindNames() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k.Kind)
	}
	return out
}

// SortedKeys returns the keys of a string map in order; used wherever a map
// is printed so that output is deterministic.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// WithArticle is the kind as a noun phrase: "a group", "an identity",
// "an organization".
func (k Kind) WithArticle() string {
	if k != "" && strings.ContainsRune("aeiou", rune(k[0])) {
		return "an " + string(k)
	}
	return "a " + string(k)
}

// KindLabel is how an entity's kind and roles are shown: "person" or
// "person, also victim".
func KindLabel(e Entity) string {
	out := string(e.Kind)
	if len(e.Roles) > 0 {
		var rs []string
		for _, r := range e.Roles {
			rs = append(rs, string(r))
		}
		out += ", also " + strings.Join(rs, ", ")
	}
	return out
}
