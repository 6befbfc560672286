package neo4jstore

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"unicode"

	"github.com/aptgraph/aptgraph/internal/storetest"
	"github.com/aptgraph/aptgraph/queries"
	"github.com/aptgraph/aptgraph/store"
)

var (
	cypherVariants = flag.Int("cypher.variants", 400, "how many Cypher token variants TestCypherTokenVariants tries")
	cypherSeed     = flag.Int64("cypher.seed", 1, "seed of TestCypherTokenVariants")
)

// cypherTemplates are statements that must never run without --write:
// they read files or fetch URLs, write, change the schema or administer
// the server. {S} is a place for white space or a comment, {U} a URL.
var cypherTemplates = []string{
	"LOAD{S}CSV{S}FROM{S}{U}{S}AS{S}r{S}RETURN{S}r",
	"LOAD{S}CSV{S}WITH{S}HEADERS{S}FROM{S}{U}{S}AS{S}r{S}RETURN{S}r",
	"LOAD{S}CSV{S}FROM{S}{U}{S}AS{S}r{S}FIELDTERMINATOR{S}';'{S}RETURN{S}r",
	"WITH{S}{U}{S}AS{S}u{S}LOAD{S}CSV{S}FROM{S}u{S}AS{S}r{S}RETURN{S}r",
	"UNWIND{S}[{U}]{S}AS{S}u{S}LOAD{S}CSV{S}FROM{S}u{S}AS{S}r{S}RETURN{S}count(r)",
	"MATCH{S}(n:Entity{S}{id:{S}'tick'}){S}CALL{S}{{S}LOAD{S}CSV{S}FROM{S}{U}{S}AS{S}r{S}RETURN{S}r{S}}{S}RETURN{S}r",
	"OPTIONAL{S}MATCH{S}(n){S}WITH{S}n{S}LIMIT{S}1{S}LOAD{S}CSV{S}FROM{S}{U}{S}AS{S}r{S}RETURN{S}r",
	"LOAD{S}CSV{S}FROM{S}{U}{S}AS{S}r{S}CREATE{S}(:Evil{S}{x:{S}r[0]})",
	"CREATE{S}(n:Evil)",
	"CREATE{S}(n:Evil){S}RETURN{S}n",
	"MERGE{S}(n:Evil{S}{id:{S}'x'})",
	"MATCH{S}(n:Entity){S}SET{S}n.owned{S}={S}true",
	"MATCH{S}(n:Entity){S}SET{S}n:Evil",
	"MATCH{S}(n:Entity){S}SET{S}n{S}+={S}{owned:{S}true}",
	"MATCH{S}(n:Entity){S}REMOVE{S}n.name",
	"MATCH{S}(n:Entity){S}DETACH{S}DELETE{S}n",
	"MATCH{S}()-[r]->(){S}DELETE{S}r",
	"FOREACH{S}(x{S}IN{S}[1]{S}|{S}CREATE{S}(:Evil))",
	"UNWIND{S}[1]{S}AS{S}x{S}CALL{S}{{S}CREATE{S}(:Evil){S}}{S}RETURN{S}x",
	"CALL{S}{{S}CREATE{S}(:Evil){S}}{S}IN{S}TRANSACTIONS",
	"CALL{S}db.createLabel('Evil')",
	"CALL{S}db.createProperty('evil')",
	"CALL{S}dbms.killConnections(['bolt-1'])",
	"CALL{S}db.clearQueryCaches()",
	"CALL{S}db.stats.stop('QUERIES')",
	"CALL{S}db.stats.clear('QUERIES')",
	"CALL{S}db.index.fulltext.drop('aptgraph_entity_names')",
	"CALL{S}dbms.setConfigValue('db.logs.query.enabled',{S}'OFF')",
	"CALL{S}db.awaitIndexes(1)",
	"CALL{S}dbms.listConnections()",
	"CALL{S}dbms.listConfig()",
	"TERMINATE{S}TRANSACTIONS{S}'neo4j-transaction-1'",
	"SHOW{S}TRANSACTIONS",
	"SHOW{S}SETTINGS",
	"SHOW{S}USERS",
	"SHOW{S}DATABASES",
	"CREATE{S}INDEX{S}evil{S}FOR{S}(n:Evil){S}ON{S}(n.x)",
	"CREATE{S}CONSTRAINT{S}evil{S}FOR{S}(n:Evil){S}REQUIRE{S}n.x{S}IS{S}UNIQUE",
	"DROP{S}INDEX{S}aptgraph_entity_names",
	"DROP{S}CONSTRAINT{S}aptgraph_entity_id",
	"USE{S}system{S}SHOW{S}USERS",
	"USE{S}system{S}CREATE{S}USER{S}evil{S}SET{S}PASSWORD{S}'evilevilevil'",
	"CREATE{S}DATABASE{S}evil",
	"STOP{S}DATABASE{S}neo4j",
	"ALTER{S}USER{S}neo4j{S}SET{S}PASSWORD{S}'evilevilevil'",
}

// cypherSeparators are what a lexer may take as space between tokens.
var cypherSeparators = []string{
	" ", "  ", "\t", "\n", "\r\n", "\v", "\f", "\u00a0", "\u1680", "\u2000", "\u2005", "\u200a",
	"\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\u001c", "\u001d", "\u001e", "\u001f", "\u0085",
	"/**/", "/* x */", "/*\n*/", "//x\n", " //\n ", "/*LOAD CSV*/",
}

var cypherPrefixes = []string{"", "", "", "CYPHER ", "CYPHER 5 ", "CYPHER runtime=slotted ", "CYPHER runtime=pipelined ",
	"CYPHER planner=cost ", "EXPLAIN ", "PROFILE ", "USE neo4j ", "/* c */ ", "//c\n", "\ufeff", " \n "}

// variant spells a template with random separators, keyword case and
// prefix.
func variant(rng *rand.Rand, tmpl, url string) string {
	q := strings.ReplaceAll(tmpl, "{U}", url)
	var b strings.Builder
	b.WriteString(cypherPrefixes[rng.Intn(len(cypherPrefixes))])
	for i, part := range strings.Split(q, "{S}") {
		if i > 0 {
			b.WriteString(cypherSeparators[rng.Intn(len(cypherSeparators))])
		}
		if rng.Intn(3) == 0 && !strings.ContainsAny(part, "'(") {
			// Keywords are case-insensitive: mix the case.
			var m strings.Builder
			for _, r := range part {
				if rng.Intn(2) == 0 {
					r = unicode.ToLower(r)
				} else {
					r = unicode.ToUpper(r)
				}
				m.WriteRune(r)
			}
			part = m.String()
		}
		b.WriteString(part)
	}
	return b.String()
}

// TestCypherTokenVariants is a fuzzer over token variants: templates of
// statements that read files, fetch URLs, write or administer, spelled
// with random white space, comments, keyword case and prefixes
// (-cypher.variants, -cypher.seed). Without --write none may run: every
// one is refused (by the plan check, the read access mode, or as a syntax
// error), no URL is fetched, no local file's content comes back and the
// graph is unchanged. It logs how many the plan check refused, so that a
// generator making only syntax errors would show.
func TestCypherTokenVariants(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	if _, err := s.Load(ctx, storetest.Datasets(t, storetest.TickFile()), store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	before, err := queries.Export(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	bait := newBait(t)
	hits := &bait.hits
	urls := []string{"'file://" + bait.file + "'", "'" + bait.url + "'", "'file:///' + '" + strings.TrimPrefix(bait.file, "/") + "'"}
	rng := rand.New(rand.NewSource(*cypherSeed))
	counts := map[string]int{}
	for i := 0; i < *cypherVariants; i++ {
		q := variant(rng, cypherTemplates[i%len(cypherTemplates)], urls[rng.Intn(len(urls))])
		res, err := s.Run(ctx, q, nil, false)
		var qe *QueryError
		switch {
		case err == nil:
			t.Errorf("ran without --write: %q (result %+v)", q, res)
			counts["ran"]++
			continue
		case errors.Is(err, ErrPlanRefused), errors.Is(err, ErrWriteRefused):
			counts["refused by the plan or the read mode"]++
		case errors.As(err, &qe):
			counts["refused by the server (syntax, unknown procedure, access mode)"]++
		default:
			t.Errorf("%q: unexpected error %v", q, err)
		}
		if msg := err.Error(); strings.Contains(msg, "secret-marker") || strings.Contains(msg, "fetched-marker") {
			t.Errorf("%q: a file's or URL's content came back: %s", q, msg)
		}
	}
	t.Logf("%d variants of %d templates (seed %d): %v", *cypherVariants, len(cypherTemplates), *cypherSeed, counts)
	if counts["refused by the plan or the read mode"] == 0 {
		t.Error("no variant reached the plan check: the generator makes only syntax errors")
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server fetched the URL %d times", n)
	}
	after, err := queries.Export(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Error("the graph changed")
	}
	res, err := s.Run(ctx, "MATCH (n:Evil) RETURN count(n) AS n", nil, false)
	if err != nil || len(res.Rows) != 1 || fmt.Sprint(res.Rows[0][0]) != "0" {
		t.Errorf("an :Evil node exists: %+v %v", res, err)
	}
}
