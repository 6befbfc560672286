package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/aptgraph/aptgraph/render"
)

var updateReference = flag.Bool("update", false, "rewrite docs/commands from the commands' help")

// TestCommandReference: docs/commands is what the commands' own help
// generates, so it is never stale (-update rewrites it).
func TestCommandReference(t *testing.T) {
	want := filepath.Join("..", "..", "docs", "commands")
	if *updateReference {
		os.RemoveAll(want)
		if err := writeReference(newApp(nil, nil, nil, os.Getenv).rootCmd(), want); err != nil {
			t.Fatal(err)
		}
	}
	got := t.TempDir()
	if err := writeReference(newApp(nil, nil, nil, os.Getenv).rootCmd(), got); err != nil {
		t.Fatal(err)
	}
	gen, _ := filepath.Glob(filepath.Join(got, "*.md"))
	have, _ := filepath.Glob(filepath.Join(want, "*.md"))
	if len(gen) != len(have) {
		t.Errorf("docs/commands has %d pages, the commands make %d; run go test ./cmd/aptgraph -run TestCommandReference -update", len(have), len(gen))
	}
	for _, g := range gen {
		name := filepath.Base(g)
		t.Run(name, func(t *testing.T) {
			a, _ := os.ReadFile(g)
			b, err := os.ReadFile(filepath.Join(want, name))
			if err != nil || !bytes.Equal(a, b) {
				t.Errorf("docs/commands/%s is stale; run go test ./cmd/aptgraph -run TestCommandReference -update", name)
			}
		})
	}
}

// TestManPages: aptgraph man writes a page per command.
func TestManPages(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := newApp(nil, &out, &errOut, os.Getenv).run([]string{"man", dir}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, p := range []string{"aptgraph.1", "aptgraph-load.1", "aptgraph-path.1", "aptgraph-attribution.1", "aptgraph-cypher.1"} {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil || !bytes.Contains(b, []byte(".TH \"APTGRAPH\"")) {
			t.Errorf("%s: %v", p, err)
		}
	}
}

var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestDocLinks: every relative link in the README and docs/ points to a
// file that exists, and every #anchor to a heading of that file.
func TestDocLinks(t *testing.T) {
	root := filepath.Join("..", "..")
	files := []string{filepath.Join(root, "README.md")}
	more, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	files = append(files, more...)
	more, _ = filepath.Glob(filepath.Join(root, "docs", "commands", "*.md"))
	files = append(files, more...)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(b), -1) {
			link := m[1]
			if strings.Contains(link, "://") || strings.HasPrefix(link, "mailto:") {
				continue
			}
			path, anchor, _ := strings.Cut(link, "#")
			target := f
			if path != "" {
				target = filepath.Join(filepath.Dir(f), path)
			}
			tb, err := os.ReadFile(target)
			if err != nil {
				if fi, serr := os.Stat(target); serr == nil && fi.IsDir() {
					continue
				}
				t.Errorf("%s: link %s: %v", f, link, err)
				continue
			}
			if anchor != "" && strings.HasSuffix(target, ".md") && !hasAnchor(string(tb), anchor) {
				t.Errorf("%s: link %s: no heading for #%s", f, link, anchor)
			}
		}
	}
}

// hasAnchor tells whether markdown has a heading whose GitHub anchor is a.
func hasAnchor(markdown, a string) bool {
	for _, line := range strings.Split(markdown, "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#")))
		var b strings.Builder
		for _, r := range h {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		if b.String() == a {
			return true
		}
	}
	return false
}

// TestGuideFormats: the guide's table of output formats names every
// format of render's table, with its extensions and help.
func TestGuideFormats(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "GUIDE.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range render.Formats {
		t.Run(f.Name, func(t *testing.T) {
			row := "| `" + f.Name + "` | "
			i := strings.Index(string(b), row)
			if i < 0 {
				t.Fatalf("docs/GUIDE.md has no row for format %s", f.Name)
			}
			line := string(b)[i:]
			line = line[:strings.Index(line, "\n")]
			for _, e := range f.Extensions {
				if !strings.Contains(line, e) {
					t.Errorf("the row of %s lacks extension %s", f.Name, e)
				}
			}
			if !strings.Contains(line, f.Help) {
				t.Errorf("the row of %s lacks its help %q", f.Name, f.Help)
			}
		})
	}
}

// productWord finds words of our own development in the product: the
// workspace's shared folder and the name we gave the report ("seed").
// Seeds of random generators and fuzzers are a different word.
var productWord = regexp.MustCompile(`(?i)shared/|\bseed\b`)
var randomSeed = regexp.MustCompile(`(?i)fuzz|random|corpus|-diff\.seed|generator|deterministic from a seed`)

// TestProductWords: the README, the docs, the datasets, the diagrams and
// every command's help speak of the news report as a news report.
func TestProductWords(t *testing.T) {
	root := filepath.Join("..", "..")
	var files []string
	for _, pat := range []string{"README.md", "docs/*.md", "docs/*.svg", "docs/commands/*.md", "testdata/*", "loader/*.json", "queries/analyst/*"} {
		m, _ := filepath.Glob(filepath.Join(root, pat))
		files = append(files, m...)
	}
	check := func(where, text string) {
		for i, line := range strings.Split(text, "\n") {
			if productWord.MatchString(line) && !randomSeed.MatchString(line) {
				t.Errorf("%s:%d: %s", where, i+1, strings.TrimSpace(line))
			}
		}
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // a directory
		}
		check(f, string(b))
	}
	for _, c := range append(newApp(nil, nil, nil, os.Getenv).rootCmd().Commands(), newApp(nil, nil, nil, os.Getenv).rootCmd()) {
		check(c.CommandPath()+" --help", c.Long+"\n"+c.Example+"\n"+c.Flags().FlagUsages())
	}
}
