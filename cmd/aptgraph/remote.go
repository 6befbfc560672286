package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aptgraph/aptgraph/loader"
	"github.com/aptgraph/aptgraph/render"
	"github.com/aptgraph/aptgraph/taxii"
)

// taxiiRemote reads taxii+https:// inputs for the loader's Spooler, with
// credentials from TAXII_USERNAME and TAXII_PASSWORD (or
// TAXII_PASSWORD_FILE), never from the command line.
type taxiiRemote struct {
	client taxii.Client
	errOut io.Writer
}

func (r *taxiiRemote) Handles(name string) bool { return taxii.IsURL(name) }

func (r *taxiiRemote) Fetch(ctx context.Context, name string, w io.Writer, limit int64) (string, error) {
	col, err := taxii.ParseURL(name)
	if err != nil {
		return "", err
	}
	st, err := r.client.Fetch(ctx, name, w, limit)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(r.errOut, "%s: fetched %d objects in %d pages\n", render.Clean(name), st.Objects, st.Pages)
	// The bundle's dataset is named after the collection, not the host
	// or port, so that the same collection is the same dataset.
	return "taxii-" + strings.ToLower(col.ID) + ".json", nil
}

// spooler gives the loader private copies of pipes and devices, and
// fetches TAXII collections.
func (a *app) spooler(addedAfter string) (*loader.Spooler, error) {
	if addedAfter != "" {
		if _, err := time.Parse(time.RFC3339, addedAfter); err != nil {
			return nil, usagef("--added-after %q is not an RFC 3339 time; write e.g. 2024-01-01T00:00:00Z", addedAfter)
		}
	}
	pass, err := a.secret("TAXII_PASSWORD")
	if err != nil {
		return nil, err
	}
	sp := loader.NewSpooler()
	sp.Remote = &taxiiRemote{client: taxii.Client{User: a.getenv("TAXII_USERNAME"), Password: pass, AddedAfter: addedAfter}, errOut: a.errOut}
	return sp, nil
}
