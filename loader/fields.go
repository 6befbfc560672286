package loader

import (
	"regexp"

	"github.com/aptgraph/aptgraph/graph"
)

// fieldType is the shape a field's value must have.
type fieldType int

const (
	fString fieldType = iota
	fList             // a list of strings
	fMap              // a mapping of string to string
	fItems            // a list of mappings (the sections of a dataset)
)

// field describes one field of the dataset format. The same tables drive
// the decoder, the unknown-field check and the JSON Schema, so the three
// cannot drift apart.
type field struct {
	name     string
	typ      fieldType
	required bool
	doc      string
	enum     func() []string // allowed values, if fixed
	pattern  *regexp.Regexp  // what a string must match
	date     bool            // YYYY, YYYY-MM or YYYY-MM-DD
}

var datasetFields = []field{
	{name: "dataset", typ: fString, required: true, doc: "name of the dataset; a lower-case slug. Loading with --prune removes what this dataset no longer contains", pattern: graph.IDPattern},
	{name: "description", typ: fString, doc: "what the dataset covers"},
	{name: "sources", typ: fItems, doc: "the reports, statements and databases that claims cite"},
	{name: "entities", typ: fItems, doc: "the actors, infrastructure and victims"},
	{name: "relationships", typ: fItems, doc: "the sourced claims joining entities"},
	{name: "tlp", typ: fString, doc: "TLP marking of every item that gives none of its own: clear, green, amber, amber+strict or red", enum: graph.TLPNames},
}

var sourceFields = []field{
	{name: "id", typ: fString, required: true, doc: "unique source id, cited by entities and relationships", pattern: graph.IDPattern},
	{name: "publisher", typ: fString, required: true, doc: "who published it (NHK, Kyodo News, MITRE ATT&CK)"},
	{name: "title", typ: fString, doc: "title of the report, or a bracketed description when untitled"},
	{name: "date", typ: fString, doc: "publication date", date: true},
	{name: "url", typ: fString, doc: "http(s) link to the source"},
	{name: "description", typ: fString, doc: "how the source reached us (e.g. as quoted by another outlet)"},
	tlpField,
}

// citationFields are the long form of a relationship's source: what that
// source says, in its words, and where.
var citationFields = []field{
	{name: "id", typ: fString, required: true, doc: "the source's id", pattern: graph.IDPattern},
	{name: "confidence", typ: fString, doc: "how sure this source is", enum: graph.ConfidenceNames},
	{name: "quote", typ: fString, doc: "the source's own words"},
	{name: "locator", typ: fString, doc: "where in the source: a page, section or paragraph"},
}

// tlpField marks who may see an item (FIRST TLP 2.0); --max-tlp filters
// every output by it.
var tlpField = field{name: "tlp", typ: fString, doc: "TLP marking: clear, green, amber, amber+strict or red; --max-tlp leaves out what is above", enum: graph.TLPNames}

var entityFields = []field{
	{name: "id", typ: fString, required: true, doc: "unique entity id; a lower-case slug", pattern: graph.IDPattern},
	{name: "kind", typ: fString, required: true, doc: "what the entity is", enum: graph.KindNames},
	{name: "name", typ: fString, required: true, doc: "display name; unnamed people get a description, never an invented name"},
	{name: "aliases", typ: fList, doc: "other names; matched case-insensitively by every command; in the long form {name, sources} with the sources that give the name"},
	{name: "description", typ: fString, doc: "what the sources say it is"},
	{name: "country", typ: fString, doc: "country, as ISO 3166 alpha-2 code or name"},
	{name: "external_ids", typ: fMap, doc: "ids in other catalogues, e.g. mitre-attack: G0060"},
	{name: "attributes", typ: fMap, doc: "free key/value facts (location, counts, …)"},
	{name: "sources", typ: fList, doc: "sources of the entity's own facts (aliases, description, attributes)"},
	{name: "roles", typ: fList, doc: "other kinds it also is: a person who is also a victim (list --kind finds it under each)"},
	tlpField,
}

var relationshipFields = []field{
	{name: "from", typ: fString, required: true, doc: "id of the entity that acts", pattern: graph.IDPattern},
	{name: "type", typ: fString, required: true, doc: "UPPER_SNAKE relationship type; see the vocabulary", pattern: graph.TypePattern},
	{name: "to", typ: fString, required: true, doc: "id of the entity acted upon", pattern: graph.IDPattern},
	{name: "confidence", typ: fString, doc: "how sure the sources are (required unless every source's own is given in the long form; the claim's is the strongest)", enum: graph.ConfidenceNames},
	{name: "sources", typ: fList, required: true, doc: "the sources that make the claim (at least one): ids, or in the long form {id, confidence, quote, locator} giving a source's own confidence, words and place"},
	{name: "start", typ: fString, doc: "when it began", date: true},
	{name: "end", typ: fString, doc: "when it ended", date: true},
	{name: "description", typ: fString, doc: "what the sources say, in their words"},
	{name: "via", typ: fList, doc: "on ATTACKED and TARGETED: ids of the servers, identities and intermediaries the sources say this attack went through; only these join the victim's attribution chains"},
	{name: "attributes", typ: fMap, doc: "free key/value facts of the claim: what PAID paid (amount, currency, means), a count of victims, a page"},
	tlpField,
}

func fieldNames(fs []field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.name
	}
	return out
}
