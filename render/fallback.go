package render

import (
	"errors"
	"fmt"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The Go fonts the PNG is painted with have no CJK glyphs, and this is a
// tool about Japanese and Chinese organisations, whose names analysts
// keep in the original script: 宇宙航空研究開発機構 came out as empty boxes.
// A PNG whose text needs glyphs the Go fonts lack takes them from a font
// installed on the machine (Noto Sans CJK, Source Han Sans, Droid Sans
// Fallback, IPA; Debian: apt install fonts-droid-fallback or
// fonts-noto-cjk; WenQuanYi's collections are not read by the font
// parser), or, for CJK text, is refused saying so — never
// drawn as boxes. Other scripts no installed font covers are drawn as
// the Go fonts can.

// fontDirs are where fonts are looked for, in order.
func fontDirs() []string {
	dirs := []string{"/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "/System/Library/Fonts"}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".local", "share", "fonts"), filepath.Join(home, ".fonts"), filepath.Join(home, "Library", "Fonts"))
	}
	if windir := os.Getenv("WINDIR"); windir != "" {
		dirs = append(dirs, filepath.Join(windir, "Fonts"))
	}
	return dirs
}

// fallbackNames are the font files tried, best first (sans-serif faces
// that cover Japanese and Chinese alike).
var fallbackNames = []*regexp.Regexp{
	regexp.MustCompile(`(?i)^notosanscjk.*-regular\.tt[cf]$`),
	regexp.MustCompile(`(?i)^notosanscjk.*\.(ttc|otf)$`),
	regexp.MustCompile(`(?i)^sourcehansans.*\.(ttc|otf)$`),
	regexp.MustCompile(`(?i)^droidsansfallback.*\.ttf$`),
	regexp.MustCompile(`(?i)^(ipaexg|ipag|ipagp)\.ttf$`),
	regexp.MustCompile(`(?i)^(msgothic|msyh|simsun|yugoth.*)\.tt[cf]$`),
	regexp.MustCompile(`(?i)^notoserifcjk.*\.(ttc|otf)$`),
}

// maxFontFiles bounds the walk through the font directories.
const maxFontFiles = 20000

// errNoFallback says that no installed font has the glyphs.
var errNoFallback = errors.New("no font on this machine has them")

// findFallback finds the installed font that covers the most of missing
// (all of them, if any does).
func findFallback(missing []rune, dirs []string) (*sfnt.Font, string, error) {
	cands := make([][]string, len(fallbackNames)) // by preference
	seen := 0
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || seen > maxFontFiles {
				return filepath.SkipDir
			}
			if d.IsDir() {
				return nil
			}
			seen++
			for i, re := range fallbackNames {
				if re.MatchString(d.Name()) {
					cands[i] = append(cands[i], path)
					break
				}
			}
			return nil
		})
	}
	var best *sfnt.Font
	bestPath, bestN := "", 0
	var buf sfnt.Buffer
	for _, paths := range cands {
		slices.Sort(paths)
		for _, path := range paths {
			data, err := os.ReadFile(path)
			if err != nil {
				continue
			}
			c, err := opentype.ParseCollection(data)
			if err != nil || c.NumFonts() == 0 {
				continue
			}
			f, err := c.Font(0)
			if err != nil {
				continue
			}
			n := 0
			for _, r := range missing {
				if i, err := f.GlyphIndex(&buf, r); err == nil && i != 0 {
					n++
				}
			}
			if n > bestN {
				best, bestPath, bestN = f, path, n
			}
			if n == len(missing) {
				return best, bestPath, nil
			}
		}
	}
	if best == nil {
		return nil, "", errNoFallback
	}
	return best, bestPath, nil
}

// missingRunes lists the printable runes of texts that the font lacks.
func missingRunes(f *truetype.Font, texts []string) []rune {
	var out []rune
	for _, s := range texts {
		for _, r := range s {
			if r > ' ' && f.Index(r) == 0 && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// fallbackFace draws each rune with the primary face when its font has
// the glyph, else with the fallback face.
type fallbackFace struct {
	primary  font.Face
	has      func(rune) bool
	fallback font.Face
}

func (f fallbackFace) pick(r rune) font.Face {
	if f.fallback != nil && !f.has(r) {
		return f.fallback
	}
	return f.primary
}

func (f fallbackFace) Close() error {
	err := f.primary.Close()
	if f.fallback != nil {
		err = errors.Join(err, f.fallback.Close())
	}
	return err
}

func (f fallbackFace) Glyph(dot fixed.Point26_6, r rune) (image.Rectangle, image.Image, image.Point, fixed.Int26_6, bool) {
	return f.pick(r).Glyph(dot, r)
}

func (f fallbackFace) GlyphBounds(r rune) (fixed.Rectangle26_6, fixed.Int26_6, bool) {
	return f.pick(r).GlyphBounds(r)
}

func (f fallbackFace) GlyphAdvance(r rune) (fixed.Int26_6, bool) { return f.pick(r).GlyphAdvance(r) }

func (f fallbackFace) Kern(r0, r1 rune) fixed.Int26_6 {
	if f.pick(r0) == f.primary && f.pick(r1) == f.primary {
		return f.primary.Kern(r0, r1)
	}
	return 0
}

func (f fallbackFace) Metrics() font.Metrics { return f.primary.Metrics() }

// isCJK reports runes of Chinese, Japanese and Korean text.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo)
}

// noGlyphsError says which characters no font could draw, and what to do.
func noGlyphsError(missing []rune) error {
	var cjk []rune
	for _, r := range missing {
		if isCJK(r) {
			cjk = append(cjk, r)
		}
	}
	show := string(cjk)
	if len(cjk) > 12 {
		show = string(cjk[:12]) + "…"
	}
	return fmt.Errorf("the PNG needs glyphs for %q that the built-in fonts lack, and %w; install a CJK font (Debian, Ubuntu: apt install fonts-droid-fallback, or fonts-noto-cjk) or write --format svg, which the viewer draws with its own fonts",
		strings.TrimSpace(show), errNoFallback)
}
