package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/aptgraph/aptgraph/internal/neo4jtest"
)

// shared holds what tests start once and TestMain stops after m.Run: a
// Neo4j server and a built aptgraph binary.
var shared struct {
	neoOnce sync.Once
	neo     *neo4jtest.Env
	binOnce sync.Once
	binDir  string
	bin     string
	binErr  error
}

func TestMain(m *testing.M) {
	//lint:ignore SA1019 RunMain returns after m.Run, so the servers and binaries the tests started can be cleaned up.
	code := testscript.RunMain(m, map[string]func() int{
		"aptgraph": func() int { return newApp(os.Stdin, os.Stdout, os.Stderr, os.Getenv).run(os.Args[1:]) },
	})
	if shared.neo != nil {
		shared.neo.Close()
	}
	if shared.binDir != "" {
		os.RemoveAll(shared.binDir)
	}
	os.Exit(code)
}

// neo returns the Neo4j shared by this package's tests.
func neo() *neo4jtest.Env {
	shared.neoOnce.Do(func() { shared.neo = neo4jtest.Setup() })
	return shared.neo
}

func setup(env *testscript.Env) error {
	tick, err := filepath.Abs("../../testdata/tick-2021.yaml")
	if err != nil {
		return err
	}
	env.Setenv("TICK", tick)
	q, err := filepath.Abs("../../queries")
	if err != nil {
		return err
	}
	env.Setenv("QUERIES", q)
	attack, err := filepath.Abs("../../../shared/fixtures/attack-g0060-bronze-butler.stix21.json")
	if err != nil {
		return err
	}
	env.Setenv("ATTACK", attack)
	env.Setenv("HOME", env.WorkDir)
	env.Setenv("XDG_DATA_HOME", filepath.Join(env.WorkDir, "data"))
	env.Setenv("APTGRAPH_DB", "")
	env.Setenv("NEO4J_PASSWORD", "")
	return nil
}

// condition adds [attack]: the shared ATT&CK fixture is present (in CI it
// must be: the loader's tests fail without it).
func condition(cond string) (bool, error) {
	if cond == "attack" {
		_, err := os.Stat("../../../shared/fixtures/attack-g0060-bronze-butler.stix21.json")
		if err != nil && os.Getenv("CI") != "" {
			return false, fmt.Errorf("shared fixture missing in CI: %w", err)
		}
		return err == nil, nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

// TestScripts runs the CLI scripts in testdata/script against the real
// binary, on the embedded store.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script", Setup: setup, Condition: condition, UpdateScripts: *updateScripts})
}

// updateScripts rewrites the files that scripts cmp their output with
// (go test ./cmd/aptgraph -run TestScripts -update-scripts); review the
// diff before committing it.
var updateScripts = flag.Bool("update-scripts", false, "rewrite the expected outputs of the CLI scripts")

// TestNeo4jScripts runs testdata/neo4j against a real Neo4j (see package
// neo4jtest): load, the same answers as the embedded store, and cypher.
func TestNeo4jScripts(t *testing.T) {
	uri := neo().Require(t)
	testscript.Run(t, testscript.Params{Dir: "testdata/neo4j", Setup: func(env *testscript.Env) error {
		if err := setup(env); err != nil {
			return err
		}
		env.Setenv("NEO4J_URI", uri)
		return nil
	}})
}
