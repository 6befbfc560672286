// Command bench measures aptgraph at scale and writes docs/BENCHMARKS.md
// and its chart. In one run on one machine, for each size, it loads the
// same synthetic corpus (internal/synth) with aptgraph into the embedded
// store and into Neo4j, with Neo4j's own LOAD CSV … CALL { … } IN
// TRANSACTIONS, and with a naive loader that MERGEs one row per
// transaction; it times path queries on both stores, a small diagram
// against native Graphviz, and start-up. It prints ratios as well as
// times, because the machine is shared and noisy.
//
//	go run ./internal/bench                       # 10k, 100k, 1M and real data → docs/
//	go run ./internal/bench -real-only            # only the real-data rows
//	go run ./internal/bench -sizes 1k -real=false -out /tmp/b  # smoke test (CI)
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

type options struct {
	sizes       []int
	out         string
	seed        uint64
	naiveBudget time.Duration
	pairs       int
	work        string
	real        bool
	// embeddedOnly are sizes measured on the embedded store alone (the
	// growth rows past 1M: Neo4j's loaders would take most of an hour).
	embeddedOnly map[int]bool
}

func main() {
	var o options
	var sizes string
	flag.StringVar(&sizes, "sizes", "10k,100k,1m,3m", "relationship counts, comma-separated (k and m suffixes)")
	embeddedOnly := flag.String("embedded-only", "3m", "of the sizes, those measured on the embedded store alone")
	flag.StringVar(&o.out, "out", "docs", "directory for BENCHMARKS.md and benchmarks.svg")
	flag.Uint64Var(&o.seed, "seed", 1, "corpus seed")
	flag.DurationVar(&o.naiveBudget, "naive-budget", 60*time.Second, "time box for the one-row-per-transaction loader at each size")
	flag.IntVar(&o.pairs, "pairs", 100, "random reachable pairs for path latency")
	flag.StringVar(&o.work, "work", "", "working directory (default: a temporary one, removed)")
	flag.BoolVar(&o.real, "real", true, "also measure the real data (ATT&CK Enterprise, the MISP galaxy) next to the stix2 library's parse")
	realOnly := flag.Bool("real-only", false, "measure only the real data (keeps the size tables of BENCHMARKS.md)")
	flag.Parse()
	if *realOnly {
		sizes, o.real = "", true
	}
	var err error
	if o.sizes, err = parseSizes(sizes); err == nil {
		var only []int
		only, err = parseSizes(*embeddedOnly)
		o.embeddedOnly = map[int]bool{}
		for _, n := range only {
			o.embeddedOnly[n] = true
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// parseSizes reads a comma-separated list of sizes.
func parseSizes(list string) ([]int, error) {
	var out []int
	for _, s := range strings.Split(list, ",") {
		if s == "" {
			continue
		}
		n, err := parseSize(s)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func parseSize(s string) (int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	mult := 1
	switch {
	case strings.HasSuffix(s, "k"):
		mult, s = 1000, strings.TrimSuffix(s, "k")
	case strings.HasSuffix(s, "m"):
		mult, s = 1_000_000, strings.TrimSuffix(s, "m")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("bad size %q: use e.g. 10k or 1m", s)
	}
	return n * mult, nil
}

func run(ctx context.Context, o options) error {
	work := o.work
	if work == "" {
		dir, err := os.MkdirTemp("", "aptgraph-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		work = dir
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	logf("building aptgraph")
	bin := filepath.Join(work, "aptgraph")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/aptgraph").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	dot, err := ensureDot()
	if err != nil {
		return err
	}
	r := &report{Machine: machine(), Started: time.Now().UTC(), Seed: o.seed, NaiveBudget: o.naiveBudget, Pairs: o.pairs}
	for _, n := range o.sizes {
		row, err := runSize(ctx, o, work, bin, n)
		if err != nil {
			return fmt.Errorf("size %d: %w", n, err)
		}
		r.Rows = append(r.Rows, row)
		printRow(row)
	}
	if len(o.sizes) > 0 {
		if r.Diagram, err = diagram(ctx, work, bin, dot); err != nil {
			return fmt.Errorf("diagram: %w", err)
		}
		if r.Startup, err = startup(work, bin); err != nil {
			return fmt.Errorf("start-up: %w", err)
		}
	}
	if o.real {
		if r.Real, err = runReal(ctx, work, bin); err != nil {
			return fmt.Errorf("real data: %w", err)
		}
	}
	r.Took = time.Since(r.Started)
	return r.write(o.out)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: %s %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// ensureDot finds Graphviz's dot, installing Debian's graphviz when it
// is missing and we may (root with apt-get).
func ensureDot() (string, error) {
	if p, err := exec.LookPath("dot"); err == nil {
		return p, nil
	}
	if _, err := exec.LookPath("apt-get"); err != nil || os.Geteuid() != 0 {
		return "", fmt.Errorf("native Graphviz (dot) is not installed: install the graphviz package and run again")
	}
	logf("installing Debian's graphviz")
	cmd := exec.Command("apt-get", "install", "-y", "-q", "--no-install-recommends", "graphviz")
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if _, err := cmd.CombinedOutput(); err != nil {
		// The package lists may be missing or stale: update, then retry
		// with a fresh command (an exec.Cmd runs once).
		upd := exec.Command("apt-get", "update", "-q")
		if uout, uerr := upd.CombinedOutput(); uerr != nil {
			return "", fmt.Errorf("apt-get update: %v\n%s", uerr, uout)
		}
		retry := exec.Command("apt-get", "install", "-y", "-q", "--no-install-recommends", "graphviz")
		retry.Env = cmd.Env
		if out, err := retry.CombinedOutput(); err != nil {
			return "", fmt.Errorf("apt-get install graphviz: %v\n%s", err, out)
		}
	}
	return exec.LookPath("dot")
}

type machineInfo struct {
	CPU    string
	Cores  int
	Memory string
	OS     string
	Go     string
	Java   string
}

func machine() machineInfo {
	m := machineInfo{Cores: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "MemTotal:") {
				f := strings.Fields(l)
				if len(f) > 1 {
					kb, _ := strconv.Atoi(f[1])
					m.Memory = fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
				}
			}
		}
	}
	if out, err := exec.Command("java", "-version").CombinedOutput(); err == nil {
		m.Java = strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
	}
	return m
}
