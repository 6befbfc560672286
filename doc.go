// Package aptgraph holds repository-level checks (docker-compose.yml,
// the Neo4j Browser style); the program is in cmd/aptgraph.
package aptgraph
