package graph

import "strings"

// Confidence says how sure the sources are of a claim. The levels are
// ordered; each carries the STIX 2.1 confidence value it is exported as.
type Confidence string

// The confidence levels, weakest first.
const (
	Suspected Confidence = "suspected"
	Alleged   Confidence = "alleged"
	Reported  Confidence = "reported"
	Confirmed Confidence = "confirmed"
)

// ConfidenceInfo documents a level: its rank, STIX value and when to use it.
type ConfidenceInfo struct {
	Level   Confidence
	Rank    int
	STIX    int
	Meaning string
}

var confidences = []ConfidenceInfo{
	{Suspected, 1, 30, `a source says someone "suspects" or "believes" it; an investigative hypothesis`},
	{Alleged, 2, 50, `a source reports it with "allegedly", "is said to", "claimed", or from unnamed sources`},
	{Reported, 3, 70, "a credible source states it as fact without hedging"},
	{Confirmed, 4, 90, "the party concerned or an official record confirms it"},
}

// Confidences lists the levels, weakest first.
func Confidences() []ConfidenceInfo { return append([]ConfidenceInfo(nil), confidences...) }

// ParseConfidence accepts a level name, case-insensitively.
func ParseConfidence(s string) (Confidence, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, c := range confidences {
		if string(c.Level) == s {
			return c.Level, true
		}
	}
	return "", false
}

// Rank orders levels: suspected 1 … confirmed 4; 0 for an unknown level.
func (c Confidence) Rank() int {
	for _, i := range confidences {
		if i.Level == c {
			return i.Rank
		}
	}
	return 0
}

// STIX is the STIX 2.1 confidence value (0–100) of the level.
func (c Confidence) STIX() int {
	for _, i := range confidences {
		if i.Level == c {
			return i.STIX
		}
	}
	return 0
}

// ConfidenceNames lists the level names, weakest first.
func ConfidenceNames() []string {
	out := make([]string, len(confidences))
	for i, c := range confidences {
		out[i] = string(c.Level)
	}
	return out
}

// ConfidenceOfRank is the level of a rank (Rank's inverse); "" for a rank
// no level has.
func ConfidenceOfRank(rank int) Confidence {
	for _, c := range confidences {
		if c.Rank == rank {
			return c.Level
		}
	}
	return ""
}
