package graph

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"sort"
	"strings"
)

// Entity is a node of the graph: a state, unit, person, group, server,
// identity or victim.
type Entity struct {
	ID      string   `json:"id"`
	Kind    Kind     `json:"kind"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
	// AliasSources say which sources give an alias (alias → source
	// ids); those sources are among Sources too.
	AliasSources map[string][]string `json:"alias_sources,omitempty"`
	Description  string              `json:"description,omitempty"`
	Country      string              `json:"country,omitempty"`
	ExternalIDs  map[string]string   `json:"external_ids,omitempty"`
	Attributes   map[string]string   `json:"attributes,omitempty"`
	// Sources back the entity's own facts (its aliases, its description,
	// its attributes); each relationship cites its own.
	Sources []string `json:"sources,omitempty"`
	// Roles are the other kinds it also is: a person who is also a
	// victim, a company that is also infrastructure.
	Roles []Kind `json:"roles,omitempty"`
	// TLP marks who may see it (unmarked: as its dataset allows).
	TLP TLP `json:"tlp,omitempty"`
	// Datasets hold it: filled in by the stores when they read it, never
	// part of what a dataset file says.
	Datasets []string `json:"datasets,omitempty"`
}

// Names are the entity's id, name, aliases and external ids (ATT&CK's
// G0060) lower-cased: what a user may type to mean it. Computed here once
// so that both stores resolve names with the same case folding.
func (e Entity) Names() []string {
	seen := map[string]bool{}
	var out []string
	all := append([]string{e.ID, e.Name}, e.Aliases...)
	for _, k := range SortedKeys(e.ExternalIDs) {
		all = append(all, e.ExternalIDs[k])
	}
	for _, s := range all {
		k := Fold(s)
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Fold is the case folding used to match names ("pla" finds "PLA").
func Fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Relationship is a sourced claim that From did Type to To. Its identity is
// (From, Type, To): loading it twice never duplicates it.
type Relationship struct {
	From        string     `json:"from"`
	Type        string     `json:"type"`
	To          string     `json:"to"`
	Confidence  Confidence `json:"confidence"`
	Sources     []string   `json:"sources"`
	Start       string     `json:"start,omitempty"`
	End         string     `json:"end,omitempty"`
	Description string     `json:"description,omitempty"`
	// Via lists, on an attack claim (ATTACKED, TARGETED), the
	// infrastructure, identities and intermediaries the claim's sources
	// say this attack went through. Only these may join the victim's
	// attribution chains (see AttributionRules).
	Via []string `json:"via,omitempty"`
	// Attributes are free facts of the claim: what PAID paid (amount,
	// currency, means), a count of victims, a page.
	Attributes map[string]string `json:"attributes,omitempty"`
	// Citations say, for sources cited in the long form, how sure that
	// source is, in its words, and where: each source's own hedge.
	Citations []Citation `json:"citations,omitempty"`
	// Claims are what each dataset that holds the relationship says of
	// it, when more than one does (see CombineClaims): the fields above
	// are then their combination. Filled in by the stores.
	Claims []Claim `json:"claims,omitempty"`
	// TLP marks who may see it; with several claims, the most
	// restrictive of theirs.
	TLP TLP `json:"tlp,omitempty"`
	// Datasets hold the claim (filled in by the stores).
	Datasets []string `json:"datasets,omitempty"`
}

// Citation is what one source says of a claim: its own confidence (the
// claim's is the strongest of them), a quote and where it stands.
type Citation struct {
	Source     string     `json:"source"`
	Confidence Confidence `json:"confidence,omitempty"`
	Quote      string     `json:"quote,omitempty"`
	// Locator is where in the source: a page, a section, a paragraph.
	Locator string `json:"locator,omitempty"`
}

// Key is the relationship's identity.
func (r Relationship) Key() RelKey { return RelKey{r.From, r.Type, r.To} }

// RelKey identifies a relationship.
type RelKey struct{ From, Type, To string }

// Less orders relationship keys by from, type, to.
func (k RelKey) Less(o RelKey) bool {
	if k.From != o.From {
		return k.From < o.From
	}
	if k.Type != o.Type {
		return k.Type < o.Type
	}
	return k.To < o.To
}

// Compare orders keys as Less does: -1, 0 or +1, for slices.SortFunc.
func (k RelKey) Compare(o RelKey) int {
	return cmp.Or(strings.Compare(k.From, o.From), strings.Compare(k.Type, o.Type), strings.Compare(k.To, o.To))
}

// String renders the key as from-[TYPE]->to for messages.
func (k RelKey) String() string { return k.From + " -[" + k.Type + "]-> " + k.To }

// Source is a report, statement or database that claims are taken from.
type Source struct {
	ID        string `json:"id"`
	Publisher string `json:"publisher"`
	Title     string `json:"title,omitempty"`
	Date      string `json:"date,omitempty"`
	URL       string `json:"url,omitempty"`
	// Description says how the source was used (e.g. "as quoted by …").
	Description string `json:"description,omitempty"`
	// TLP marks who may see it.
	TLP TLP `json:"tlp,omitempty"`
	// Datasets cite it (filled in by the stores).
	Datasets []string `json:"datasets,omitempty"`
}

// Short is how a source is cited in text output: "NHK 2021-04-20".
func (s Source) Short() string {
	if s.Date == "" || strings.Contains(s.Publisher, s.Date) {
		return s.Publisher
	}
	return s.Publisher + " " + s.Date
}

// Dataset is one dataset file's content: a named, reviewable set of
// sources, entities and relationships.
type Dataset struct {
	Name          string         `json:"dataset"`
	Sources       []Source       `json:"sources"`
	Entities      []Entity       `json:"entities"`
	Relationships []Relationship `json:"relationships"`
}

// Normalize sorts everything by identity and sorts and de-duplicates list
// fields, so that equal content always hashes and prints the same.
func (d *Dataset) Normalize() {
	for i := range d.Entities {
		d.Entities[i].Aliases = uniqSorted(d.Entities[i].Aliases)
		d.Entities[i].Sources = uniqSorted(d.Entities[i].Sources)
		if len(d.Entities[i].ExternalIDs) == 0 {
			d.Entities[i].ExternalIDs = nil
		}
		if len(d.Entities[i].Attributes) == 0 {
			d.Entities[i].Attributes = nil
		}
		for a, ss := range d.Entities[i].AliasSources {
			d.Entities[i].AliasSources[a] = uniqSorted(ss)
		}
		if len(d.Entities[i].AliasSources) == 0 {
			d.Entities[i].AliasSources = nil
		}
		slices.Sort(d.Entities[i].Roles)
		d.Entities[i].Roles = slices.Compact(d.Entities[i].Roles)
	}
	for i := range d.Relationships {
		d.Relationships[i].Sources = uniqSorted(d.Relationships[i].Sources)
		d.Relationships[i].Via = uniqSorted(d.Relationships[i].Via)
		if len(d.Relationships[i].Attributes) == 0 {
			d.Relationships[i].Attributes = nil
		}
		slices.SortStableFunc(d.Relationships[i].Citations, func(a, b Citation) int { return strings.Compare(a.Source, b.Source) })
	}
	sort.Slice(d.Sources, func(i, j int) bool { return d.Sources[i].ID < d.Sources[j].ID })
	sort.Slice(d.Entities, func(i, j int) bool { return d.Entities[i].ID < d.Entities[j].ID })
	sort.Slice(d.Relationships, func(i, j int) bool {
		return d.Relationships[i].Key().Less(d.Relationships[j].Key())
	})
}

func uniqSorted(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := append([]string(nil), in...)
	sort.Strings(out)
	w := 1
	for i := 1; i < len(out); i++ {
		if out[i] != out[w-1] {
			out[w] = out[i]
			w++
		}
	}
	return out[:w]
}

// Hash is a content hash of a value's canonical JSON; stores keep it to
// tell created, updated and unchanged items apart on reload.
func Hash(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Only plain domain values are hashed; they always marshal.
		panic("graph: hash: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// Stats counts what a store holds.
type Stats struct {
	Entities      int            `json:"entities"`
	Relationships int            `json:"relationships"`
	Sources       int            `json:"sources"`
	Datasets      []string       `json:"datasets"`
	ByKind        map[string]int `json:"by_kind"`
	ByType        map[string]int `json:"by_type"`
	ByConfidence  map[string]int `json:"by_confidence"`
}

// SortEntities orders entities by kind (legend order), then name, then id:
// the order of `list`, whichever store answers.
func SortEntities(es []Entity) {
	sort.Slice(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Kind != b.Kind {
			return a.Kind.Order() < b.Kind.Order()
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID < b.ID
	})
}

// SortedUnique sorts a list of strings and drops duplicates.
func SortedUnique(in []string) []string { return uniqSorted(in) }

// MergeEntity combines two versions of one entity from different datasets:
// aliases, sources, external ids and attributes are united; the id, kind,
// name, description and country come from base, or from add where base
// has none. Another name of add becomes an alias.
func MergeEntity(base, add Entity) Entity {
	m := base
	if m.Kind == "" {
		m.Kind = add.Kind
	}
	if m.Name == "" {
		m.Name = add.Name
	}
	if m.Description == "" {
		m.Description = add.Description
	}
	if m.Country == "" {
		m.Country = add.Country
	}
	// The most restrictive marking of the two: what one dataset may not
	// share stays unshared.
	m.TLP = MaxTLP(base.TLP, add.TLP)
	m.AliasSources = nil
	for _, src := range []map[string][]string{base.AliasSources, add.AliasSources} {
		for a, ss := range src {
			if m.AliasSources == nil {
				m.AliasSources = map[string][]string{}
			}
			m.AliasSources[a] = uniqSorted(append(append([]string(nil), m.AliasSources[a]...), ss...))
		}
	}
	m.Roles = nil
	for _, r := range append(append([]Kind(nil), base.Roles...), add.Roles...) {
		if r != m.Kind && !slices.Contains(m.Roles, r) {
			m.Roles = append(m.Roles, r)
		}
	}
	slices.Sort(m.Roles)
	m.Aliases = append(append([]string(nil), base.Aliases...), add.Aliases...)
	if Fold(add.Name) != Fold(m.Name) && add.Name != "" {
		m.Aliases = append(m.Aliases, add.Name)
	}
	var aliases []string
	for _, a := range uniqSorted(m.Aliases) {
		if Fold(a) != Fold(m.Name) {
			aliases = append(aliases, a)
		}
	}
	m.Aliases = aliases
	m.Sources = uniqSorted(append(append([]string(nil), base.Sources...), add.Sources...))
	m.ExternalIDs = unionMaps(base.ExternalIDs, add.ExternalIDs)
	m.Attributes = unionMaps(base.Attributes, add.Attributes)
	m.Datasets = nil // the store's to say, not the content's
	return m
}

// unionMaps unites two maps; a's values win.
func unionMaps(a, b map[string]string) map[string]string {
	if len(a)+len(b) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, v := range b {
		out[k] = v
	}
	for k, v := range a {
		out[k] = v
	}
	return out
}

// Step is the relationship's key as a step of a path.
func (r Relationship) Step() Step { return Step{From: r.From, Type: r.Type, To: r.To} }
