package aptgraph_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGraphvizFork checks that third_party/go-graphviz is exactly the
// upstream module with lazy-init.patch applied (sync.sh rebuilds it into
// a temporary directory), so the fork carries no change the patch does
// not show, and that go.mod builds with it.
func TestGraphvizFork(t *testing.T) {
	if _, err := exec.LookPath("patch"); err != nil {
		t.Skip("patch(1) is not installed")
	}
	fork := filepath.Join("third_party", "go-graphviz")
	out := t.TempDir()
	cmd := exec.Command("sh", filepath.Join(fork, "sync.sh"), out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sync.sh: %v\n%s", err, b)
	}
	var files []string
	err := filepath.WalkDir(fork, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(fork, path)
		switch rel {
		case "sync.sh", "lazy-init.patch", "README.md":
			return nil
		}
		files = append(files, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range files {
		want, err := os.ReadFile(filepath.Join(out, rel))
		if err != nil {
			t.Errorf("%s is in the fork but not in upstream + patch", rel)
			continue
		}
		if got, _ := os.ReadFile(filepath.Join(fork, rel)); !bytes.Equal(got, want) {
			t.Errorf("%s differs from upstream + lazy-init.patch: change the patch, then run sync.sh", rel)
		}
	}
	if len(files) < 10 {
		t.Fatalf("the fork has %d files", len(files))
	}
	mod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod), "replace github.com/goccy/go-graphviz => ./third_party/go-graphviz") {
		t.Error("go.mod does not replace go-graphviz with the fork")
	}
}
