// Command neo4j-test-server starts the same Neo4j 5.26 the tests use (no
// Docker needed: Java 17 and Maven), prints its Bolt URI, and runs until
// Ctrl-C. Use it to run aptgraph or the Neo4j tests against one server:
//
//	go run ./internal/neo4jtest/cmd/neo4j-test-server
//	export APTGRAPH_TEST_NEO4J_URI=bolt://127.0.0.1:PORT
//
// -heap and -pagecache size the server as the benchmark does
// (go run ./internal/neo4jtest/cmd/neo4j-test-server -heap 4096 -pagecache 2048),
// for profiling a big load by hand.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/aptgraph/aptgraph/internal/neo4jtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var o neo4jtest.Options
	flag.IntVar(&o.HeapMB, "heap", 0, "JVM heap in MiB (0: the tests' default)")
	flag.IntVar(&o.PageCacheMB, "pagecache", 0, "Neo4j page cache in MiB (0: the tests' default)")
	flag.Parse()
	fmt.Fprintf(os.Stderr, "starting Neo4j %s (the first run fetches its jars with Maven)…\n", neo4jtest.Version)
	s, err := neo4jtest.Start(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "neo4j-test-server:", err)
		os.Exit(1)
	}
	fmt.Println(s.URI)
	fmt.Fprintf(os.Stderr, "Neo4j is up: export APTGRAPH_TEST_NEO4J_URI=%s (auth off). Ctrl-C stops it.\n", s.URI)
	<-ctx.Done()
	if err := s.Stop(true); err != nil {
		fmt.Fprintln(os.Stderr, "neo4j-test-server:", err)
		os.Exit(1)
	}
}
