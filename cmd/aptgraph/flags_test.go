package main

import (
	"errors"
	"fmt"
	"github.com/aptgraph/aptgraph/store/neo4jstore"
	"reflect"
	"testing"

	"github.com/aptgraph/aptgraph/loader"
	"github.com/aptgraph/aptgraph/queries"
)

func TestParseParamValue(t *testing.T) {
	cases := []struct {
		in   string
		want any
	}{
		{"42", int64(42)},
		{"-7", int64(-7)},
		{"1.5", 1.5},
		{"true", true},
		{"null", nil},
		{`"quoted"`, "quoted"},
		{"plain text", "plain text"},
		{"tick", "tick"},
		{`[1, "a", 2.5]`, []any{int64(1), "a", 2.5}},
		{`{"k": [3]}`, map[string]any{"k": []any{int64(3)}}},
		{"[1, 2", "[1, 2"},
		{"1 2", "1 2"},
	}
	for _, c := range cases {
		if got := parseParamValue(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("parseParamValue(%q) = %#v, want %#v", c.in, got, c.want)
		}
	}
	if _, err := parseParams([]string{"bad-name=1"}); err == nil {
		t.Error("parameter name with a dash accepted")
	}
	if _, err := parseParams([]string{"novalue"}); err == nil {
		t.Error("parameter without = accepted")
	}
}

func TestOutputFormat(t *testing.T) {
	cases := []struct {
		format, output string
		want           string
		usage          bool
	}{
		{"", "", "text", false},
		{"", "x.svg", "svg", false},
		{"", "x.PNG", "png", false},
		{"", "x.gv", "dot", false},
		{"", "x.txt", "text", false},
		{"json", "x.svg", "json", false},
		{"", "x.pdf", "", true},
		{"pdf", "", "", true},
	}
	for _, c := range cases {
		o := outputOpts{format: c.format, output: c.output, scale: 2}
		got, err := o.resolve(graphFormats)
		if c.usage {
			var ue usageError
			if !errors.As(err, &ue) {
				t.Errorf("%+v: want a usage error, got %v", c, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%+v: got %q, %v; want %q", c, got, err, c.want)
		}
	}
}

func TestExitCode(t *testing.T) {
	cases := []struct {
		err  error
		want int
	}{
		{nil, exitOK},
		{errors.New("disk on fire"), exitFailure},
		{usagef("bad flag"), exitUsage},
		{&loader.ValidationError{}, exitUsage},
		{fmt.Errorf("wrapped: %w", &queries.NotFoundError{Name: "x"}), exitNotFound},
		{&queries.NoPathError{}, exitNotFound},
		{&queries.AmbiguousError{Name: "x"}, exitUsage},
		{fmt.Errorf("x: %w", queries.ErrBadRequest), exitUsage},
	}
	for _, c := range cases {
		if got := exitCode(c.err); got != c.want {
			t.Errorf("exitCode(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}

func TestStoreURIs(t *testing.T) {
	for uri, neo := range map[string]bool{
		"bolt://localhost:7687": true, "neo4j+s://x.databases.neo4j.io": true, "BOLT+S://h": true,
		"/tmp/a.db": false, "file:/tmp/a.db": false, "file:///tmp/a.db": false, "relative.db": false,
	} {
		got, err := isNeo4j(uri)
		if err != nil || got != neo {
			t.Errorf("isNeo4j(%q) = %v, %v; want %v", uri, got, err, neo)
		}
	}
	if _, err := isNeo4j("postgres://x"); err == nil {
		t.Error("unknown scheme accepted")
	}
	for in, want := range map[string]string{
		"bolt://neo4j:secret@host:7687":              "bolt://host:7687",
		"neo4j://host:7687?password=secret":          "neo4j://host:7687",
		"bolt://host:7687/#secret":                   "bolt://host:7687/",
		"bolt+s://u:p@host/db?policy=x&pw=secret#ff": "bolt+s://host/db",
	} {
		if got := neo4jstore.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
