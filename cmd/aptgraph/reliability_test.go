package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/internal/neo4jtest"
	"github.com/aptgraph/aptgraph/loader"
	"github.com/aptgraph/aptgraph/store"
	"github.com/aptgraph/aptgraph/store/local"
)

// These tests run the real binary as a separate process, as analysts do:
// killed mid-load, several at once, against a full disk or a read-only
// file. docs/RELIABILITY.md lists what each proves.

func binary(t *testing.T) string {
	t.Helper()
	shared.binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "aptgraph-bin-")
		if err != nil {
			shared.binErr = err
			return
		}
		os.Chmod(dir, 0o755)
		shared.binDir = dir
		shared.bin = filepath.Join(dir, "aptgraph")
		out, err := exec.Command("go", "build", "-o", shared.bin, ".").CombinedOutput()
		if err != nil {
			shared.binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if shared.binErr != nil {
		t.Fatal(shared.binErr)
	}
	return shared.bin
}

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	return runCmd(t, cmd)
}

// runCmd runs an aptgraph command to its end and returns what it said.
func runCmd(t *testing.T, cmd *exec.Cmd) result {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	r := run(t, nil, args...)
	if r.code != 0 {
		t.Fatalf("aptgraph %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// writeGroups writes a dataset of groups [from, to) in a ring: each group
// is AFFILIATED_WITH the next and the seventh next inside the range.
// Datasets over overlapping ranges share identical entities and claims.
func writeGroups(t *testing.T, path, name string, from, to int) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "dataset: %s\nsources:\n  - {id: synthetic, publisher: Test}\nentities:\n", name)
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, "  - {id: g%05d, kind: group, name: Group %d}\n", i, i)
	}
	b.WriteString("relationships:\n")
	for i := from; i < to; i++ {
		for _, d := range []int{1, 7} {
			if i+d < to {
				fmt.Fprintf(&b, "  - {from: g%05d, type: AFFILIATED_WITH, to: g%05d, confidence: alleged, sources: [synthetic]}\n", i, i+d)
			}
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func stats(t *testing.T, db string) graph.Stats {
	t.Helper()
	var st graph.Stats
	out := mustRun(t, "--db", db, "stats", "--format", "json")
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func statsKey(st graph.Stats) string {
	b, _ := json.Marshal(st)
	return string(b)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func integrity(t *testing.T, db string) {
	t.Helper()
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var res string
	if err := conn.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check: %q %v", res, err)
	}
	var fk int
	if err := conn.QueryRow("SELECT count(*) FROM pragma_foreign_key_check").Scan(&fk); err != nil || fk != 0 {
		t.Fatalf("foreign_key_check: %d violations %v", fk, err)
	}
}

// TestCrashMidLoadEmbedded kills the loader (SIGKILL) at random moments
// of a load into the embedded store: every time, the store opens, passes
// SQLite's integrity check and holds exactly the state before the load or
// the state after it.
func TestCrashMidLoadEmbedded(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: crash test in -short mode")
	}
	dir := t.TempDir()
	tick := filepath.Join("..", "..", "testdata", "tick-2021.yaml")
	big := filepath.Join(dir, "big.yaml")
	writeGroups(t, big, "big", 0, 6000)
	base := filepath.Join(dir, "base.db")
	mustRun(t, "--db", base, "load", tick)
	before := statsKey(stats(t, base))
	after := filepath.Join(dir, "after.db")
	copyFile(t, base, after)
	start := time.Now()
	mustRun(t, "--db", after, "load", big)
	full := time.Since(start)
	want := statsKey(stats(t, after))
	rng := rand.New(rand.NewSource(61419))
	const runs = 16
	seen := map[string]int{}
	for i := 0; i < runs; i++ {
		db := filepath.Join(dir, fmt.Sprintf("run%d.db", i))
		copyFile(t, base, db)
		cmd := exec.Command(binary(t), "--db", db, "load", big)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.Int63n(int64(full) * 3 / 2))
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		integrity(t, db)
		switch got := statsKey(stats(t, db)); got {
		case before:
			seen["before"]++
		case want:
			seen["after"]++
		default:
			t.Fatalf("run %d (killed after %s): store is neither before nor after:\n%s", i, delay, got)
		}
	}
	t.Logf("%d kills over a %s load: %d left the store as before, %d as after", runs, full.Round(time.Millisecond), seen["before"], seen["after"])
}

// TestConcurrentLoadsEmbedded runs 2, then 4 loaders of overlapping
// datasets at once, with a reader polling stats: each loader succeeds or
// says the store is busy; the reader only ever sees committed states; the
// store ends whole, with the union of what loaded.
func TestConcurrentLoadsEmbedded(t *testing.T) {
	for _, n := range []int{2, 4} {
		t.Run(fmt.Sprintf("%d loaders", n), func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "c.db")
			mustRun(t, "--db", db, "load", filepath.Join("..", "..", "testdata", "tick-2021.yaml"))
			files := make([]string, n)
			for k := range files {
				files[k] = filepath.Join(dir, fmt.Sprintf("part%d.yaml", k))
				writeGroups(t, files[k], fmt.Sprintf("part%d", k), k*500, k*500+1000)
			}
			// The committed states a reader may see: Tick plus the union of
			// any subset of the parts.
			valid := map[[2]int]bool{}
			for mask := 0; mask < 1<<n; mask++ {
				ents, rels := map[int]bool{}, map[[2]int]bool{}
				for k := 0; k < n; k++ {
					if mask&(1<<k) == 0 {
						continue
					}
					for i := k * 500; i < k*500+1000; i++ {
						ents[i] = true
						for _, d := range []int{1, 7} {
							if i+d < k*500+1000 {
								rels[[2]int{i, i + d}] = true
							}
						}
					}
				}
				valid[[2]int{18 + len(ents), 24 + len(rels)}] = true
			}
			stop := make(chan struct{})
			var reads, badReads int
			var rmu sync.Mutex
			var rwg sync.WaitGroup
			rwg.Add(1)
			go func() {
				defer rwg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					r := run(t, nil, "--db", db, "stats", "--format", "json")
					var st graph.Stats
					rmu.Lock()
					reads++
					if r.code != 0 || json.Unmarshal([]byte(r.stdout), &st) != nil || !valid[[2]int{st.Entities, st.Relationships}] {
						badReads++
						t.Errorf("reader saw an inconsistent store: exit %d %s %s", r.code, r.stdout, r.stderr)
					}
					rmu.Unlock()
				}
			}()
			var wg sync.WaitGroup
			results := make([]result, n)
			for k := range files {
				wg.Add(1)
				go func() {
					defer wg.Done()
					results[k] = run(t, nil, "--db", db, "load", files[k])
				}()
			}
			wg.Wait()
			close(stop)
			rwg.Wait()
			loaded := 0
			for k, r := range results {
				switch {
				case r.code == 0:
					loaded++
				case r.code == 1 && strings.Contains(r.stderr, "store is busy"):
				default:
					t.Errorf("loader %d: exit %d: %s", k, r.code, r.stderr)
				}
			}
			integrity(t, db)
			st := stats(t, db)
			if !valid[[2]int{st.Entities, st.Relationships}] {
				t.Errorf("final store: %d entities, %d relationships is not a union of the loads", st.Entities, st.Relationships)
			}
			t.Logf("%d loaders: %d loaded, %d busy; %d concurrent reads, all consistent", n, loaded, n-loaded, reads)
		})
	}
}

// TestDiskFull loads with a file size limit (as a full disk would stop
// writes): the load fails with a clear message and the store is as before.
func TestDiskFull(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("SKIP: no sh")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "full.db")
	mustRun(t, "--db", db, "load", filepath.Join("..", "..", "testdata", "tick-2021.yaml"))
	before := statsKey(stats(t, db))
	big := filepath.Join(dir, "big.yaml")
	writeGroups(t, big, "big", 0, 20000)
	// ulimit -f counts 512-byte blocks: 2 MB a file, less than the load
	// needs. Go ignores SIGXFSZ, so writes fail with EFBIG.
	cmd := exec.Command("sh", "-c", `ulimit -f 4096 && exec "$0" --db "$1" load "$2"`, binary(t), db, big)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	if err == nil {
		t.Fatal("load past the file size limit reported success")
	}
	msg := errb.String()
	if !strings.Contains(msg, "disk is full") && !strings.Contains(msg, "I/O error") {
		t.Errorf("unclear message for a full disk: %s", msg)
	}
	integrity(t, db)
	if got := statsKey(stats(t, db)); got != before {
		t.Errorf("store changed by a failed load:\n%s\n%s", got, before)
	}
	t.Logf("message: %s", strings.TrimSpace(msg))
}

// TestReadOnlyStore loads into a store file the user may not write.
func TestReadOnlyStore(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	db := filepath.Join(dir, "ro.db")
	mustRun(t, "--db", db, "load", filepath.Join("..", "..", "testdata", "tick-2021.yaml"))
	other := filepath.Join(dir, "other.yaml")
	writeGroups(t, other, "other", 0, 10)
	os.Chmod(db, 0o444)
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	cmd := exec.Command(binary(t), "--db", db, "load", other)
	if os.Geteuid() == 0 {
		// Root writes anything; run as nobody so the permissions count.
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		os.Chmod(filepath.Dir(dir), 0o755)
		os.Chmod(other, 0o644)
	}
	cmd.Env = append(os.Environ(), "HOME="+dir)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	if err == nil {
		t.Fatal("load into a read-only store reported success")
	}
	if msg := errb.String(); !strings.Contains(msg, "read-only") && !strings.Contains(msg, "cannot open the store file for writing") {
		t.Errorf("unclear message for a read-only store: %s", msg)
	}
	// Reading needs no write: stats and path work on the same store
	// (they said "unable to open database file (14)").
	for _, args := range [][]string{{"stats"}, {"path", "PLA", "JAXA", "--limit", "1"}} {
		r := asUser(t, dir, append([]string{"--db", db}, args...)...)
		if r.code != 0 || !strings.Contains(r.stdout, "People's Liberation Army") && !strings.Contains(r.stdout, "entities:      18") {
			t.Errorf("%s on a read-only store: exit %d\n%s%s", args[0], r.code, r.stdout, r.stderr)
		}
	}
	os.Chmod(dir, 0o755)
	os.Chmod(db, 0o644)
	if st := stats(t, db); st.Entities != 18 {
		t.Errorf("read-only store changed: %d entities", st.Entities)
	}
}

// asUser runs aptgraph as nobody when the test runs as root (root writes
// anything, so permissions would not count), with HOME in dir.
func asUser(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	cmd.Env = append(os.Environ(), "HOME="+dir)
	return runCmd(t, cmd)
}

// A store on a read-only file system (a tmpfs remounted read-only, where
// the test may mount): reads work, a load says what is wrong, and a store
// whose last changes are still in its -wal file is refused rather than
// read without them.
func TestReadOnlyMount(t *testing.T) {
	mnt := t.TempDir()
	if os.Geteuid() != 0 || exec.Command("mount", "-t", "tmpfs", "-o", "size=64m", "aptgraph-test", mnt).Run() != nil {
		t.Skip("cannot mount a file system here (needs root)")
	}
	defer exec.Command("umount", mnt).Run()
	db := filepath.Join(mnt, "s.db")
	mustRun(t, "--db", db, "load", filepath.Join("..", "..", "testdata", "tick-2021.yaml"))
	// A copy taken while a store is open keeps its -wal file.
	pending := filepath.Join(mnt, "pending")
	os.Mkdir(pending, 0o700)
	ctx := context.Background()
	live := filepath.Join(t.TempDir(), "p.db")
	open, err := local.Open(ctx, live, true)
	if err != nil {
		t.Fatal(err)
	}
	ds, _, err := loader.ReadAll(ctx, []string{filepath.Join("..", "..", "testdata", "tick-2021.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := open.Load(ctx, ds, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	copyFile(t, live, filepath.Join(pending, "p.db"))
	copyFile(t, live+"-wal", filepath.Join(pending, "p.db-wal"))
	open.Close()
	if out, err := exec.Command("mount", "-o", "remount,ro", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only: %v %s", err, out)
	}
	if r := run(t, nil, "--db", db, "stats"); r.code != 0 || !strings.Contains(r.stdout, "entities:      18") {
		t.Errorf("stats on a read-only mount: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := run(t, nil, "--db", db, "load", filepath.Join("..", "..", "testdata", "tick-2021.yaml"))
	if r.code != 1 || !strings.Contains(r.stderr, "the store is read-only where it is (a read-only mount") {
		t.Errorf("load into a read-only mount: exit %d, %s", r.code, r.stderr)
	}
	r = run(t, nil, "--db", filepath.Join(pending, "p.db"), "stats")
	if r.code != 1 || !strings.Contains(r.stderr, "its last changes are still in p.db-wal") {
		t.Errorf("a store with a pending -wal on a read-only mount: exit %d, %s%s", r.code, r.stdout, r.stderr)
	}
}

// noDuplicates fails the test if Neo4j holds two relationships of one
// type between the same two nodes.
func noDuplicates(t *testing.T, uri string) {
	t.Helper()
	out := mustRun(t, "--db", uri, "cypher", "MATCH (a)-[r]->(b) WITH a, type(r) AS t, b, count(*) AS n WHERE n > 1 RETURN count(*) AS dups")
	if !strings.Contains(out, "dups\n0\n") {
		t.Errorf("duplicate relationships: %s", out)
	}
}

// TestCrashMidLoadNeo4j kills the loader mid-load into Neo4j; the next
// load converges to the full graph with no duplicates.
func TestCrashMidLoadNeo4j(t *testing.T) {
	uri := neo().Require(t)
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	writeGroups(t, big, "big", 0, 4000)
	mustRun(t, "--db", uri, "cypher", "--write", "MATCH (n) DETACH DELETE n")
	rng := rand.New(rand.NewSource(20210420))
	for i := 0; i < 3; i++ {
		cmd := exec.Command(binary(t), "--db", uri, "load", "--batch-size", "200", big)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(500+rng.Intn(1500)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	partial := stats(t, uri)
	t.Logf("after 3 killed loads: %d of 4000 entities, %d of %d relationships", partial.Entities, partial.Relationships, 2*4000-8)
	mustRun(t, "--db", uri, "load", big)
	st := stats(t, uri)
	if st.Entities != 4000 || st.Relationships != 2*4000-8 {
		t.Errorf("after kills and a reload: %d entities, %d relationships; want 4000, %d", st.Entities, st.Relationships, 2*4000-8)
	}
	noDuplicates(t, uri)
	mustRun(t, "--db", uri, "cypher", "--write", "MATCH (n) DETACH DELETE n")
}

// TestConcurrentLoadsNeo4j runs 2, then 4 loaders of overlapping datasets
// into Neo4j at once, with a reader polling: all loads succeed (the
// driver retries deadlocks), no duplicates, reads never fail.
func TestConcurrentLoadsNeo4j(t *testing.T) {
	uri := neo().Require(t)
	for _, n := range []int{2, 4} {
		t.Run(fmt.Sprintf("%d loaders", n), func(t *testing.T) {
			mustRun(t, "--db", uri, "cypher", "--write", "MATCH (n) DETACH DELETE n")
			dir := t.TempDir()
			files := make([]string, n)
			for k := range files {
				files[k] = filepath.Join(dir, fmt.Sprintf("part%d.yaml", k))
				writeGroups(t, files[k], fmt.Sprintf("part%d", k), k*500, k*500+1000)
			}
			ctx, cancel := context.WithCancel(context.Background())
			var reads int
			var rwg sync.WaitGroup
			rwg.Add(1)
			go func() {
				defer rwg.Done()
				for ctx.Err() == nil {
					if r := run(t, nil, "--db", uri, "stats", "--format", "json"); r.code != 0 {
						t.Errorf("read during loads failed: %s", r.stderr)
					}
					reads++
				}
			}()
			var wg sync.WaitGroup
			results := make([]result, n)
			for k := range files {
				wg.Add(1)
				go func() {
					defer wg.Done()
					results[k] = run(t, nil, "--db", uri, "load", "--batch-size", "100", files[k])
				}()
			}
			wg.Wait()
			cancel()
			rwg.Wait()
			for k, r := range results {
				if r.code != 0 {
					t.Errorf("loader %d: exit %d: %s", k, r.code, r.stderr)
				}
			}
			st := stats(t, uri)
			ents := n*500 + 500
			if st.Entities != ents {
				t.Errorf("%d entities, want %d", st.Entities, ents)
			}
			noDuplicates(t, uri)
			t.Logf("%d loaders into Neo4j: all loaded, %d entities, %d relationships, %d reads during the loads", n, st.Entities, st.Relationships, reads)
		})
	}
	mustRun(t, "--db", uri, "cypher", "--write", "MATCH (n) DETACH DELETE n")
}

// TestTLS starts a Neo4j that requires TLS with a self-signed
// certificate: bolt+ssc:// works; bolt+s:// and neo4j+s:// work when the
// certificate is trusted (SSL_CERT_FILE) and fail clearly when it is not;
// plain bolt:// fails clearly.
func TestTLS(t *testing.T) {
	neo().Require(t)
	neo().CanStart(t)
	dir := t.TempDir()
	if err := neo4jtest.WriteCert(dir); err != nil {
		t.Fatal(err)
	}
	srv, err := neo4jtest.Start(context.Background(), neo4jtest.Options{TLSDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop(true)
	hostport := strings.TrimPrefix(srv.URI, "bolt://")
	trust := []string{"SSL_CERT_FILE=" + filepath.Join(dir, "public.crt")}
	cases := []struct {
		uri  string
		env  []string
		ok   bool
		want string
	}{
		{"bolt+ssc://" + hostport, nil, true, ""},
		{"bolt+s://" + hostport, trust, true, ""},
		{"neo4j+s://" + hostport, trust, true, ""},
		{"bolt+s://" + hostport, []string{"SSL_CERT_FILE=/nonexistent"}, false, "bolt+ssc://"},
		{"bolt://" + hostport, nil, false, "TLS"},
	}
	for _, c := range cases {
		r := run(t, c.env, "--db", c.uri, "stats")
		if c.ok && r.code != 0 {
			t.Errorf("%s: exit %d: %s", c.uri, r.code, r.stderr)
		}
		if !c.ok && (r.code != 1 || !strings.Contains(r.stderr, c.want)) {
			t.Errorf("%s: want exit 1 mentioning %q, got %d: %s", c.uri, c.want, r.code, r.stderr)
		}
	}
}
