// Package render turns a graph.Subgraph into text, JSON, DOT, SVG and PNG.
// Every writer is deterministic: the same subgraph gives the same bytes.
// Every string from the data is treated as hostile: control characters and
// bidirectional overrides are made visible, and DOT, HTML and XML text is
// escaped, so that data never becomes markup or terminal commands.
package render

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/aptgraph/aptgraph/graph"
)

// Clean makes a data string safe to show: invalid UTF-8 becomes U+FFFD;
// control characters (newlines and tabs too) and the bidirectional
// formatting characters that can reorder what a reader sees become a
// visible [U+XXXX]. Everything else is kept as it is.
func Clean(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune('\uFFFD')
		case hidden(r):
			fmt.Fprintf(&b, "[U+%04X]", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// hidden reports runes that must not reach a terminal, DOT or SVG as they
// are: graph.Invisible (controls, bidi and other format characters, Hangul
// fillers) could reorder what a reader sees or disguise a name.
func hidden(r rune) bool { return graph.Invisible(r) }

// wrap breaks a label into lines of about width characters at spaces, so
// that long names make tall rather than very wide nodes.
func wrap(s string, width int) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return []string{s}
	}
	var lines []string
	cur := ""
	for _, w := range words {
		switch {
		case cur == "":
			cur = w
		case utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) <= width:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	lines = append(lines, cur)
	for i, l := range lines {
		if r := []rune(l); len(r) > 3*width {
			lines[i] = string(r[:3*width-1]) + "…"
		}
	}
	return lines
}
