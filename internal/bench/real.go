package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/aptgraph/aptgraph/internal/fixture"
	"github.com/aptgraph/aptgraph/internal/neo4jtest"
)

// realRow is one measurement on real data: a whole process, its wall
// time and peak resident memory.
type realRow struct {
	Data, What string
	Took       time.Duration
	Peak       int64
	Note       string // why it was not measured
}

// realData are the fixtures measured, and the ecosystem's own reader of
// each, to stand next to ours (the stix2 library's parse for a STIX
// bundle; for the MISP galaxy, which has no such library, reading its
// JSON).
var realData = []struct {
	name, label, reference, refLabel string
}{
	{"attack-enterprise-v18.1.stix21.json.xz", "ATT&CK Enterprise v18.1 (46 MB, 24,771 objects)",
		"import stix2, sys; stix2.parse(open(sys.argv[1]).read(), allow_custom=True)", "Python `stix2.parse` (stix2 3.0.2)"},
	{"misp-galaxy-threat-actor.json.xz", "MISP threat-actor galaxy (1,041 actors)",
		"import json, sys; json.load(open(sys.argv[1]))", "Python `json.load` of the file"},
}

// runReal measures the real-data rows: aptgraph check, load into a fresh
// embedded store and into a fresh Neo4j, and the reference reader.
func runReal(ctx context.Context, work, bin string) ([]realRow, error) {
	dir := filepath.Join(work, "real")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	python, pyNote := stix2Python(work)
	var rows []realRow
	err := withServer(ctx, serverOptions, func(srv *neo4jtest.Server) error {
		for _, d := range realData {
			file, err := fixture.Open(d.name, dir)
			if err != nil {
				rows = append(rows, realRow{Data: d.label, What: "all", Note: "fixture not found: " + err.Error()})
				continue
			}
			logf("real data: %s", d.label)
			for _, m := range []struct {
				what string
				args []string
			}{
				{"`aptgraph check`", []string{bin, "check", file}},
				{"`aptgraph load` → embedded store", []string{bin, "--db", filepath.Join(dir, strings.TrimSuffix(filepath.Base(file), ".json")+".db"), "load", file}},
				{"`aptgraph load` → Neo4j", []string{bin, "--db", srv.URI, "load", file}},
			} {
				took, peak, _, err := measure(m.args...)
				if err != nil {
					return fmt.Errorf("%s %s: %w", d.label, m.what, err)
				}
				rows = append(rows, realRow{Data: d.label, What: m.what, Took: took, Peak: peak})
			}
			if python == "" {
				rows = append(rows, realRow{Data: d.label, What: d.refLabel, Note: pyNote})
				continue
			}
			took, peak, _, err := measure(python, "-c", d.reference, file)
			if err != nil {
				rows = append(rows, realRow{Data: d.label, What: d.refLabel, Note: firstLine(err.Error())})
				continue
			}
			rows = append(rows, realRow{Data: d.label, What: d.refLabel, Took: took, Peak: peak})
		}
		return nil
	})
	return rows, err
}

// stix2Python makes a virtualenv with the stix2 library in work and
// returns its python, or "" and why not.
func stix2Python(work string) (string, string) {
	venv := filepath.Join(work, "venv")
	py := filepath.Join(venv, "bin", "python")
	if out, err := exec.Command("python3", "-m", "venv", venv).CombinedOutput(); err != nil {
		return "", "no Python virtualenv: " + firstLine(string(out))
	}
	logf("installing the stix2 library (PyPI) for the reference row")
	if out, err := exec.Command(filepath.Join(venv, "bin", "pip"), "install", "--quiet", "--disable-pip-version-check", "stix2==3.0.2").CombinedOutput(); err != nil {
		return "", "stix2 not installed: " + firstLine(string(out))
	}
	return py, ""
}

// measure runs a command to its end, polling its peak resident memory.
func measure(args ...string) (took time.Duration, peak int64, cpu time.Duration, err error) {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "NEO4J_USERNAME=", "NEO4J_PASSWORD=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, 0, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			took := time.Since(start)
			if err != nil {
				return 0, 0, 0, fmt.Errorf("%s: %v\n%s", filepath.Base(args[0]), err, out.String())
			}
			return took, peak, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
		case <-tick.C:
			if hwm := vmHWM(status); hwm > peak {
				peak = hwm
			}
		}
	}
}

// realTable renders the real-data rows as Markdown.
func realTable(rows []realRow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### Real data\n\nWhole processes on the real files in the workspace's fixtures: a fresh embedded store for each file, and one fresh Neo4j server that loads ATT&CK, then the galaxy (whose groups merge into ATT&CK's), its time including the schema and the JVM's warm-up. The reference reader only parses; aptgraph checks everything with file:line and writes the store.\n\n")
	fmt.Fprintf(&b, "| data | what | time | peak RSS |\n|---|---|---:|---:|\n")
	for _, r := range rows {
		if r.Note != "" {
			fmt.Fprintf(&b, "| %s | %s | not measured: %s | |\n", r.Data, r.What, r.Note)
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.Data, r.What, secs(r.Took), mib(r.Peak))
	}
	return b.String()
}
