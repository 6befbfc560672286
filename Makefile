# Shortcuts; each target is one plain command you can also type.
.PHONY: build test lint neo4j demo fuzz docs bench

build:
	go build -o bin/aptgraph ./cmd/aptgraph

# The test command (also what CI runs, with APTGRAPH_REQUIRE_NEO4J=1).
test:
	go test ./...

lint:
	gofmt -l $$(git ls-files '*.go')
	go vet ./...
	go tool staticcheck ./...

# A Neo4j 5.26 for development, without Docker (Java 17 + Maven).
neo4j:
	go run ./internal/neo4jtest/cmd/neo4j-test-server

fuzz:
	go test -run='^$$' -fuzz='^FuzzParseYAML$$' -fuzztime=10m ./loader
	go test -run='^$$' -fuzz='^FuzzParseJSON$$' -fuzztime=10m ./loader
	go test -run='^$$' -fuzz='^FuzzLineNode$$' -fuzztime=10m ./loader
	go test -run='^$$' -fuzz='^FuzzResolve$$' -fuzztime=10m ./queries
	go test -run='^$$' -fuzz='^FuzzDOT$$' -fuzztime=10m ./render

# Regenerate the diagrams shown in the README.
docs: build
	XDG_DATA_HOME=$$(mktemp -d) sh -c 'bin/aptgraph load testdata/tick-2021.yaml >/dev/null && \
	  bin/aptgraph path PLA JAXA -o docs/pla-jaxa.svg && bin/aptgraph path PLA JAXA -o docs/pla-jaxa.png && \
	  bin/aptgraph attribution JAXA -o docs/attribution-jaxa.png'

# Load and query 10k, 100k and 1M relationships on both stores, next to
# Neo4j's LOAD CSV and a naive loader; rewrites docs/BENCHMARKS.md.
bench:
	go run ./internal/bench
