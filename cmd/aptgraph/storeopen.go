package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/store"
	"github.com/aptgraph/aptgraph/store/local"
	"github.com/aptgraph/aptgraph/store/neo4jstore"
)

// neo4jSchemes are the URI schemes that select Neo4j.
var neo4jSchemes = []string{"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}

// storeURI is --db, else APTGRAPH_DB, else NEO4J_URI (Neo4j's own
// convention), else the default embedded store.
func (a *app) storeURI(g *globalOpts) (string, error) {
	if g.db != "" {
		return g.db, nil
	}
	for _, env := range []string{"APTGRAPH_DB", "NEO4J_URI"} {
		if v := a.getenv(env); v != "" {
			return v, nil
		}
	}
	return local.DefaultPath()
}

// neo4jPassword is NEO4J_PASSWORD, else the first line of the file
// NEO4J_PASSWORD_FILE names (the docker-secrets convention), so that a
// password need never be in the environment of every process either.
func (a *app) neo4jPassword() (string, error) { return a.secret("NEO4J_PASSWORD") }

// secret is the variable name, else the first line of the file
// name_FILE names.
func (a *app) secret(name string) (string, error) {
	if p := a.getenv(name); p != "" {
		return p, nil
	}
	file := a.getenv(name + "_FILE")
	if file == "" {
		return "", nil
	}
	f, err := os.Open(file)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %w", name, unwrapPath(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %w", name, unwrapPath(err))
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimRight(line, "\r"), nil
}

// isNeo4j tells a Neo4j URI from an embedded-store path, and rejects
// other URI schemes with what to use instead.
func isNeo4j(uri string) (bool, error) {
	i := strings.Index(uri, "://")
	if i < 0 {
		return false, nil
	}
	scheme := strings.ToLower(uri[:i])
	for _, s := range neo4jSchemes {
		if s == scheme {
			return true, nil
		}
	}
	if scheme == "file" {
		return false, nil
	}
	return false, usagef("--db %q: unknown scheme %q; use a file path for the embedded store, or one of %s:// for Neo4j", neo4jstore.Redact(uri), scheme, strings.Join(neo4jSchemes, "://, "))
}

// openStore opens the store chosen by --db / APTGRAPH_DB. create makes a
// missing embedded store; read-only commands do not create one.
func (a *app) openStore(ctx context.Context, g *globalOpts, create bool) (store.Store, error) {
	uri, err := a.storeURI(g)
	if err != nil {
		return nil, err
	}
	neo, err := isNeo4j(uri)
	if err != nil {
		return nil, err
	}
	if neo {
		u, err := url.Parse(uri)
		if err != nil {
			return nil, usagef("--db: cannot parse the Neo4j URI: %v", err)
		}
		if u.User != nil {
			if _, has := u.User.Password(); has {
				return nil, usagef("--db: put no password in the URI; set NEO4J_PASSWORD or NEO4J_PASSWORD_FILE instead")
			}
		}
		password, err := a.neo4jPassword()
		if err != nil {
			return nil, err
		}
		return neo4jstore.Open(ctx, neo4jstore.Config{
			URI:      uri,
			Username: a.getenv("NEO4J_USERNAME"),
			Password: password,
			Database: a.getenv("NEO4J_DATABASE"),
		})
	}
	path := strings.TrimPrefix(uri, "file://")
	path = strings.TrimPrefix(path, "file:")
	s, err := local.Open(ctx, path, create)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	return s, nil
}

// storeNeed says what a command needs of the store it opens.
type storeNeed int

const (
	// needExisting: the store must exist (queries).
	needExisting storeNeed = iota
	// needOptional: an embedded store that does not exist yet is no
	// error; the command gets none and may create it (load).
	needOptional
	// needAdvisory: as needOptional, and a store that cannot be opened
	// is a warning: the command goes on without it (check).
	needAdvisory
	// needNeo4j: the store must be Neo4j (cypher, the one command that
	// needs it).
	needNeo4j
)

// openedStore is the store a command works on, and the way to create
// one the command did not find (load); the door closes whichever it is.
type openedStore struct {
	store.Store
	create func() (store.Store, error)
}

// withStore is the one door to the store: it opens the store --db or
// APTGRAPH_DB names as need says, runs fn under --timeout, and closes the
// store (or the one fn created) afterwards, keeping a close error.
func (a *app) withStore(ctx context.Context, g *globalOpts, need storeNeed, fn func(context.Context, *openedStore) error) (err error) {
	ctx, cancel := g.withTimeout(ctx)
	defer cancel()
	if need == needNeo4j {
		uri, err := a.storeURI(g)
		if err != nil {
			return err
		}
		if neo, err := isNeo4j(uri); err != nil {
			return err
		} else if !neo {
			return usagef("cypher needs Neo4j, and %s is the embedded store, which has no Cypher engine; start Neo4j with `docker compose up -d`, load your data with `aptgraph --db bolt://localhost:7687 load FILE`, then use --db bolt://localhost:7687 (or APTGRAPH_DB)", uri)
		}
	}
	o := &openedStore{}
	s, err := a.openStore(ctx, g, false)
	switch {
	case err == nil:
		o.Store = s
	case (need == needOptional || need == needAdvisory) && errors.Is(err, store.ErrNoStore):
	case need == needAdvisory:
		fmt.Fprintf(a.errOut, "warning: references are checked within the files only: %v\n", err)
	default:
		return err
	}
	o.create = func() (store.Store, error) {
		if o.Store == nil {
			s, err := a.openStore(ctx, g, true)
			if err != nil {
				return nil, err
			}
			o.Store = s
		}
		return o.Store, nil
	}
	defer func() {
		if o.Store != nil {
			err = errors.Join(err, o.Store.Close())
		}
	}()
	return fn(ctx, o)
}

// neo4jOf is the Neo4j store behind an opened store, checked.
func neo4jOf(o *openedStore) (*neo4jstore.Store, error) {
	ns, ok := o.Store.(*neo4jstore.Store)
	if !ok {
		return nil, usagef("this needs Neo4j; %s is not", o.Describe())
	}
	return ns, nil
}

// graphQuery runs a query that returns a subgraph and a title, and writes
// the subgraph in the format --format or -o asks for.
func (a *app) graphQuery(ctx context.Context, g *globalOpts, o *outputOpts, query func(context.Context, store.Store) (*graph.Subgraph, string, error)) error {
	if _, err := o.resolve(graphFormats); err != nil {
		return err
	}
	return a.withStore(ctx, g, needExisting, func(ctx context.Context, s *openedStore) error {
		sub, title, err := query(ctx, s.Store)
		if err != nil {
			return err
		}
		return a.writeGraph(ctx, o, sub, title)
	})
}
