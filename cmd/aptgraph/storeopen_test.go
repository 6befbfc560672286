package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNeo4jPassword(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pw")
	if err := os.WriteFile(file, []byte("s3cret\r\nignored\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		env     map[string]string
		want    string
		wantErr string
	}{
		{"none", nil, "", ""},
		{"variable", map[string]string{"NEO4J_PASSWORD": "pw"}, "pw", ""},
		{"variable wins", map[string]string{"NEO4J_PASSWORD": "pw", "NEO4J_PASSWORD_FILE": file}, "pw", ""},
		{"file, first line", map[string]string{"NEO4J_PASSWORD_FILE": file}, "s3cret", ""},
		{"missing file", map[string]string{"NEO4J_PASSWORD_FILE": filepath.Join(dir, "none")}, "", "NEO4J_PASSWORD_FILE: no such file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := newApp(nil, nil, nil, func(k string) string { return c.env[k] })
			got, err := a.neo4jPassword()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || strings.Contains(err.Error(), dir) {
					t.Errorf("error %v, want one with %q and without the path", err, c.wantErr)
				}
				return
			}
			if err != nil || got != c.want {
				t.Errorf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
}
