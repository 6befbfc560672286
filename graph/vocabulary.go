package graph

import "regexp"

// TypePattern is what a relationship type must look like. Types are used
// as Neo4j relationship types, so only identifiers that match it ever
// reach a Cypher statement.
var TypePattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,63}$`)

// IDPattern is what an entity or source id must look like: a lower-case
// slug, so that ids are safe in URLs, file names and DOT.
var IDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,127}$`)

// RelType documents one relationship type of the vocabulary.
type RelType struct {
	Type    string
	Meaning string
}

// vocabulary is the documented set of relationship types. A type outside
// it is allowed (with a warning) so that analysts are never blocked.
var vocabulary = []RelType{
	{"DIRECTED", "A ordered or directed B to act (a state or unit directing a group)"},
	{"INSTRUCTED", "A gave instructions to the person B"},
	{"SPONSORED", "A funded or sponsored B"},
	{"COMMANDED", "A commanded the unit or group B"},
	{"PART_OF", "A is a unit or department inside B"},
	{"MEMBER_OF", "the person A belongs to B"},
	{"AFFILIATED_WITH", "A is linked to B without a known hierarchy"},
	{"RENTED", "A rented or leased the server B"},
	{"USED", "A used B (infrastructure, identity or tool) in an operation"},
	{"USED_IDENTITY", "A used the false name or fake ID B"},
	{"PASSED_CREDENTIALS_TO", "A handed access credentials to B"},
	{"HOSTED_ON", "A (a site, a tool, a service) ran on the server B"},
	{"FUNDED", "A paid for B (a server, a service, an operation)"},
	{"PURCHASED", "A bought B"},
	{"ATTACKED", "A carried out an attack or intrusion against B"},
	{"TARGETED", "A targeted B without a reported compromise"},
	{"INVESTIGATED", "A (police, agency) investigated or questioned B"},
	{"REFERRED_TO_PROSECUTORS", "A referred B to prosecutors"},
	{"ATTRIBUTED_TO", "an analyst or agency attributes A to B"},
	{"ALIAS_OF", "A is another name for B used by some source"},
	{"EMPLOYED_BY", "the person A works or worked for B"},
	{"PAID", "A paid B (a person, a service, a server); the amount, currency and means as the claim's attributes"},
	{"LEAKED_TO", "A passed stolen or secret material to B (a persona to a journalist, a site)"},
	{"IMPERSONATES", "A poses as B (STIX impersonates)"},
	{"COMPROMISES", "A compromised the infrastructure B (STIX compromises)"},
	{"OWNS", "A owns B (STIX owns)"},
	{"AUTHORED_BY", "the malware or tool A was written by B (STIX authored-by)"},
	{"ORIGINATES_FROM", "A comes from the place B (STIX originates-from)"},
	{"LOCATED_AT", "A is at the place B (STIX located-at)"},
	{"HOSTS", "the infrastructure A hosts B (STIX hosts: a server hosting malware or a tool)"},
}

// Vocabulary lists the documented relationship types.
func Vocabulary() []RelType { return append([]RelType(nil), vocabulary...) }

// InVocabulary reports whether t is a documented relationship type.
func InVocabulary(t string) bool {
	for _, v := range vocabulary {
		if v.Type == t {
			return true
		}
	}
	return false
}
