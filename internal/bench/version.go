package main

import "github.com/aptgraph/aptgraph/internal/neo4jtest"

func neo4jVersion() string { return neo4jtest.Version }
