// Command neo4j-test-server starts the same Neo4j 5.26 the tests use (no
// Docker needed: Java 17 and Maven), prints its Bolt URI, and runs until
// Ctrl-C. Use it to run aptgraph or the Neo4j tests against one server:
//
//	go run ./internal/neo4jtest/cmd/neo4j-test-server
//	export APTGRAPH_TEST_NEO4J_URI=bolt://127.0.0.1:PORT
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/aptgraph/aptgraph/internal/neo4jtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(os.Stderr, "starting Neo4j %s (the first run fetches its jars with Maven)…\n", neo4jtest.Version)
	s, err := neo4jtest.Start(ctx, neo4jtest.Options{})
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
