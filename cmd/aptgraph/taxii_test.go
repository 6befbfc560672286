package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aptgraph/aptgraph/internal/fixture"
	"github.com/aptgraph/aptgraph/taxii"
)

// medallion finds the OASIS TAXII 2.1 reference server (PyPI medallion):
// APTGRAPH_MEDALLION, else medallion on the PATH. CI installs it and
// requires it (APTGRAPH_REQUIRE_TOOLS=1).
func medallion(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("APTGRAPH_MEDALLION"); p != "" {
		return p
	}
	if p, err := exec.LookPath("medallion"); err == nil {
		return p
	}
	if os.Getenv("APTGRAPH_REQUIRE_TOOLS") == "1" {
		t.Fatal("medallion is not installed (pip install medallion; or set APTGRAPH_MEDALLION)")
	}
	t.Skip("SKIP: medallion is not installed (pip install medallion)")
	return ""
}

// TestTAXIIMedallion loads ATT&CK's BRONZE BUTLER objects from a
// collection of the OASIS reference server, started here on 127.0.0.1
// with basic authentication and pages of 20 objects: every object comes
// through the pages, a wrong password is refused without being echoed,
// --added-after asks for what is new, and the same collection loaded
// again changes nothing.
func TestTAXIIMedallion(t *testing.T) {
	bin := medallion(t)
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	const col = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"
	data := map[string]any{
		"/discovery": map[string]any{"title": "aptgraph test", "default": base + "/api1/", "api_roots": []string{base + "/api1/"}},
		"api1": map[string]any{
			"information": map[string]any{"title": "api1", "versions": []string{taxii.MediaType}, "max_content_length": 104857600},
			"status":      []any{},
			"collections": []any{map[string]any{"id": col, "title": "ATT&CK objects", "can_read": true, "can_write": true,
				"media_types": []string{"application/stix+json;version=2.1"}, "objects": []any{}, "manifest": []any{}}},
		},
	}
	config := map[string]any{
		"backend": map[string]any{"module": "medallion.backends.memory_backend", "module_class": "MemoryBackend", "filename": filepath.Join(dir, "data.json")},
		"users":   map[string]string{"analyst": "s3cret-pass"},
		"taxii":   map[string]any{"max_page_size": 20},
	}
	for name, v := range map[string]any{"data.json": data, "config.json": config} {
		b, _ := json.Marshal(v)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	srv := exec.Command(bin, "--host", "127.0.0.1", "--port", fmt.Sprint(port), filepath.Join(dir, "config.json"))
	var logs bytes.Buffer
	srv.Stdout, srv.Stderr = &logs, &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		srv.Process.Kill()
		srv.Wait()
	}()
	objects := base + "/api1/collections/" + col + "/objects/"
	for start := time.Now(); ; time.Sleep(200 * time.Millisecond) {
		req, _ := http.NewRequest(http.MethodGet, base+"/taxii2/", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			break
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("medallion did not start:\n%s", logs.String())
		}
	}
	// Fill the collection with the ATT&CK fixture's objects.
	raw, err := os.ReadFile(fixture.Path(t, "attack-g0060-bronze-butler.stix21.json"))
	if err != nil {
		t.Fatal(err)
	}
	var bundle struct{ Objects []json.RawMessage }
	if err := json.Unmarshal(raw, &bundle); err != nil {
		t.Fatal(err)
	}
	env, _ := json.Marshal(map[string]any{"objects": bundle.Objects})
	req, _ := http.NewRequest(http.MethodPost, objects, bytes.NewReader(env))
	req.SetBasicAuth("analyst", "s3cret-pass")
	req.Header.Set("Accept", taxii.MediaType)
	req.Header.Set("Content-Type", taxii.MediaType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode/100 != 2 {
		t.Fatalf("add objects: %v %v\n%s", resp, err, logs.String())
	}
	resp.Body.Close()

	db := filepath.Join(dir, "s.db")
	url := "taxii+" + base + "/api1/collections/" + col + "/"
	creds := []string{"TAXII_USERNAME=analyst", "TAXII_PASSWORD=s3cret-pass"}
	r := run(t, creds, "--db", db, "load", url)
	if r.code != 0 {
		t.Fatalf("load: exit %d\n%s", r.code, r.stderr)
	}
	if want := fmt.Sprintf("fetched %d objects in %d pages", len(bundle.Objects), (len(bundle.Objects)+19)/20); !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
	if !strings.Contains(r.stdout, "taxii-"+col+": loaded") {
		t.Errorf("stdout %q", r.stdout)
	}
	if out := mustRun(t, "--db", db, "show", "G0060"); !strings.Contains(out, "BRONZE BUTLER") || !strings.Contains(out, "Tick") {
		t.Errorf("show G0060:\n%s", out)
	}
	// The same collection again: nothing changes.
	if r := run(t, creds, "--db", db, "load", url); r.code != 0 || !strings.Contains(r.stdout, "unchanged") {
		t.Errorf("reload: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The password comes from a file as well.
	pwFile := filepath.Join(dir, "pw")
	os.WriteFile(pwFile, []byte("s3cret-pass\n"), 0o600)
	if r := run(t, []string{"TAXII_USERNAME=analyst", "TAXII_PASSWORD_FILE=" + pwFile}, "check", url); r.code != 0 {
		t.Errorf("TAXII_PASSWORD_FILE: exit %d %s", r.code, r.stderr)
	}
	// Only what is new: nothing was added after tomorrow.
	tomorrow := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	if r := run(t, creds, "--db", filepath.Join(dir, "new.db"), "load", "--added-after", tomorrow, url); !strings.Contains(r.stderr, "fetched 0 objects") {
		t.Errorf("--added-after: exit %d %s", r.code, r.stderr)
	}
	if r := run(t, creds, "--db", db, "load", "--prune", "--added-after", tomorrow, url); r.code != 2 || !strings.Contains(r.stderr, "would remove what the collection added before") {
		t.Errorf("--prune --added-after: exit %d %s", r.code, r.stderr)
	}
	// A wrong password: refused, and never echoed.
	r = run(t, []string{"TAXII_USERNAME=analyst", "TAXII_PASSWORD=wrong-pass"}, "--db", db, "load", url)
	if r.code != 1 || !strings.Contains(r.stderr, `the server refused the credentials of user "analyst" (HTTP 401)`) || strings.Contains(r.stderr+r.stdout, "wrong-pass") {
		t.Errorf("wrong password: exit %d\n%s", r.code, r.stderr)
	}
}
