// Package local is the embedded store: one SQLite file (pure Go, no cgo),
// written in single transactions so that a crash or Ctrl-C mid-load leaves
// it as before or as after, and safe for several processes at once (WAL
// mode, an immediate write lock, a busy timeout).
package local

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"time"

	sqlite "modernc.org/sqlite"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/store"
)

// BusyTimeout is how long a writer waits for another writer before it
// reports store.ErrBusy.
const BusyTimeout = 10 * time.Second

// Store is the embedded store. It is safe for use by one goroutine at a
// time per method call; database/sql serialises the rest.
type Store struct {
	db   *sql.DB
	path string
	// readOnly is set when the store could be opened for reading only
	// (see openReadOnly).
	readOnly bool
	// adj is the graph's shape, read from the adjacency table when a
	// traversal first needs it (adjacency.go).
	adj adjacencyCache
}

var _ store.Store = (*Store)(nil)

// DefaultPath is where the embedded store lives unless --db or
// APTGRAPH_DB says otherwise: $XDG_DATA_HOME/aptgraph/aptgraph.db, or
// ~/.local/share/aptgraph/aptgraph.db.
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the data directory: %w; set --db or APTGRAPH_DB", err)
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "aptgraph", "aptgraph.db"), nil
}

// Open opens the store file at path. With create, a missing file (and its
// directory) is created; without, a missing file is store.ErrNoStore. The
// schema is brought up to date; a file written by a newer aptgraph is
// refused rather than damaged.
func Open(ctx context.Context, path string, create bool) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if st, err := os.Stat(abs); err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
		if !create {
			return nil, fmt.Errorf("open store %s: %w; load a dataset first: aptgraph load FILE", path, store.ErrNoStore)
		}
		// Intelligence data is the user's alone: the directory 0700, the
		// file 0600 (SQLite gives its -wal and -shm files the same mode).
		if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
			return nil, fmt.Errorf("create store directory: %w", err)
		}
		f, err := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil && !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("create store %s: %w", path, err)
		}
		if f != nil {
			if err := f.Close(); err != nil {
				return nil, fmt.Errorf("create store %s: %w", path, err)
			}
		}
	} else if st.IsDir() {
		return nil, fmt.Errorf("open store %s: is a directory; give a file path such as %s", path, filepath.Join(path, "aptgraph.db"))
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	// 64 MiB of page cache (the default is 2 MiB): a big load otherwise
	// spills pages to the WAL over and over.
	q.Add("_pragma", "cache_size(-65536)")
	dsn := (&url.URL{Scheme: "file", Path: abs, RawQuery: q.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	if err := s.migrate(ctx); err != nil {
		err = errors.Join(err, db.Close())
		// A store on a read-only mount, or in a directory this user may
		// not write: SQLite cannot make the -shm file its WAL needs, and
		// said "unable to open database file (14)" even to stats.
		if !create && (isCode(err, 14) || isCode(err, 8)) {
			if ro, rerr := openReadOnly(ctx, abs, path, q); rerr == nil {
				return ro, nil
			} else if errors.Is(rerr, errPendingWAL) {
				return nil, rerr
			}
		}
		return nil, err
	}
	return s, nil
}

var errPendingWAL = errors.New("pending changes")

// openReadOnly opens a store that cannot be written where it is, for
// reading: immutable, so SQLite needs no -shm file beside it. That is
// safe only when no write is pending in a -wal file (immutable would not
// see it, and nothing here could fold it in), so such a store is refused
// with what to do.
func openReadOnly(ctx context.Context, abs, path string, q url.Values) (*Store, error) {
	if fi, err := os.Stat(abs + "-wal"); err == nil && fi.Size() > 0 {
		return nil, &store.UnavailableError{Store: "embedded store " + path,
			What: "the store cannot be written where it is, and its last changes are still in " + filepath.Base(abs) + "-wal",
			Hint: "open it once where it is writable (any aptgraph command folds them in), or copy the store and its -wal file somewhere writable and use --db",
			Err:  errPendingWAL}
	}
	q = maps.Clone(q)
	q.Set("mode", "ro")
	q.Set("immutable", "1")
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: abs, RawQuery: q.Encode()}).String())
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: path, readOnly: true}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	defer conn.Close()
	var v int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	if v != SchemaVersion {
		return nil, errors.Join(fmt.Errorf("open store %s: it has schema version %d and this aptgraph %d, and a read-only store cannot be upgraded; copy it somewhere writable and use --db", path, v, SchemaVersion), db.Close())
	}
	return s, nil
}

// Describe names the store for messages.
func (s *Store) Describe() string { return "embedded store " + s.path }

// Close closes the database.
func (s *Store) Close() error { return errors.Join(s.adj.close(), s.db.Close()) }

// migrations are applied in order; PRAGMA user_version counts the applied
// ones. Append, never edit: a released store file may hold any prefix.
var migrations = []string{
	`CREATE TABLE sources (
		id TEXT PRIMARY KEY,
		data TEXT NOT NULL,
		hash TEXT NOT NULL,
		datasets TEXT NOT NULL
	) WITHOUT ROWID;
	CREATE TABLE entities (
		id TEXT PRIMARY KEY,
		kind TEXT NOT NULL,
		name TEXT NOT NULL,
		data TEXT NOT NULL,
		hash TEXT NOT NULL,
		datasets TEXT NOT NULL
	) WITHOUT ROWID;
	CREATE INDEX entities_kind ON entities(kind, name);
	CREATE TABLE names (
		key TEXT NOT NULL,
		entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
		PRIMARY KEY (key, entity_id)
	) WITHOUT ROWID;
	CREATE INDEX names_entity ON names(entity_id);
	CREATE TABLE relationships (
		from_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
		type TEXT NOT NULL,
		to_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
		rank INTEGER NOT NULL,
		data TEXT NOT NULL,
		hash TEXT NOT NULL,
		datasets TEXT NOT NULL,
		PRIMARY KEY (from_id, type, to_id)
	) WITHOUT ROWID;
	CREATE INDEX relationships_to ON relationships(to_id, type, from_id);`,
	// Where each dataset was loaded from, for messages about conflicts.
	`CREATE TABLE dataset_files (name TEXT PRIMARY KEY, file TEXT NOT NULL);`,
	// The graph's shape in one blob, for traversals (adjacency.go);
	// migrate fills it.
	`CREATE TABLE adjacency (chunk INTEGER PRIMARY KEY, data BLOB NOT NULL);`,
}

// adjacencySchema is the schema version that added the adjacency table.
const adjacencySchema = 3

// SchemaVersion is the schema version this build writes.
var SchemaVersion = len(migrations)

func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return s.openErr(err)
	}
	defer conn.Close()
	var v int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return s.openErr(err)
	}
	if v == SchemaVersion {
		return nil
	}
	if v > SchemaVersion {
		return fmt.Errorf("open store %s: it has schema version %d, this aptgraph knows up to %d; upgrade aptgraph", s.path, v, SchemaVersion)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA journal_mode=WAL"); err != nil {
		return s.openErr(err)
	}
	return s.inWriteTx(ctx, conn, func() error {
		if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			return err
		}
		for i := v; i < len(migrations); i++ {
			if _, err := conn.ExecContext(ctx, migrations[i]); err != nil {
				return fmt.Errorf("migrate store to schema %d: %w", i+1, err)
			}
		}
		if v < adjacencySchema {
			if err := writeAdjacency(ctx, conn, nil); err != nil {
				return fmt.Errorf("migrate store to schema %d: %w", adjacencySchema, err)
			}
		}
		_, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(migrations)))
		return err
	})
}

func (s *Store) openErr(err error) error {
	if isCode(err, 8) { // SQLITE_READONLY: SQLite writes beside the file too (-wal, -shm)
		return &store.UnavailableError{Store: s.Describe(), What: "the store file or its directory is read-only",
			Hint: "check the permissions of both, or copy the store somewhere writable and use --db", Err: err}
	}
	if isCode(err, 26) { // SQLITE_NOTADB
		return &store.UnavailableError{Store: s.Describe(), What: "the file is not an aptgraph store", Hint: "give another path with --db", Err: err}
	}
	if isCode(err, 5) { // SQLITE_BUSY
		return fmt.Errorf("%s: %w", s.Describe(), store.ErrBusy)
	}
	return fmt.Errorf("open %s: %w", s.Describe(), err)
}

// writeErr explains the SQLite errors a user can act on; the write
// transaction has been rolled back when it is called, so each says the
// store is unchanged.
func (s *Store) writeErr(err error) error {
	switch {
	case err == nil, errors.Is(err, store.ErrBusy), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case isCode(err, 13): // SQLITE_FULL
		return fmt.Errorf("%s: the disk is full (or a file size limit was reached); free space and load again; the store is unchanged: %w", s.Describe(), err)
	case s.readOnly && (isCode(err, 8) || isCode(err, 14)):
		return &store.UnavailableError{Store: s.Describe(), What: "the store is read-only where it is (a read-only mount, or a file or directory this user may not write); reading it works, writing does not",
			Hint: "copy the store somewhere writable and use --db", Err: err}
	case isCode(err, 8): // SQLITE_READONLY
		return fmt.Errorf("%s: the store file is read-only; check its permissions, or choose another store with --db: %w", s.Describe(), err)
	case isCode(err, 14): // SQLITE_CANTOPEN
		return fmt.Errorf("%s: cannot open the store file for writing; check that its directory exists and is writable: %w", s.Describe(), err)
	case isCode(err, 10): // SQLITE_IOERR
		return fmt.Errorf("%s: I/O error while writing (a full disk or a failing device); the store is unchanged: %w", s.Describe(), err)
	}
	return err
}

func isCode(err error, code int) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == code
}

// inWriteTx runs fn inside BEGIN IMMEDIATE … COMMIT on conn: the write lock
// is taken up front, so two loaders never interleave and a loser waits
// BusyTimeout and then gets store.ErrBusy instead of a deadlock.
func (s *Store) inWriteTx(ctx context.Context, conn *sql.Conn, fn func() error) (err error) {
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		if isCode(err, 5) {
			return fmt.Errorf("%s: %w", s.Describe(), store.ErrBusy)
		}
		return s.openErr(err)
	}
	defer func() {
		if err != nil {
			// A fresh context: the caller's may be the cancelled one.
			if _, rbErr := conn.ExecContext(context.Background(), "ROLLBACK"); rbErr != nil {
				err = errors.Join(err, fmt.Errorf("roll back: %w", rbErr))
			}
		}
	}()
	if err := fn(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		if isCode(err, 5) {
			return fmt.Errorf("%s: %w", s.Describe(), store.ErrBusy)
		}
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func jsonList(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// decodeRows reads one JSON column from every row into a T.
func decodeRows[T any](rows *sql.Rows, err error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var v T
		if err := json.Unmarshal([]byte(data), &v); err != nil {
			return nil, fmt.Errorf("decode stored row: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Expand implements graph.Traverser.
func (s *Store) Expand(ctx context.Context, ids []string, dir graph.Direction, f graph.Filter) ([]graph.Relationship, error) {
	var out []graph.Relationship
	err := s.expand(ctx, "json_set(data, '$.datasets', json(datasets))", ids, dir, f, func(rows *sql.Rows) error {
		var data string
		if err := rows.Scan(&data); err != nil {
			return err
		}
		var r graph.Relationship
		if err := json.Unmarshal([]byte(data), &r); err != nil {
			return fmt.Errorf("decode stored relationship: %w", err)
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// Steps implements graph.Traverser: keys only, from the adjacency (the
// tables when it is damaged).
func (s *Store) Steps(ctx context.Context, ids []string, dir graph.Direction, f graph.Filter) ([]graph.Step, error) {
	st, _, err := s.StepsUpTo(ctx, ids, dir, f, math.MaxInt32)
	return st, err
}

// Degree counts the relationships of ids (for graph's choice of which
// side of a search to expand), from the adjacency; without one, the
// number of ids.
func (s *Store) Degree(ctx context.Context, ids []string) (int, error) {
	a, err := s.adjacency(ctx)
	if err != nil || a == nil {
		return len(ids), err
	}
	return a.degree(ids), nil
}

// StepsUpTo is Steps that stops past limit steps (the path search's
// budget; see graph.PathSearch.MaxSteps).
func (s *Store) StepsUpTo(ctx context.Context, ids []string, dir graph.Direction, f graph.Filter, limit int) ([]graph.Step, bool, error) {
	a, err := s.adjacency(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("expand: %w", err)
	}
	var st []graph.Step
	if a != nil {
		st = a.steps(ids, dir, f, limit)
	} else if st, err = s.stepsFromTables(ctx, ids, dir, f); err != nil {
		return nil, false, err
	}
	if len(st) > limit {
		return st[:limit+1], true, nil
	}
	return st, false, nil
}

// stepsFromTables is Steps read from the relationships table's primary
// key and index columns (no JSON), for a store whose adjacency blob is
// damaged.
func (s *Store) stepsFromTables(ctx context.Context, ids []string, dir graph.Direction, f graph.Filter) ([]graph.Step, error) {
	var out []graph.Step
	err := s.expand(ctx, "from_id, type, to_id", ids, dir, f, func(rows *sql.Rows) error {
		var st graph.Step
		if err := rows.Scan(&st.From, &st.Type, &st.To); err != nil {
			return err
		}
		out = append(out, st)
		return nil
	})
	return out, err
}

// expand selects cols (one of the two literals above) of every
// relationship touching ids in direction dir that passes f, each once.
func (s *Store) expand(ctx context.Context, cols string, ids []string, dir graph.Direction, f graph.Filter, scan func(*sql.Rows) error) error {
	if len(ids) == 0 {
		return nil
	}
	types := f.Types
	if types == nil {
		types = []string{}
	}
	// The two directions are one UNION (not two queries) so that a
	// relationship between two frontier nodes comes back once.
	var where []string
	if dir != graph.In {
		where = append(where, "SELECT "+cols+" FROM relationships WHERE from_id IN (SELECT value FROM json_each(?1)) AND rank >= ?2 AND (json_array_length(?3) = 0 OR type IN (SELECT value FROM json_each(?3)))")
	}
	if dir != graph.Out {
		where = append(where, "SELECT "+cols+" FROM relationships WHERE to_id IN (SELECT value FROM json_each(?1)) AND rank >= ?2 AND (json_array_length(?3) = 0 OR type IN (SELECT value FROM json_each(?3)))")
	}
	rows, err := s.db.QueryContext(ctx, strings.Join(where, " UNION "), jsonList(ids), f.MinConfidence.Rank(), jsonList(types))
	if err != nil {
		return fmt.Errorf("expand: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("expand: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("expand: %w", err)
	}
	return nil
}

// Kinds implements graph.Traverser.
func (s *Store) Kinds(ctx context.Context, ids []string) (map[string]graph.Kind, error) {
	if a, err := s.adjacency(ctx); err != nil {
		return nil, fmt.Errorf("kinds: %w", err)
	} else if a != nil {
		return a.kindsOf(ids), nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind FROM entities WHERE id IN (SELECT value FROM json_each(?1))`, jsonList(ids))
	if err != nil {
		return nil, fmt.Errorf("kinds: %w", err)
	}
	defer rows.Close()
	out := map[string]graph.Kind{}
	for rows.Next() {
		var id, kind string
		if err := rows.Scan(&id, &kind); err != nil {
			return nil, err
		}
		out[id] = graph.Kind(kind)
	}
	return out, rows.Err()
}

// Entities implements store.Store.
func (s *Store) Entities(ctx context.Context, ids []string) ([]graph.Entity, error) {
	out, err := decodeRows[graph.Entity](s.db.QueryContext(ctx,
		`SELECT json_set(data, '$.datasets', json(datasets)) FROM entities WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id`, jsonList(ids)))
	if err != nil {
		return nil, fmt.Errorf("read entities: %w", err)
	}
	return out, nil
}

// List implements store.Store.
func (s *Store) List(ctx context.Context, kind graph.Kind) ([]graph.Entity, error) {
	out, err := decodeRows[graph.Entity](s.db.QueryContext(ctx,
		`SELECT json_set(data, '$.datasets', json(datasets)) FROM entities
		 WHERE ?1 = '' OR kind = ?1 OR EXISTS (SELECT 1 FROM json_each(data, '$.roles') WHERE value = ?1)`, string(kind)))
	if err != nil {
		return nil, fmt.Errorf("list entities: %w", err)
	}
	graph.SortEntities(out)
	return out, nil
}

// Lookup implements store.Store.
func (s *Store) Lookup(ctx context.Context, name string) ([]graph.Entity, error) {
	out, err := decodeRows[graph.Entity](s.db.QueryContext(ctx,
		`SELECT json_set(data, '$.datasets', json(datasets)) FROM entities WHERE id IN (SELECT entity_id FROM names WHERE key = ?1) ORDER BY id`, graph.Fold(name)))
	if err != nil {
		return nil, fmt.Errorf("look up %q: %w", name, err)
	}
	return out, nil
}

// LookupNames implements store.Store: one query through the names index.
func (s *Store) LookupNames(ctx context.Context, names []string) (map[string][]graph.Entity, error) {
	keys := make([]string, 0, len(names))
	for _, n := range names {
		keys = append(keys, graph.Fold(n))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT k.value, json_set(e.data, '$.datasets', json(e.datasets))
		FROM json_each(?1) AS k JOIN names n ON n.key = k.value JOIN entities e ON e.id = n.entity_id ORDER BY k.value, e.id`, jsonList(keys))
	if err != nil {
		return nil, fmt.Errorf("look up %d names: %w", len(names), err)
	}
	defer rows.Close()
	out := map[string][]graph.Entity{}
	for rows.Next() {
		var key, data string
		if err := rows.Scan(&key, &data); err != nil {
			return nil, err
		}
		var e graph.Entity
		if err := json.Unmarshal([]byte(data), &e); err != nil {
			return nil, fmt.Errorf("decode stored entity: %w", err)
		}
		out[key] = append(out[key], e)
	}
	return out, rows.Err()
}

// Search implements store.Store.
func (s *Store) Search(ctx context.Context, text string, limit int) ([]graph.Entity, error) {
	out, err := decodeRows[graph.Entity](s.db.QueryContext(ctx,
		`SELECT json_set(data, '$.datasets', json(datasets)) FROM entities WHERE id IN (SELECT entity_id FROM names WHERE instr(key, ?1) > 0) ORDER BY id LIMIT ?2`,
		graph.Fold(text), limit))
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", text, err)
	}
	return out, nil
}

// Relationships implements store.Store.
func (s *Store) Relationships(ctx context.Context, keys []graph.RelKey) ([]graph.Relationship, error) {
	var flat [][3]string
	for _, k := range keys {
		flat = append(flat, [3]string{k.From, k.Type, k.To})
	}
	out, err := decodeRows[graph.Relationship](s.db.QueryContext(ctx,
		`SELECT json_set(r.data, '$.datasets', json(r.datasets)) FROM json_each(?1) AS k
		 JOIN relationships r ON r.from_id = json_extract(k.value, '$[0]')
		  AND r.type = json_extract(k.value, '$[1]') AND r.to_id = json_extract(k.value, '$[2]')
		 ORDER BY r.from_id, r.type, r.to_id`, jsonList(flat)))
	if err != nil {
		return nil, fmt.Errorf("read relationships: %w", err)
	}
	return out, nil
}

// RankingFacts returns the relationships of keys that exist, ordered by
// key, with what ranking reads of them (their confidence and sources;
// whole where several claims name routes): from the adjacency, where
// Relationships would read and decode every one.
func (s *Store) RankingFacts(ctx context.Context, keys []graph.RelKey) ([]graph.Relationship, error) {
	a, err := s.adjacency(ctx)
	if err != nil {
		return nil, fmt.Errorf("read relationships: %w", err)
	}
	if a == nil {
		return s.Relationships(ctx, keys)
	}
	facts, whole, err := a.rankingFacts(keys)
	if err != nil {
		return s.Relationships(ctx, keys)
	}
	if len(whole) > 0 {
		rels, err := s.Relationships(ctx, whole)
		if err != nil {
			return nil, err
		}
		facts = append(facts, rels...)
	}
	slices.SortFunc(facts, func(x, y graph.Relationship) int { return x.Key().Compare(y.Key()) })
	return facts, nil
}

// Sources implements store.Store.
func (s *Store) Sources(ctx context.Context, ids []string) ([]graph.Source, error) {
	out, err := decodeRows[graph.Source](s.db.QueryContext(ctx,
		`SELECT json_set(data, '$.datasets', json(datasets)) FROM sources WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id`, jsonList(ids)))
	if err != nil {
		return nil, fmt.Errorf("read sources: %w", err)
	}
	return out, nil
}

// DatasetFiles implements store.Store.
func (s *Store) DatasetFiles(ctx context.Context, names []string) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, file FROM dataset_files WHERE name IN (SELECT value FROM json_each(?1))`, jsonList(names))
	if err != nil {
		return nil, fmt.Errorf("read dataset files: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var n, f string
		if err := rows.Scan(&n, &f); err != nil {
			return nil, err
		}
		out[n] = f
	}
	return out, rows.Err()
}

// recordFile remembers where a dataset was loaded from.
func recordFile(ctx context.Context, conn *sql.Conn, name string, files map[string]string) error {
	f, ok := files[name]
	if !ok {
		return nil
	}
	_, err := conn.ExecContext(ctx, `INSERT INTO dataset_files(name, file) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET file = excluded.file`, name, f)
	return err
}

// Stats implements store.Store. Its queries run in one transaction, so
// they read one snapshot of the store (WAL mode): counted one by one
// beside a load, they once mixed one part's entities with two parts'
// relationships.
func (s *Store) Stats(ctx context.Context) (st graph.Stats, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	// Only reads: rolling back ends the snapshot and changes nothing.
	defer func() { err = errors.Join(err, ignoreDone(tx.Rollback())) }()
	return stats(ctx, tx)
}

// ignoreDone drops the error of rolling back a finished transaction.
func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

func stats(ctx context.Context, db *sql.Tx) (graph.Stats, error) {
	st := graph.Stats{ByKind: map[string]int{}, ByType: map[string]int{}, ByConfidence: map[string]int{}}
	counts := []struct {
		q string
		m map[string]int
	}{
		{`SELECT kind, count(*) FROM entities GROUP BY kind`, st.ByKind},
		{`SELECT type, count(*) FROM relationships GROUP BY type`, st.ByType},
		{`SELECT json_extract(data, '$.confidence'), count(*) FROM relationships GROUP BY 1`, st.ByConfidence},
	}
	for _, c := range counts {
		rows, err := db.QueryContext(ctx, c.q)
		if err != nil {
			return st, fmt.Errorf("stats: %w", err)
		}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return st, fmt.Errorf("stats: %w", err)
			}
			c.m[k] = n
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return st, fmt.Errorf("stats: %w", err)
		}
	}
	for _, n := range st.ByKind {
		st.Entities += n
	}
	for _, n := range st.ByType {
		st.Relationships += n
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sources`).Scan(&st.Sources); err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT j.value FROM (
		SELECT datasets FROM entities UNION ALL SELECT datasets FROM relationships UNION ALL SELECT datasets FROM sources
	) AS t, json_each(t.datasets) AS j ORDER BY 1`)
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	defer rows.Close()
	st.Datasets = []string{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return st, err
		}
		st.Datasets = append(st.Datasets, d)
	}
	return st, rows.Err()
}

// ShortestPaths implements store.Store with the frontier BFS of package graph.
func (s *Store) ShortestPaths(ctx context.Context, from, to string, o graph.PathOptions) ([]graph.Path, error) {
	return graph.ShortestPaths(ctx, s, from, to, o)
}

// Attribution implements store.Store with the chain search of package graph.
func (s *Store) Attribution(ctx context.Context, victim string, o graph.ChainOptions) ([]graph.Path, error) {
	return graph.Attribution(ctx, s, victim, o)
}

// tagged reports whether a datasets column holds the dataset; the SQL
// prefilter with instr is only a prefilter.
func tagged(datasets, name string) ([]string, bool) {
	var sets []string
	if err := json.Unmarshal([]byte(datasets), &sets); err != nil {
		return nil, false
	}
	for _, s := range sets {
		if s == name {
			return sets, true
		}
	}
	return sets, false
}

func quoteJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
