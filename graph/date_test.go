package graph

import "testing"

func TestPeriod(t *testing.T) {
	parse := []struct {
		in      string
		want    Period
		wantErr bool
	}{
		{"2016..2017", Period{From: "2016", To: "2017"}, false},
		{"2016-04..", Period{From: "2016-04"}, false},
		{"..2017-12-31", Period{To: "2017-12-31"}, false},
		{"2016", Period{From: "2016", To: "2016"}, false},
		{"2017..2016", Period{}, true},
		{"2016-13", Period{}, true},
		{"..", Period{}, true},
	}
	for _, c := range parse {
		t.Run("parse "+c.in, func(t *testing.T) {
			got, err := ParsePeriod(c.in)
			if (err != nil) != c.wantErr || (!c.wantErr && got != c.want) {
				t.Errorf("ParsePeriod(%q) = %+v, %v", c.in, got, err)
			}
		})
	}
	p2016 := Period{From: "2016", To: "2016"}
	admits := []struct {
		name       string
		p          Period
		start, end string
		want       bool
	}{
		{"span overlapping", p2016, "2015", "2017", true},
		{"start only, that year", p2016, "2016", "", true},
		{"start only, later", p2016, "2017", "", false},
		{"end only, earlier", p2016, "", "2015-12", false},
		{"month inside", p2016, "2016-04", "", true},
		{"day at the edge", Period{From: "2016-04"}, "2016-04-30", "", true},
		{"day before", Period{From: "2016-04"}, "2016-03-31", "", false},
		{"undated kept", p2016, "", "", true},
		{"undated left out", Period{From: "2016", To: "2016", DatedOnly: true}, "", "", false},
		{"dated only, any date", Period{DatedOnly: true}, "1999", "", true},
		{"open end", Period{From: "2010"}, "2012", "2013", true},
	}
	for _, c := range admits {
		t.Run(c.name, func(t *testing.T) {
			if got := c.p.Admits(Relationship{Start: c.start, End: c.end}); got != c.want {
				t.Errorf("%+v admits %s..%s: %v, want %v", c.p, c.start, c.end, got, c.want)
			}
		})
	}
}
