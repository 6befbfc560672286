package neo4jstore

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStatementFiles: every statement in cypher/ is used by the package's
// code, none is empty, and only the load templates carry a placeholder.
func TestStatementFiles(t *testing.T) {
	var code strings.Builder
	gofiles, _ := filepath.Glob("*.go")
	for _, f := range gofiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		code.Write(b)
	}
	names, _ := fs.Glob(statementFiles, "cypher/*.cypher")
	if len(names) == 0 {
		t.Fatal("no statements embedded")
	}
	for _, p := range names {
		name := strings.TrimPrefix(p, "cypher/")
		t.Run(name, func(t *testing.T) {
			q := statement(name)
			if strings.TrimSpace(q) == "" {
				t.Errorf("%s is empty", name)
			}
			if strings.Contains(q, "{{") && !strings.HasPrefix(name, "load_") && !strings.HasPrefix(name, "path") {
				t.Errorf("%s has a template placeholder", name)
			}
			if !strings.Contains(code.String(), `"`+name+`"`) {
				t.Errorf("%s is not used by the package", name)
			}
		})
	}
}
