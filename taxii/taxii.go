// Package taxii is a TAXII 2.1 client: it pages through a collection's
// objects and writes them out as one STIX 2.1 bundle, which the loader
// then reads like any bundle.
package taxii

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MediaType is what a TAXII 2.1 server answers and is asked for.
const MediaType = "application/taxii+json;version=2.1"

// PageSize is how many objects each request asks for; servers may send
// fewer.
const PageSize = 1000

// MaxPages bounds the requests of one fetch: a server that never stops
// saying "more" must not keep a load running forever.
const MaxPages = 100_000

// MaxResponse bounds one response body.
const MaxResponse = 64 << 20

// Client fetches TAXII collections. User and Password, when set, go to
// the server as basic authentication (from the environment, never from
// the command line).
type Client struct {
	HTTP           *http.Client
	User, Password string
	// AddedAfter, when set, asks only for objects added after it (an
	// RFC 3339 time).
	AddedAfter string
}

// IsURL reports whether an input names a TAXII collection:
// taxii+https://host/api-root/collections/ID/ (taxii+http:// for a server
// on this machine).
func IsURL(s string) bool {
	return strings.HasPrefix(s, "taxii+https://") || strings.HasPrefix(s, "taxii+http://")
}

// Collection is a parsed collection URL.
type Collection struct {
	// Objects is the URL of the collection's objects endpoint.
	Objects *url.URL
	// ID is the collection's id, the last path element.
	ID string
}

// ParseURL checks a taxii+http(s) collection URL.
func ParseURL(raw string) (Collection, error) {
	if !IsURL(raw) {
		return Collection{}, fmt.Errorf("%s is not a TAXII collection URL; write taxii+https://HOST/API-ROOT/collections/ID/", raw)
	}
	u, err := url.Parse(strings.TrimPrefix(raw, "taxii+"))
	if err != nil {
		return Collection{}, fmt.Errorf("TAXII URL: %w", err)
	}
	if u.User != nil {
		return Collection{}, errors.New("TAXII URL holds user information; give the user and password in TAXII_USERNAME and TAXII_PASSWORD (or TAXII_PASSWORD_FILE), never in the URL")
	}
	if u.Host == "" {
		return Collection{}, fmt.Errorf("TAXII URL %s has no host", redact(u))
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 2 || parts[len(parts)-2] != "collections" || parts[len(parts)-1] == "" {
		return Collection{}, fmt.Errorf("TAXII URL %s does not name a collection; write …/API-ROOT/collections/ID/", redact(u))
	}
	id := parts[len(parts)-1]
	obj := *u
	obj.Path = "/" + strings.Join(parts, "/") + "/objects/"
	obj.RawQuery, obj.Fragment = "", ""
	return Collection{Objects: &obj, ID: id}, nil
}

// redact shows a URL without its query and fragment.
func redact(u *url.URL) string {
	c := *u
	c.User, c.RawQuery, c.Fragment = nil, "", ""
	return c.String()
}

// Stats says what a fetch read.
type Stats struct {
	Objects, Pages int
}

// Fetch pages through the collection at raw (ParseURL) and writes its
// objects into w as one STIX 2.1 bundle, whose id is derived from the URL
// (the same collection gives the same bundle id). limit bounds the bytes
// written. It follows the server's "next" when it gives one, and else
// the X-TAXII-Date-Added-Last header as added_after.
func (c *Client) Fetch(ctx context.Context, raw string, w io.Writer, limit int64) (Stats, error) {
	var st Stats
	col, err := ParseURL(raw)
	if err != nil {
		return st, err
	}
	sum := sha256.Sum256([]byte(col.Objects.String()))
	h := hex.EncodeToString(sum[:16])
	bundleID := "bundle--" + h[:8] + "-" + h[8:12] + "-5" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
	cw := &countingWriter{w: w, limit: limit}
	fmt.Fprintf(cw, "{\"type\": \"bundle\", \"id\": %q, \"objects\": [", bundleID)
	next, addedAfter := "", c.AddedAfter
	for {
		if st.Pages >= MaxPages {
			return st, fmt.Errorf("TAXII collection %s: still more after %d pages; stopped", col.ID, MaxPages)
		}
		q := url.Values{"limit": {strconv.Itoa(PageSize)}}
		if next != "" {
			q.Set("next", next)
		}
		if addedAfter != "" {
			q.Set("added_after", addedAfter)
		}
		env, last, err := c.page(ctx, col, q)
		if err != nil {
			return st, err
		}
		st.Pages++
		for _, o := range env.Objects {
			if st.Objects > 0 {
				cw.Write([]byte(",\n"))
			}
			cw.Write(o)
			st.Objects++
		}
		if cw.err != nil {
			return st, cw.err
		}
		if !env.More {
			break
		}
		switch {
		case env.Next != "":
			next = env.Next
		case last != "" && last != addedAfter:
			next, addedAfter = "", last
		default:
			return st, fmt.Errorf("TAXII collection %s: the server says there is more but gives no way to ask for it (no next, no X-TAXII-Date-Added-Last)", col.ID)
		}
	}
	cw.Write([]byte("]}\n"))
	return st, cw.err
}

type envelope struct {
	More    bool              `json:"more"`
	Next    string            `json:"next"`
	Objects []json.RawMessage `json:"objects"`
}

// page asks for one page of objects.
func (c *Client) page(ctx context.Context, col Collection, q url.Values) (envelope, string, error) {
	var env envelope
	u := *col.Objects
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return env, "", err
	}
	req.Header.Set("Accept", MediaType)
	if c.User != "" || c.Password != "" {
		req.SetBasicAuth(c.User, c.Password)
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 2 * time.Minute}
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return env, "", ctx.Err()
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is said once, below
		}
		return env, "", fmt.Errorf("TAXII server %s: %w; is it running, and is the URL right?", redact(col.Objects), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponse+1))
	if err != nil {
		return env, "", fmt.Errorf("TAXII collection %s: read the answer: %w", col.ID, err)
	}
	if len(body) > MaxResponse {
		return env, "", fmt.Errorf("TAXII collection %s: one answer is over %d MiB; stopped", col.ID, MaxResponse>>20)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized, resp.StatusCode == http.StatusForbidden:
		what := "asks for credentials"
		if c.User != "" {
			what = fmt.Sprintf("refused the credentials of user %q", c.User)
		}
		return env, "", fmt.Errorf("TAXII collection %s: the server %s (HTTP %d); set TAXII_USERNAME and TAXII_PASSWORD (or TAXII_PASSWORD_FILE)", col.ID, what, resp.StatusCode)
	case resp.StatusCode == http.StatusNotFound:
		return env, "", fmt.Errorf("TAXII collection %s: not found at %s (HTTP 404); check the API root and the collection id", col.ID, redact(col.Objects))
	case resp.StatusCode == http.StatusNotAcceptable, resp.StatusCode == http.StatusUnsupportedMediaType:
		return env, "", fmt.Errorf("TAXII collection %s: the server does not speak TAXII 2.1 (HTTP %d)", col.ID, resp.StatusCode)
	case resp.StatusCode/100 != 2:
		return env, "", fmt.Errorf("TAXII collection %s: HTTP %d: %s", col.ID, resp.StatusCode, firstLine(body))
	}
	if len(bytes.TrimSpace(body)) == 0 { // some servers answer an empty collection with nothing
		return env, "", nil
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return env, "", fmt.Errorf("TAXII collection %s: the answer is not a TAXII 2.1 envelope: %w", col.ID, err)
	}
	return env, resp.Header.Get("X-TAXII-Date-Added-Last"), nil
}

func firstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// countingWriter stops writing past limit bytes and keeps the first
// error.
type countingWriter struct {
	w     io.Writer
	n     int64
	limit int64
	err   error
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if c.limit > 0 && c.n+int64(len(p)) > c.limit {
		c.err = fmt.Errorf("the collection is over the %d MiB a bundle may hold; fetch less with --added-after, or split it", c.limit>>20)
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	if err != nil {
		c.err = err
	}
	return n, err
}
