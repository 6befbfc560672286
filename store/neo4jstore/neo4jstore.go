// Package neo4jstore is the Neo4j store: the only package that imports the
// Neo4j driver. Reads run in read access mode; writes run in the driver's
// managed write transactions, so transient errors are retried. Every value
// reaches Cypher as a parameter; the only identifiers spliced into query
// text are kind labels from graph.Kinds and relationship types that match
// graph.TypePattern.
package neo4jstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/store"
)

// Config says which Neo4j to use. Password comes from the environment
// (NEO4J_PASSWORD) and is never printed.
type Config struct {
	URI      string
	Username string
	Password string
	Database string
}

// ConnectTimeout bounds how long Open waits for an unreachable server.
const ConnectTimeout = 8 * time.Second

// Store is the Neo4j store.
type Store struct {
	driver neo4j.DriverWithContext
	db     string
	uri    string
}

var _ store.Store = (*Store)(nil)

// Open connects to Neo4j and checks that the server is reachable, accepts
// the credentials and has the database, each failure with a one-line
// explanation of what to try.
func Open(ctx context.Context, c Config) (*Store, error) {
	shown := Redact(c.URI)
	auth := neo4j.NoAuth()
	if c.Username != "" || c.Password != "" {
		user := c.Username
		if user == "" {
			user = "neo4j"
		}
		auth = neo4j.BasicAuth(user, c.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(c.URI, auth, func(cfg *config.Config) {
		cfg.SocketConnectTimeout = ConnectTimeout / 2
		cfg.ConnectionAcquisitionTimeout = ConnectTimeout
		cfg.MaxTransactionRetryTime = 15 * time.Second
		cfg.UserAgent = "aptgraph"
	})
	if err != nil {
		return nil, &store.UnavailableError{Store: "Neo4j " + shown, What: "bad URI: " + scrub(err.Error(), c.Password), Hint: "use bolt://host:7687 or neo4j://host:7687", Err: err}
	}
	s := &Store{driver: driver, db: c.Database, uri: shown}
	cctx, cancel := context.WithTimeout(ctx, ConnectTimeout)
	defer cancel()
	err = driver.VerifyConnectivity(cctx)
	if err == nil {
		_, err = s.read(cctx, "RETURN 1", nil)
	}
	if err != nil {
		cerr := s.explain(err, c)
		return nil, errors.Join(cerr, closeQuietly(driver))
	}
	return s, nil
}

func closeQuietly(d neo4j.DriverWithContext) error {
	_ = d.Close(context.Background())
	return nil
}

// explain turns a driver error at connect time into one clear line.
func (s *Store) explain(err error, c Config) error {
	msg := scrub(err.Error(), c.Password)
	ue := &store.UnavailableError{Store: "Neo4j " + s.uri, Err: errors.New(msg)}
	var ne *neo4j.Neo4jError
	lower := strings.ToLower(msg)
	switch {
	case errors.As(err, &ne) && strings.Contains(ne.Code, "Security.Unauthorized"):
		user := c.Username
		if user == "" {
			user = "neo4j"
		}
		ue.What = fmt.Sprintf("the server refused the credentials of user %q", user)
		ue.Hint = "check NEO4J_USERNAME and NEO4J_PASSWORD"
	case errors.As(err, &ne) && strings.Contains(ne.Code, "Security.AuthenticationRateLimit"):
		ue.What = "too many failed logins; the server is rate-limiting"
		ue.Hint = "wait a moment, then check NEO4J_PASSWORD"
	case errors.As(err, &ne) && strings.Contains(ne.Code, "DatabaseNotFound"):
		ue.What = fmt.Sprintf("database %q does not exist", c.Database)
		ue.Hint = "check NEO4J_DATABASE (Community edition has only \"neo4j\")"
	case strings.Contains(lower, "tls") || strings.Contains(lower, "certificate") || strings.Contains(lower, "x509") || strings.Contains(lower, "handshake"):
		ue.What = "TLS failed: " + firstLine(msg)
		ue.Hint = "use bolt:// for a server without TLS, bolt+s:// for a trusted certificate, bolt+ssc:// for a self-signed one"
	case errors.Is(err, context.DeadlineExceeded) || neo4j.IsConnectivityError(err) || strings.Contains(lower, "connect"):
		ue.What = "cannot connect: " + firstLine(msg)
		ue.Hint = "is Neo4j running? `docker compose up -d` starts it; check the host and port in --db; if the server requires TLS, use bolt+s:// (or bolt+ssc:// for a self-signed certificate)"
	default:
		ue.What = firstLine(msg)
	}
	return ue
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// scrub removes a password from a message, in case a driver or server
// ever echoes it.
func scrub(msg, password string) string {
	if password == "" {
		return msg
	}
	return strings.ReplaceAll(msg, password, "********")
}

// Redact is a URI as it may be shown: without user information, query or
// fragment (a password put in any of them is never echoed; Neo4j URIs
// carry routing context in the query, which messages do not need).
func Redact(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return "(unparsable URI)"
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}

// Describe names the store for messages.
func (s *Store) Describe() string { return "Neo4j " + s.uri }

// Close closes the driver.
func (s *Store) Close() error { return s.driver.Close(context.Background()) }

// read runs one query in read access mode.
func (s *Store) read(ctx context.Context, query string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := neo4j.ExecuteQuery(ctx, s.driver, query, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.db), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, err
	}
	return res.Records, nil
}

// readQuery runs an embedded query file in read access mode.
func (s *Store) readQuery(ctx context.Context, name string, params map[string]any) ([]*neo4j.Record, error) {
	recs, err := s.read(ctx, statement(name), params)
	if err != nil {
		return nil, s.opErr(ctx, strings.TrimSuffix(name, ".cypher"), err)
	}
	return recs, nil
}

// opErr explains a failed operation: a cancelled or expired context, a
// lost connection (with what to do), or else the server's error.
func (s *Store) opErr(ctx context.Context, what string, err error) error {
	if cerr := s.ctxErr(ctx, err); cerr != nil {
		return cerr
	}
	// After its retries the driver reports a TransactionExecutionLimit
	// whose last error was the lost connection.
	lost := neo4j.IsConnectivityError(err) ||
		neo4j.IsTransactionExecutionLimit(err) && strings.Contains(err.Error(), "ConnectivityError")
	if lost {
		return &store.UnavailableError{Store: s.Describe(), What: what + ": lost the connection (" + firstLine(err.Error()) + ")",
			Hint: "check that Neo4j is still running, then run the command again (a load picks up where it stopped)", Err: err}
	}
	if why := terminated(err); why != "" {
		return &store.UnavailableError{Store: s.Describe(),
			What: what + ": the server " + why + "; nothing of it was kept",
			Hint: "run the command again (a load picks up where it stopped); if it happens again, ask the database's administrator about its limits (db.transaction.timeout, dbms.memory.transaction.total.max)",
			Err:  err}
	}
	return fmt.Errorf("%s: %s: %w", s.Describe(), what, err)
}

// terminated says how the server ended a transaction, from its error
// code ("" for other errors): the driver's text ("Neo.ClientError.
// Transaction.Terminated (The transaction has been terminated. Retry
// your operation …)") names neither the cause nor what to do.
func terminated(err error) string {
	var ne *neo4j.Neo4jError
	code := ""
	if errors.As(err, &ne) {
		code = ne.Code
	} else if neo4j.IsTransactionExecutionLimit(err) {
		code = err.Error() // the retries' last error, as text
	}
	switch {
	case strings.Contains(code, "Transaction.Terminated"), strings.Contains(code, "LockClientStopped"):
		return "terminated the transaction (an administrator's TERMINATE TRANSACTIONS, or a memory or time limit of the server)"
	case strings.Contains(code, "TransactionTimedOut"):
		return "ended the transaction at its time limit (db.transaction.timeout)"
	case strings.Contains(code, "MemoryPoolOutOfMemoryError"), strings.Contains(code, "TransactionOutOfMemoryError"):
		return "ended the transaction at its memory limit"
	}
	return ""
}

// ctxErr makes a failure caused by a cancelled or expired context say so
// (errors.Is finds context.Canceled or DeadlineExceeded): the driver
// reports those as connectivity errors that do not wrap the cause.
func (s *Store) ctxErr(ctx context.Context, err error) error {
	if ctx.Err() == nil {
		return nil
	}
	return fmt.Errorf("%s: %w (%s)", s.Describe(), ctx.Err(), firstLine(err.Error()))
}

// Expand implements graph.Traverser with expand.cypher.
func (s *Store) Expand(ctx context.Context, ids []string, dir graph.Direction, f graph.Filter) ([]graph.Relationship, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	d := map[graph.Direction]string{graph.Both: "both", graph.Out: "out", graph.In: "in"}[dir]
	recs, err := s.readQuery(ctx, "expand.cypher", map[string]any{
		"ids": ids, "dir": d, "minRank": f.MinConfidence.Rank(), "types": nonNil(f.Types),
	})
	if err != nil {
		return nil, err
	}
	return relsFrom(recs)
}

// Steps implements graph.Traverser: keys only (steps.cypher), for the
// searches that run in Go (the ranked path's candidates).
func (s *Store) Steps(ctx context.Context, ids []string, dir graph.Direction, f graph.Filter) ([]graph.Step, error) {
	st, _, err := s.StepsUpTo(ctx, ids, dir, f, math.MaxInt32-1)
	return st, err
}

// StepsUpTo is Steps that stops past limit steps (the path search's
// budget; see graph.PathSearch.MaxSteps): the server returns at most
// limit+1.
func (s *Store) StepsUpTo(ctx context.Context, ids []string, dir graph.Direction, f graph.Filter, limit int) ([]graph.Step, bool, error) {
	if len(ids) == 0 || limit < 0 {
		return nil, limit < 0, nil
	}
	d := map[graph.Direction]string{graph.Both: "both", graph.Out: "out", graph.In: "in"}[dir]
	recs, err := s.readQuery(ctx, "steps.cypher", map[string]any{
		"ids": ids, "dir": d, "minRank": f.MinConfidence.Rank(), "types": nonNil(f.Types), "limit": limit + 1,
	})
	if err != nil {
		return nil, false, err
	}
	var out []graph.Step
	for _, r := range recs {
		from, _ := r.Get("from")
		typ, _ := r.Get("type")
		to, _ := r.Get("to")
		fs, ts, es := asStrings(from), asStrings(typ), asStrings(to)
		if len(fs) != len(ts) || len(fs) != len(es) {
			return nil, false, fmt.Errorf("steps: the server returned lists of %d, %d and %d", len(fs), len(ts), len(es))
		}
		for i := range fs {
			out = append(out, graph.Step{From: fs[i], Type: ts[i], To: es[i]})
		}
	}
	return out, len(out) > limit, nil
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// Kinds implements graph.Traverser.
func (s *Store) Kinds(ctx context.Context, ids []string) (map[string]graph.Kind, error) {
	out := map[string]graph.Kind{}
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.readQuery(ctx, "kinds.cypher", map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		id, _ := r.Get("id")
		k, _ := r.Get("kind")
		out[asString(id)] = graph.Kind(asString(k))
	}
	return out, nil
}

func (s *Store) entities(ctx context.Context, name string, params map[string]any) ([]graph.Entity, error) {
	recs, err := s.readQuery(ctx, name, params)
	if err != nil {
		return nil, err
	}
	out := make([]graph.Entity, 0, len(recs))
	for _, r := range recs {
		p, _ := r.Get("props")
		e, err := EntityFromProps(asMap(p))
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// Entities implements store.Store.
func (s *Store) Entities(ctx context.Context, ids []string) ([]graph.Entity, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return s.entities(ctx, "entities.cypher", map[string]any{"ids": ids})
}

// List implements store.Store.
func (s *Store) List(ctx context.Context, kind graph.Kind) ([]graph.Entity, error) {
	out, err := s.entities(ctx, "list.cypher", map[string]any{"kind": string(kind)})
	if err != nil {
		return nil, err
	}
	graph.SortEntities(out)
	return out, nil
}

// Lookup implements store.Store.
func (s *Store) Lookup(ctx context.Context, name string) ([]graph.Entity, error) {
	return s.entities(ctx, "lookup.cypher", map[string]any{"name": graph.Fold(name)})
}

// LookupNames implements store.Store: lookup_names.cypher, one scan of
// the entities per 5,000 names (a name list cannot be indexed; a query
// per name scanned them all each time).
func (s *Store) LookupNames(ctx context.Context, names []string) (map[string][]graph.Entity, error) {
	keys := make([]string, 0, len(names))
	for _, n := range names {
		keys = append(keys, graph.Fold(n))
	}
	out := map[string][]graph.Entity{}
	for _, chunk := range chunks(keys, 5000) {
		recs, err := s.readQuery(ctx, "lookup_names.cypher", map[string]any{"names": chunk})
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			name, _ := r.Get("name")
			p, _ := r.Get("props")
			e, err := EntityFromProps(asMap(p))
			if err != nil {
				return nil, err
			}
			out[asString(name)] = append(out[asString(name)], e)
		}
	}
	return out, nil
}

// Search implements store.Store.
func (s *Store) Search(ctx context.Context, text string, limit int) ([]graph.Entity, error) {
	return s.entities(ctx, "search.cypher", map[string]any{"text": graph.Fold(text), "limit": limit})
}

// Relationships implements store.Store.
func (s *Store) Relationships(ctx context.Context, keys []graph.RelKey) ([]graph.Relationship, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	recs, err := s.readQuery(ctx, "relationships.cypher", map[string]any{"keys": keyList(keys)})
	if err != nil {
		return nil, err
	}
	return relsFrom(recs)
}

// RankingFacts returns the relationships of keys that exist, ordered by
// key, with only what ranking reads of them: confidence, sources, route
// and claims (ranking_facts.cypher).
func (s *Store) RankingFacts(ctx context.Context, keys []graph.RelKey) ([]graph.Relationship, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	recs, err := s.readQuery(ctx, "ranking_facts.cypher", map[string]any{"keys": keyList(keys)})
	if err != nil {
		return nil, err
	}
	var out []graph.Relationship
	for _, r := range recs {
		col := func(name string) []any {
			v, _ := r.Get(name)
			l, _ := v.([]any)
			return l
		}
		from, typ, to, conf, src, via, claims := col("from"), col("type"), col("to"), col("confidence"), col("sources"), col("via"), col("claims")
		for _, l := range [][]any{typ, to, conf, src, via, claims} {
			if len(l) != len(from) {
				return nil, fmt.Errorf("ranking facts: the server returned lists of different lengths")
			}
		}
		for i := range from {
			rel, err := RelationshipFromProps(asString(from[i]), asString(typ[i]), asString(to[i]),
				map[string]any{"confidence": conf[i], "sources": src[i], "via": via[i], "claims": claims[i]})
			if err != nil {
				return nil, err
			}
			out = append(out, rel)
		}
	}
	return out, nil
}

func keyList(keys []graph.RelKey) []any {
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = []any{k.From, k.Type, k.To}
	}
	return out
}

// Sources implements store.Store.
func (s *Store) Sources(ctx context.Context, ids []string) ([]graph.Source, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	recs, err := s.readQuery(ctx, "sources.cypher", map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := make([]graph.Source, 0, len(recs))
	for _, r := range recs {
		p, _ := r.Get("props")
		out = append(out, SourceFromProps(asMap(p)))
	}
	return out, nil
}

// Stats implements store.Store.
func (s *Store) Stats(ctx context.Context) (graph.Stats, error) {
	st := graph.Stats{ByKind: map[string]int{}, ByType: map[string]int{}, ByConfidence: map[string]int{}, Datasets: []string{}}
	recs, err := s.readQuery(ctx, "stats.cypher", nil)
	if err != nil {
		return st, err
	}
	for _, r := range recs {
		w, _ := r.Get("what")
		k, _ := r.Get("key")
		n, _ := r.Get("n")
		count := int(asInt(n))
		switch asString(w) {
		case "kind":
			st.ByKind[asString(k)] = count
			st.Entities += count
		case "type":
			st.ByType[asString(k)] = count
			st.Relationships += count
		case "confidence":
			st.ByConfidence[asString(k)] = count
		case "sources":
			st.Sources = count
		case "dataset":
			st.Datasets = append(st.Datasets, asString(k))
		}
	}
	st.Datasets = graph.SortedUnique(st.Datasets)
	return st, nil
}

// ShortestPaths implements store.Store with path.cypher (allShortestPaths).
func (s *Store) ShortestPaths(ctx context.Context, from, to string, o graph.PathOptions) ([]graph.Path, error) {
	if from == to {
		return nil, fmt.Errorf("shortest paths: start and end are the same entity %q", from)
	}
	if o.MaxHops < 1 || o.MaxHops > graph.MaxPathHops {
		return nil, fmt.Errorf("max hops %d out of range 1..%d", o.MaxHops, graph.MaxPathHops)
	}
	name := "path.cypher"
	if o.Directed {
		name = "path_directed.cypher"
	}
	// The bound is an integer checked above, never user text.
	q := strings.ReplaceAll(statement(name), "{{MAXHOPS}}", strconv.Itoa(o.MaxHops))
	recs, err := s.read(ctx, q, map[string]any{
		"from": from, "to": to, "minRank": o.MinConfidence.Rank(), "types": nonNil(o.Types),
	})
	if err != nil {
		return nil, err
	}
	return limitPaths(graph.SortPaths(pathsFrom(recs)), o.Limit), nil
}

// Attribution implements store.Store with the chain search of package
// graph, over this store's Steps and Kinds: a chain's first hop carries
// the attack claim's via, which a Cypher pattern cannot thread through
// the hops that follow, and one search for both stores keeps one reading
// of the rules.
func (s *Store) Attribution(ctx context.Context, victim string, o graph.ChainOptions) ([]graph.Path, error) {
	if o.MaxHops < 1 || o.MaxHops > graph.MaxChainHops {
		return nil, fmt.Errorf("max hops %d out of range 1..%d", o.MaxHops, graph.MaxChainHops)
	}
	return graph.Attribution(ctx, s, victim, o)
}

func limitPaths(ps []graph.Path, limit int) []graph.Path {
	if limit > 0 && len(ps) > limit {
		return ps[:limit]
	}
	return ps
}

func pathsFrom(recs []*neo4j.Record) []graph.Path {
	var out []graph.Path
	for _, r := range recs {
		ns, _ := r.Get("nodes")
		rs, _ := r.Get("rels")
		p := graph.Path{}
		for _, n := range asList(ns) {
			p.Nodes = append(p.Nodes, asString(n))
		}
		for _, x := range asList(rs) {
			t := asList(x)
			if len(t) == 3 {
				p.Rels = append(p.Rels, graph.Step{From: asString(t[0]), Type: asString(t[1]), To: asString(t[2])})
			}
		}
		out = append(out, p)
	}
	return out
}

func relsFrom(recs []*neo4j.Record) ([]graph.Relationship, error) {
	out := make([]graph.Relationship, 0, len(recs))
	for _, r := range recs {
		from, _ := r.Get("from")
		typ, _ := r.Get("type")
		to, _ := r.Get("to")
		props, _ := r.Get("props")
		rel, err := RelationshipFromProps(asString(from), asString(typ), asString(to), asMap(props))
		if err != nil {
			return nil, err
		}
		out = append(out, rel)
	}
	return out, nil
}

// EntityFromProps rebuilds an entity from its node properties.
func EntityFromProps(p map[string]any) (graph.Entity, error) {
	e := graph.Entity{
		ID:          asString(p["id"]),
		Kind:        graph.Kind(asString(p["kind"])),
		Name:        asString(p["name"]),
		Aliases:     asStrings(p["aliases"]),
		Description: asString(p["description"]),
		Country:     asString(p["country"]),
		Sources:     asStrings(p["sources"]),
		Datasets:    asStrings(p["datasets"]),
		TLP:         graph.TLP(asString(p["tlp"])),
	}
	for _, r := range asStrings(p["roles"]) {
		e.Roles = append(e.Roles, graph.Kind(r))
	}
	if a := asString(p["alias_sources"]); a != "" {
		if err := json.Unmarshal([]byte(a), &e.AliasSources); err != nil {
			return e, fmt.Errorf("entity %s: decode its alias sources: %w", e.ID, err)
		}
	}
	for field, dst := range map[string]*map[string]string{"external_ids": &e.ExternalIDs, "attributes": &e.Attributes} {
		if v := asString(p[field]); v != "" {
			if err := json.Unmarshal([]byte(v), dst); err != nil {
				return e, fmt.Errorf("entity %s: stored %s: %w", e.ID, field, err)
			}
		}
	}
	return e, nil
}

// entityProps is how an entity is stored: its fields, its folded names
// for lookups, its hash and datasets. Maps are kept as JSON text (Neo4j
// has no map properties); empty values are left out (Neo4j has no nulls).
func entityProps(w graph.Write[graph.Entity]) map[string]any {
	e := w.Item
	p := map[string]any{"id": e.ID, "kind": string(e.Kind), "name": e.Name, "names": e.Names(), "hash": w.Hash, "datasets": w.Datasets,
		"description": str(e.Description), "country": str(e.Country), "aliases": list(e.Aliases), "sources": list(e.Sources),
		"external_ids": str(graph.JSONText(e.ExternalIDs)), "attributes": str(graph.JSONText(e.Attributes)), "tlp": str(string(e.TLP)), "roles": nil,
		"alias_sources": str(graph.JSONText(e.AliasSources))}
	if len(e.Roles) > 0 {
		roles := make([]string, len(e.Roles))
		for i, r := range e.Roles {
			roles[i] = string(r)
		}
		p["roles"] = roles
	}
	return p
}

// SourceFromProps rebuilds a source from its node properties.
func SourceFromProps(p map[string]any) graph.Source {
	return graph.Source{
		ID: asString(p["id"]), Publisher: asString(p["publisher"]), Title: asString(p["title"]),
		Date: asString(p["date"]), URL: asString(p["url"]), Description: asString(p["description"]),
		Datasets: asStrings(p["datasets"]), TLP: graph.TLP(asString(p["tlp"])),
	}
}

func sourceProps(w graph.Write[graph.Source]) map[string]any {
	s := w.Item
	return map[string]any{"id": s.ID, "publisher": s.Publisher, "hash": w.Hash, "datasets": w.Datasets,
		"title": str(s.Title), "date": str(s.Date), "url": str(s.URL), "description": str(s.Description), "tlp": str(string(s.TLP))}
}

// RelationshipFromProps rebuilds a relationship from its properties.
func RelationshipFromProps(from, typ, to string, p map[string]any) (graph.Relationship, error) {
	r := graph.Relationship{
		From: from, Type: typ, To: to,
		Confidence:  graph.Confidence(asString(p["confidence"])),
		Sources:     asStrings(p["sources"]),
		Start:       asString(p["start"]),
		End:         asString(p["end"]),
		Description: asString(p["description"]),
		Via:         asStrings(p["via"]),
		Datasets:    asStrings(p["datasets"]),
		TLP:         graph.TLP(asString(p["tlp"])),
	}
	if a := asString(p["attributes"]); a != "" {
		if err := json.Unmarshal([]byte(a), &r.Attributes); err != nil {
			return r, fmt.Errorf("relationship %s: decode its attributes: %w", r.Key(), err)
		}
	}
	if c := asString(p["citations"]); c != "" {
		if err := json.Unmarshal([]byte(c), &r.Citations); err != nil {
			return r, fmt.Errorf("relationship %s: decode its citations: %w", r.Key(), err)
		}
	}
	if c := asString(p["claims"]); c != "" {
		if err := json.Unmarshal([]byte(c), &r.Claims); err != nil {
			return r, fmt.Errorf("relationship %s: decode its claims: %w", r.Key(), err)
		}
	}
	return r, nil
}

func relProps(w graph.Write[graph.Relationship]) map[string]any {
	r := w.Item
	return map[string]any{
		"from": r.From, "to": r.To,
		"confidence": string(r.Confidence), "confidence_rank": r.Confidence.Rank(), "stix_confidence": r.Confidence.STIX(),
		"sources": nonNil(r.Sources), "hash": w.Hash, "datasets": w.Datasets,
		"start": str(r.Start), "end": str(r.End), "description": str(r.Description),
		"via": list(r.Via), "claims": str(graph.JSONText(r.Claims)), "tlp": str(string(r.TLP)), "attributes": str(graph.JSONText(r.Attributes)), "citations": str(graph.JSONText(r.Citations)),
	}
}

// str and list give nil for empty values: setting a property to null
// removes it, and Neo4j stores no nulls or empty strings for us.
func str(v string) any {
	if v == "" {
		return nil
	}
	return v
}

func list(v []string) any {
	if len(v) == 0 {
		return nil
	}
	return v
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}

func asInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case float64:
		return int64(n)
	}
	return 0
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func asStrings(v any) []string {
	var out []string
	for _, x := range asList(v) {
		out = append(out, asString(x))
	}
	return out
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
