package graph

import "unicode"

// Invisible reports runes that show nothing, or change how the text
// around them shows, so that two names could look the same and differ:
// control characters, every Unicode format character (bidirectional
// embeddings, overrides and isolates, zero-width spaces and joiners, the
// word joiner and invisible operators U+2060–U+2064, the soft hyphen,
// tag characters U+E0000–U+E007F), line and paragraph separators, and the
// Hangul fillers and the braille blank that render as blank, and the
// noncharacters. Outputs show them as [U+XXXX];
// validation warns about them.
func Invisible(r rune) bool {
	switch {
	case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
		return true
	case r == 0x2028, r == 0x2029, r == 0x034F:
		return true
	case r == 0x115F, r == 0x1160, r == 0x3164, r == 0xFFA0, r == 0x2800:
		return true
	case r >= 0xFDD0 && r <= 0xFDEF, r&0xFFFE == 0xFFFE:
		// Noncharacters: XML 1.0 cannot carry U+FFFE or U+FFFF even
		// escaped (an SVG or GraphML holding one is not well-formed).
		return true
	}
	return false
}

// FirstInvisible returns the first invisible rune of s, if any.
func FirstInvisible(s string) (rune, bool) {
	for _, r := range s {
		if Invisible(r) {
			return r, true
		}
	}
	return 0, false
}
