package queries_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aptgraph/aptgraph/internal/storetest"
	"github.com/aptgraph/aptgraph/queries"
	"github.com/aptgraph/aptgraph/store"
	"github.com/aptgraph/aptgraph/store/local"
)

// TestAnalystQueries: the catalogue is embedded and every query reads.
func TestAnalystQueries(t *testing.T) {
	names := queries.AnalystQueries()
	if len(names) < 10 {
		t.Errorf("%d analyst queries, want at least 10", len(names))
	}
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			q, err := queries.Analyst(n)
			if err != nil || strings.TrimSpace(q) == "" {
				t.Errorf("%s: %q, %v", n, q, err)
			}
		})
	}
}

func openTick(t testing.TB) store.Store {
	t.Helper()
	s, err := local.Open(context.Background(), filepath.Join(t.TempDir(), "q.db"), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Load(context.Background(), storetest.Datasets(t, storetest.TickFile(), storetest.ExtraFile()), store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestResolve(t *testing.T) {
	s := openTick(t)
	ctx := context.Background()
	cases := []struct {
		name, want string
		err        string
	}{
		{"PLA", "pla", ""},
		{"  people's LIBERATION army ", "pla", ""},
		{"bronze butler", "tick", ""},
		{"Unit 61419", "unit-61419", ""},
		{"shadow", "", "ambiguous"},
		{"shadow-a", "shadow-a", ""},
		{"APT99", "", "no entity is called"},
		{"", "", "empty entity name"},
	}
	for _, c := range cases {
		e, err := queries.Resolve(ctx, s, c.name)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Resolve(%q): want error %q, got %v", c.name, c.err, err)
			}
			continue
		}
		if err != nil || e.ID != c.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", c.name, e.ID, err, c.want)
		}
	}
}

// FuzzResolve: no name a user can type makes resolution fail other than
// with a not-found, ambiguous or empty-name error.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"PLA", "bronze butler", "shadow", "", "%", "_", "'; DROP TABLE entities; --", "\x00", "\u202e", "unit 61419", strings.Repeat("a", 1000)} {
		f.Add(s)
	}
	s := openTick(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, name string) {
		e, err := queries.Resolve(ctx, s, name)
		var amb *queries.AmbiguousError
		switch {
		case err == nil:
			if e.ID == "" {
				t.Fatalf("Resolve(%q) returned an empty entity", name)
			}
		case errors.Is(err, queries.ErrNotFound), errors.As(err, &amb), strings.TrimSpace(name) == "":
		default:
			if utf8.ValidString(name) {
				t.Fatalf("Resolve(%q): unexpected error %v", name, err)
			}
		}
	})
}
