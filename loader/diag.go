package loader

import (
	"fmt"
	"sort"
	"strings"
)

// Severity tells an error, which stops a load, from a warning, which does not.
type Severity string

// The severities of a diagnostic.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	// Info reports what an import did (STIX objects mapped, matched).
	Info Severity = "info"
)

// Diagnostic is one problem found in a dataset file, with where it is and,
// when we can tell, what to do about it.
type Diagnostic struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Hint     string   `json:"hint,omitempty"`
}

// String formats the diagnostic the way compilers do, so that editors and
// terminals can jump to it: "file:line:col: error: message (hint)".
func (d Diagnostic) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s: %s", d.File, d.Line, d.Column, d.Severity, d.Message)
	if d.Hint != "" {
		b.WriteString("; ")
		b.WriteString(d.Hint)
	}
	return b.String()
}

// Diagnostics is every problem found in a set of files.
type Diagnostics []Diagnostic

// Errors counts the diagnostics of severity error.
func (ds Diagnostics) Errors() int {
	n := 0
	for _, d := range ds {
		if d.Severity == Error {
			n++
		}
	}
	return n
}

// Warnings counts the diagnostics of severity warning.
func (ds Diagnostics) Warnings() int {
	n := 0
	for _, d := range ds {
		if d.Severity == Warning {
			n++
		}
	}
	return n
}

func (ds Diagnostics) sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// ValidationError is returned when files have errors; it carries all of
// them so that the caller can print every one.
type ValidationError struct {
	Diagnostics Diagnostics
}

func (e *ValidationError) Error() string {
	n := e.Diagnostics.Errors()
	if n == 1 {
		for _, d := range e.Diagnostics {
			if d.Severity == Error {
				return d.String()
			}
		}
	}
	return fmt.Sprintf("%d errors in dataset files", n)
}

// suggest returns the candidate closest to s when it is close enough to
// be a typo, for "did you mean" hints.
func suggest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := levenshtein(ls, strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := 2
	if len(s) > 8 {
		limit = 3
	}
	if bestD <= limit {
		return best
	}
	return ""
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 1 << 30 // no typo is that long; keeps hostile input cheap
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
