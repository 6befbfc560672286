package local

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aptgraph/aptgraph/internal/storetest"
	"github.com/aptgraph/aptgraph/store"
)

var update = flag.Bool("update", false, "rewrite the conformance golden files")

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "a.db"), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestStore runs the whole store contract (internal/storetest) on this
// backend.
func TestStore(t *testing.T) {
	storetest.RunAll(t, func(t *testing.T) store.Store { return open(t) }, *update)
}

func TestOpenMissingWithoutCreate(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "none.db"), false)
	if !errors.Is(err, store.ErrNoStore) {
		t.Fatalf("want ErrNoStore, got %v", err)
	}
}

func TestOpenNotADatabase(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.db")
	os.WriteFile(p, []byte("this is not sqlite, just text that is long enough to be read as a header......"), 0o644)
	_, err := Open(context.Background(), p, false)
	if !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("want ErrUnavailable for a non-database file, got %v", err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	s := open(t)
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	path := s.path
	s.Close()
	_, err := Open(context.Background(), path, false)
	if err == nil || !strings.Contains(err.Error(), "upgrade aptgraph") {
		t.Fatalf("want a refusal of a newer schema, got %v", err)
	}
}

// TestCancelledLoadLeavesStoreAsBefore: a load cancelled part-way (as by
// Ctrl-C) rolls back completely.
func TestCancelledLoadLeavesStoreAsBefore(t *testing.T) {
	s := open(t)
	ds := storetest.Datasets(t, storetest.TickFile())
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := s.Load(ctx, ds, store.LoadOptions{Progress: func(p store.Progress) {
		if n++; p.Phase == "entities" {
			cancel()
		}
	}})
	if err == nil {
		t.Fatal("cancelled load reported success")
	}
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != 0 || st.Sources != 0 {
		t.Errorf("cancelled load left %d entities, %d sources", st.Entities, st.Sources)
	}
}

// TestConcurrentLoads: several stores on one file load at once; each
// either succeeds or reports ErrBusy, and the store ends whole.
func TestConcurrentLoads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(context.Background(), path, true)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			files := []string{storetest.TickFile()}
			if i%2 == 1 {
				files = append(files, storetest.ExtraFile())
			}
			_, err = s.Load(context.Background(), storetest.Datasets(t, files...), store.LoadOptions{})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil && !errors.Is(err, store.ErrBusy) {
			t.Errorf("concurrent load: %v", err)
		}
	}
	s, err := Open(context.Background(), path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != 18 && st.Entities != 20 {
		t.Errorf("after concurrent loads: %d entities, want 18 or 20", st.Entities)
	}
}
