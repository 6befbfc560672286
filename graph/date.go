package graph

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ValidDate checks a date of year, year-month or full-date precision
// ("2016", "2016-05", "2016-05-01"), the precisions reports give.
func ValidDate(s string) error {
	var layout string
	switch len(s) {
	case 4:
		layout = "2006"
	case 7:
		layout = "2006-01"
	case 10:
		layout = "2006-01-02"
	default:
		return fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	if _, err := strconv.Atoi(s[:4]); err != nil {
		return fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	if _, err := time.Parse(layout, s); err != nil {
		return fmt.Errorf("date %q is not a real date: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	return nil
}

// Period limits a query to claims whose dates overlap it (--during
// 2016..2017). A claim with a start and an end spans them; with only one
// of them, it spans that date's own precision (2016 is the whole of
// 2016). An undated claim passes unless DatedOnly.
type Period struct {
	From, To  string // "" for an open end
	DatedOnly bool
}

// IsZero reports whether the period limits nothing.
func (p Period) IsZero() bool { return p.From == "" && p.To == "" && !p.DatedOnly }

// ParsePeriod reads FROM..TO, FROM.., ..TO or a single date (its own
// span), each a date of year, year-month or full-date precision.
func ParsePeriod(s string) (Period, error) {
	from, to, ranged := strings.Cut(s, "..")
	if !ranged {
		to = from
	}
	p := Period{From: strings.TrimSpace(from), To: strings.TrimSpace(to)}
	for _, d := range []string{p.From, p.To} {
		if d == "" {
			continue
		}
		if err := ValidDate(d); err != nil {
			return p, err
		}
	}
	if p.From == "" && p.To == "" {
		return p, fmt.Errorf("period %q: give FROM..TO, FROM.., ..TO or one date", s)
	}
	if p.From != "" && p.To != "" && lowerDate(p.From) > upperDate(p.To) {
		return p, fmt.Errorf("period %q ends before it starts", s)
	}
	return p, nil
}

// Admits reports whether r's dates overlap the period.
func (p Period) Admits(r Relationship) bool {
	if p.IsZero() {
		return true
	}
	start, end := r.Start, r.End
	if start == "" && end == "" {
		return !p.DatedOnly
	}
	if start == "" {
		start = end
	}
	if end == "" {
		end = start
	}
	if p.To != "" && lowerDate(start) > upperDate(p.To) {
		return false
	}
	if p.From != "" && upperDate(end) < lowerDate(p.From) {
		return false
	}
	return true
}

// lowerDate and upperDate are the first and last day a date of any
// precision covers, as YYYY-MM-DD, so that they compare as strings
// ("2016-04-31" is no real day but sorts after every day of April).
func lowerDate(d string) string {
	switch len(d) {
	case 4:
		return d + "-01-01"
	case 7:
		return d + "-01"
	}
	return d
}

func upperDate(d string) string {
	switch len(d) {
	case 4:
		return d + "-12-31"
	case 7:
		return d + "-31"
	}
	return d
}
