// Package hostile reads the hostile-string corpus (testdata/
// hostile-strings.json) that tests feed through validation, both stores
// and every renderer: quotes, backslashes, markup, Cypher and DOT
// fragments, control and bidi characters, 4-byte emoji, a 100 kB name.
package hostile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// String is one corpus entry.
type String struct {
	Name  string
	Value string
}

// Strings returns the corpus; it panics if the file is unreadable, which
// only a broken checkout causes.
func Strings() []String {
	_, file, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "testdata", "hostile-strings.json"))
	if err != nil {
		panic(err)
	}
	var raw []struct {
		Name   string `json:"name"`
		Value  string `json:"value"`
		Repeat string `json:"repeat"`
		Times  int    `json:"times"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		panic(err)
	}
	out := make([]String, len(raw))
	for i, r := range raw {
		v := r.Value
		if r.Repeat != "" {
			v = strings.Repeat(r.Repeat, r.Times)
		}
		out[i] = String{r.Name, v}
	}
	return out
}
