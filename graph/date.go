package graph

import (
	"fmt"
	"strconv"
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
