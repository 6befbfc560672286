package aptgraph_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/internal/neo4jtest"
	"github.com/aptgraph/aptgraph/render"
)

// TestDockerCompose checks what cannot be run here (no Docker engine):
// the compose file pins the Neo4j version the tests run, publishes ports
// on 127.0.0.1 only, takes the password from .env, has a healthcheck that
// works in the image (wget), and uses the Neo4j 5 memory setting names.
func TestDockerCompose(t *testing.T) {
	b, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Ports       []string          `yaml:"ports"`
			Environment map[string]string `yaml:"environment"`
			Volumes     []string          `yaml:"volumes"`
			Healthcheck struct {
				Test []string `yaml:"test"`
			} `yaml:"healthcheck"`
		} `yaml:"services"`
		Volumes map[string]any `yaml:"volumes"`
	}
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	n, ok := c.Services["neo4j"]
	if !ok {
		t.Fatal("no neo4j service")
	}
	if want := "neo4j:" + neo4jtest.Version + "-community"; n.Image != want {
		t.Errorf("image %q, want %q (the version the tests run)", n.Image, want)
	}
	for _, p := range n.Ports {
		if !strings.HasPrefix(p, "127.0.0.1:") {
			t.Errorf("port %q is not bound to 127.0.0.1", p)
		}
	}
	if auth := n.Environment["NEO4J_AUTH"]; !regexp.MustCompile(`^neo4j/\$\{NEO4J_PASSWORD:\?`).MatchString(auth) {
		t.Errorf("NEO4J_AUTH %q must come from .env", auth)
	}
	for _, k := range []string{"NEO4J_server_memory_heap_max__size", "NEO4J_server_memory_pagecache_size"} {
		if _, ok := n.Environment[k]; !ok {
			t.Errorf("missing %s", k)
		}
	}
	// LOAD CSV reads only an empty import directory, never file URLs
	// elsewhere: the server's wall behind cypher's plan check.
	for k, want := range map[string]string{
		"NEO4J_server_directories_import":                          "/import",
		"NEO4J_dbms_security_allow__csv__import__from__file__urls": "false",
	} {
		if got := n.Environment[k]; got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	hc := strings.Join(n.Healthcheck.Test, " ")
	if !strings.Contains(hc, "wget") || strings.Contains(hc, "curl") {
		t.Errorf("healthcheck %q must use wget", hc)
	}
	if len(n.Volumes) != 2 || c.Volumes["neo4j-data"] == nil && len(c.Volumes) != 2 {
		t.Errorf("want named volumes for data and logs: %v", n.Volumes)
	}
	env, err := os.ReadFile(".env.example")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^NEO4J_PASSWORD=$`).Match(env) {
		t.Error(".env.example must not ship a password")
	}
	pom, _ := os.ReadFile("internal/neo4jtest/launcher/pom.xml")
	if !strings.Contains(string(pom), "<neo4j.version>"+neo4jtest.Version+"</neo4j.version>") {
		t.Error("launcher pom.xml and neo4jtest.Version disagree")
	}
}

// TestGrassMatchesDiagrams keeps the Neo4j Browser style in step with the
// diagram colours.
func TestGrassMatchesDiagrams(t *testing.T) {
	b, err := os.ReadFile("queries/aptgraph.grass")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range graph.Kinds() {
		re := regexp.MustCompile(`node\.` + k.Label + ` \{\s*color: (#[0-9A-F]{6});`)
		m := re.FindSubmatch(b)
		if m == nil {
			t.Errorf("no style for %s", k.Label)
			continue
		}
		if want := render.KindColor(k.Kind); string(m[1]) != want {
			t.Errorf("%s: grass colour %s, diagrams use %s", k.Label, m[1], want)
		}
	}
}

// TestDatasetReference keeps the dataset reference (docs/DATASETS.md)
// complete: every kind, relationship type and confidence level (with its
// STIX value) is documented.
func TestDatasetReference(t *testing.T) {
	b, err := os.ReadFile("docs/DATASETS.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, k := range graph.Kinds() {
		if !strings.Contains(readme, "| `"+string(k.Kind)+"` | `"+k.Label+"` |") {
			t.Errorf("docs/DATASETS.md lacks kind %s", k.Kind)
		}
	}
	for _, v := range graph.Vocabulary() {
		if !strings.Contains(readme, "| `"+v.Type+"` | "+v.Meaning+" |") {
			t.Errorf("docs/DATASETS.md lacks relationship type %s with its meaning", v.Type)
		}
	}
	for _, c := range graph.Confidences() {
		if !strings.Contains(readme, fmt.Sprintf("| `%s` | %d |", c.Level, c.STIX)) {
			t.Errorf("docs/DATASETS.md lacks confidence %s (%d)", c.Level, c.STIX)
		}
	}
}
