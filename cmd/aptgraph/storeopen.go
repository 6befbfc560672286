package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/store"
	"github.com/aptgraph/aptgraph/store/local"
	"github.com/aptgraph/aptgraph/store/neo4jstore"
)

// neo4jSchemes are the URI schemes that select Neo4j.
var neo4jSchemes = []string{"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}

// storeURI is --db, else APTGRAPH_DB, else the default embedded store.
func (a *app) storeURI(g *globalOpts) (string, error) {
	if g.db != "" {
		return g.db, nil
	}
	if v := a.getenv("APTGRAPH_DB"); v != "" {
		return v, nil
	}
	return local.DefaultPath()
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
	return false, usagef("--db %q: unknown scheme %q; use a file path for the embedded store, or one of %s:// for Neo4j", redactURI(uri), scheme, strings.Join(neo4jSchemes, "://, "))
}

// redactURI drops any user:password from a URI before it is shown.
func redactURI(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.User == nil {
		if err != nil {
			return "(unparsable URI)"
		}
		return uri
	}
	u.User = nil
	return u.String()
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
				return nil, usagef("--db: put no password in the URI; set NEO4J_PASSWORD instead")
			}
		}
		return neo4jstore.Open(ctx, neo4jstore.Config{
			URI:      uri,
			Username: a.getenv("NEO4J_USERNAME"),
			Password: a.getenv("NEO4J_PASSWORD"),
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

// withStore runs fn with the store chosen by --db (never creating one),
// under --timeout, and closes the store afterwards, keeping a close error.
func (a *app) withStore(ctx context.Context, g *globalOpts, fn func(context.Context, store.Store) error) (err error) {
	ctx, cancel := g.withTimeout(ctx)
	defer cancel()
	s, err := a.openStore(ctx, g, false)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	return fn(ctx, s)
}

// graphQuery runs a query that returns a subgraph and a title, and writes
// the subgraph in the format --format or -o asks for.
func (a *app) graphQuery(ctx context.Context, g *globalOpts, o *outputOpts, query func(context.Context, store.Store) (*graph.Subgraph, string, error)) error {
	if _, err := o.resolve(graphFormats); err != nil {
		return err
	}
	return a.withStore(ctx, g, func(ctx context.Context, s store.Store) error {
		sub, title, err := query(ctx, s)
		if err != nil {
			return err
		}
		return a.writeGraph(ctx, o, sub, title)
	})
}
