package taxii

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// server is a TAXII 2.1 collection of n objects served pages at a time,
// paging with next (byNext) or with X-TAXII-Date-Added-Last and
// added_after.
func server(t *testing.T, n, page int, byNext bool, user, pass string) *httptest.Server {
	t.Helper()
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); user != "" && (!ok || u != user || p != pass) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.URL.Path != "/api1/collections/c1/objects/" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		if r.Header.Get("Accept") != MediaType {
			w.WriteHeader(http.StatusNotAcceptable)
			return
		}
		from := 0
		if s := r.URL.Query().Get("next"); s != "" {
			from, _ = strconv.Atoi(s)
		}
		if s := r.URL.Query().Get("added_after"); s != "" {
			from, _ = strconv.Atoi(strings.TrimPrefix(s, "t"))
		}
		env := map[string]any{"objects": []any{}}
		var objs []any
		for i := from; i < n && i < from+page; i++ {
			objs = append(objs, map[string]any{"type": "malware", "id": fmt.Sprintf("malware--%d", i), "name": fmt.Sprint("M", i)})
		}
		if objs != nil {
			env["objects"] = objs
		}
		if from+page < n {
			env["more"] = true
			if byNext {
				env["next"] = strconv.Itoa(from + page)
			} else {
				w.Header().Set("X-TAXII-Date-Added-Last", "t"+strconv.Itoa(from+page))
			}
		}
		w.Header().Set("Content-Type", MediaType)
		json.NewEncoder(w).Encode(env)
	}))
}

func TestFetch(t *testing.T) {
	for _, tc := range []struct {
		name   string
		n      int
		byNext bool
		pages  int
	}{
		{"pages by next", 25, true, 3},
		{"pages by added_after", 25, false, 3},
		{"one page", 5, true, 1},
		{"empty", 0, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := server(t, tc.n, 10, tc.byNext, "analyst", "pw")
			defer srv.Close()
			c := &Client{User: "analyst", Password: "pw"}
			var out bytes.Buffer
			st, err := c.Fetch(context.Background(), "taxii+"+srv.URL+"/api1/collections/c1/", &out, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			var b struct {
				Type, ID string
				Objects  []map[string]any
			}
			if err := json.Unmarshal(out.Bytes(), &b); err != nil {
				t.Fatalf("not a bundle: %v\n%s", err, out.String())
			}
			if b.Type != "bundle" || len(b.Objects) != tc.n || st.Objects != tc.n || st.Pages != tc.pages {
				t.Errorf("bundle %s with %d objects, stats %+v; want %d objects in %d pages", b.Type, len(b.Objects), st, tc.n, tc.pages)
			}
			for i, o := range b.Objects {
				if o["id"] != fmt.Sprintf("malware--%d", i) {
					t.Fatalf("object %d is %v", i, o["id"])
				}
			}
		})
	}
}

func TestFetchErrors(t *testing.T) {
	srv := server(t, 30, 10, true, "analyst", "right-password")
	defer srv.Close()
	col := "taxii+" + srv.URL + "/api1/collections/c1/"
	for _, tc := range []struct {
		name, url, user, pass string
		limit                 int64
		want                  string
	}{
		{"wrong password", col, "analyst", "wrong-password", 1 << 20, `refused the credentials of user "analyst" (HTTP 401); set TAXII_USERNAME and TAXII_PASSWORD`},
		{"no credentials", col, "", "", 1 << 20, "asks for credentials (HTTP 401)"},
		{"no such collection", "taxii+" + srv.URL + "/api1/collections/c2/", "analyst", "right-password", 1 << 20, "not found at"},
		{"too big", col, "analyst", "right-password", 500, "over the 0 MiB a bundle may hold"},
		{"credentials in the URL", strings.Replace(col, "://", "://analyst:right-password@", 1), "", "", 1 << 20, "never in the URL"},
		{"not a collection", "taxii+" + srv.URL + "/api1/", "", "", 1 << 20, "does not name a collection"},
		{"no server", "taxii+http://127.0.0.1:1/api1/collections/c1/", "", "", 1 << 20, "is it running"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Client{User: tc.user, Password: tc.pass}
			_, err := c.Fetch(context.Background(), tc.url, &bytes.Buffer{}, tc.limit)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "password") && strings.Contains(err.Error(), "right-password") || strings.Contains(err.Error(), "wrong-password") {
				t.Errorf("a password in the error: %v", err)
			}
		})
	}
}

// A server that says "more" and gives no way to ask for it is an error,
// not a loop.
func TestFetchMoreWithoutNext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(`{"more": true, "objects": [{"type": "malware", "id": "malware--1"}]}`))
	}))
	defer srv.Close()
	_, err := (&Client{}).Fetch(context.Background(), "taxii+"+srv.URL+"/r/collections/c/", &bytes.Buffer{}, 1<<20)
	if err == nil || !strings.Contains(err.Error(), "gives no way to ask for it") {
		t.Fatalf("got %v", err)
	}
}

// Ctrl-C stops a fetch waiting for a silent server.
func TestFetchCancelled(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	ctx, cancel := context.WithCancel(context.Background())
	go cancel()
	_, err := (&Client{}).Fetch(ctx, "taxii+"+srv.URL+"/r/collections/c/", &bytes.Buffer{}, 1<<20)
	if err == nil || ctx.Err() == nil {
		t.Fatalf("got %v", err)
	}
}
