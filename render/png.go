package render

import (
	"encoding/json"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/fogleman/gg"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

// texts are every text the layout draws.
func (l layoutJSON) texts() []string {
	var out []string
	add := func(ops []xdotOp) {
		for _, op := range ops {
			if op.Text != "" {
				out = append(out, op.Text)
			}
		}
	}
	add(l.Draw)
	add(l.LDraw)
	for _, items := range [][]layoutItem{l.Objects, l.Edges} {
		for _, o := range items {
			for _, ops := range [][]xdotOp{o.Draw, o.LDraw, o.HDraw, o.TDraw, o.HLDraw, o.TLDraw} {
				add(ops)
			}
		}
	}
	return out
}

// MaxPNGSide bounds a PNG's width and height in pixels.
const MaxPNGSide = 8192

// MinPNGScale is the fewest pixels per point a PNG is drawn at: below
// it, 9-point labels are under 4 pixels high.
const MinPNGScale = 0.4

// layoutJSON is the part of Graphviz's -Tjson output we paint.
type layoutJSON struct {
	BB      string       `json:"bb"`
	Draw    []xdotOp     `json:"_draw_"`
	LDraw   []xdotOp     `json:"_ldraw_"`
	Objects []layoutItem `json:"objects"`
	Edges   []layoutItem `json:"edges"`
}

type layoutItem struct {
	Draw   []xdotOp `json:"_draw_"`
	LDraw  []xdotOp `json:"_ldraw_"`
	HDraw  []xdotOp `json:"_hdraw_"`
	TDraw  []xdotOp `json:"_tdraw_"`
	HLDraw []xdotOp `json:"_hldraw_"`
	TLDraw []xdotOp `json:"_tldraw_"`
}

// xdotOp is one xdot drawing operation
// (https://graphviz.org/docs/outputs/canon/#xdot).
type xdotOp struct {
	Op       string      `json:"op"`
	Color    string      `json:"color"`
	Grad     string      `json:"grad"`
	Points   [][]float64 `json:"points"`
	Rect     []float64   `json:"rect"`
	Pt       []float64   `json:"pt"`
	Align    string      `json:"align"`
	Width    float64     `json:"width"`
	Text     string      `json:"text"`
	Size     float64     `json:"size"`
	Face     string      `json:"face"`
	Style    string      `json:"style"`
	FontChar int         `json:"fontchar"`
}

type fonts struct {
	regular, bold, italic *truetype.Font
	// fallback has the glyphs the Go fonts lack (CJK), when the text
	// needs them (see fallback.go).
	fallback *sfnt.Font
	faces    map[string]font.Face
}

// loadFonts loads the Go fonts, and a fallback font from the machine
// when texts need glyphs they lack.
func loadFonts(texts []string, dirs []string) (*fonts, error) {
	var f fonts
	var err error
	if f.regular, err = truetype.Parse(goregular.TTF); err != nil {
		return nil, err
	}
	if f.bold, err = truetype.Parse(gobold.TTF); err != nil {
		return nil, err
	}
	if f.italic, err = truetype.Parse(goitalic.TTF); err != nil {
		return nil, err
	}
	f.faces = map[string]font.Face{}
	if missing := missingRunes(f.regular, texts); len(missing) > 0 {
		fb, _, err := findFallback(missing, dirs)
		switch {
		case err == nil:
			f.fallback = fb
		case slices.ContainsFunc(missing, isCJK):
			// Names in their original script are the point of the
			// diagram: no boxes in their place.
			return nil, noGlyphsError(missing)
		}
	}
	return &f, nil
}

func (f *fonts) face(bold, italic bool, size float64) font.Face {
	key := fmt.Sprintf("%v%v%.2f", bold, italic, size)
	if fc, ok := f.faces[key]; ok {
		return fc
	}
	tt := f.regular
	switch {
	case bold:
		tt = f.bold
	case italic:
		tt = f.italic
	}
	var fc font.Face = truetype.NewFace(tt, &truetype.Options{Size: size, DPI: 72, Hinting: font.HintingNone})
	if f.fallback != nil {
		fb, err := opentype.NewFace(f.fallback, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
		if err == nil {
			fc = fallbackFace{primary: fc, has: func(r rune) bool { return tt.Index(r) != 0 }, fallback: fb}
		}
	}
	f.faces[key] = fc
	return fc
}

// painter keeps the xdot drawing state.
type painter struct {
	dc         *gg.Context
	h, scale   float64
	pen, fill  color.Color
	fontSize   float64
	bold, ital bool
	lineWidth  float64
	dash       []float64
	fonts      *fonts
}

func paintPNG(w io.Writer, layout []byte, scale float64) error {
	var l layoutJSON
	if err := json.Unmarshal(layout, &l); err != nil {
		return fmt.Errorf("read graphviz layout: %w", err)
	}
	bb := strings.Split(l.BB, ",")
	if len(bb) != 4 {
		return fmt.Errorf("read graphviz layout: bounding box %q", l.BB)
	}
	width, _ := strconv.ParseFloat(bb[2], 64)
	height, _ := strconv.ParseFloat(bb[3], 64)
	const pad = 4.0
	// A large graph is drawn smaller rather than refused: at most
	// MaxPNGSide pixels a side.
	if side := math.Max(width, height) + 2*pad; side*scale > MaxPNGSide {
		scale = MaxPNGSide / side
	}
	// Drawn so small that its text cannot be read (a long thin layout
	// once came out 8192×1 with exit 0): refused, with what to do.
	if scale < MinPNGScale {
		return fmt.Errorf("%w: the layout is %.0f×%.0f points, and a PNG of at most %d pixels a side would draw it at %.2f pixels a point (text under 4 pixels high); narrow the query or write --format svg, which has no pixel bound",
			ErrTooBig, width, height, MaxPNGSide, scale)
	}
	W, H := int(math.Ceil((width+2*pad)*scale)), int(math.Ceil((height+2*pad)*scale))
	if W <= 0 || H <= 0 {
		return fmt.Errorf("graphviz layout has no size (%q)", l.BB)
	}
	fs, err := loadFonts(l.texts(), fontDirs())
	if err != nil {
		return fmt.Errorf("load fonts: %w", err)
	}
	dc := gg.NewContext(W, H)
	dc.SetColor(color.White)
	dc.Clear()
	dc.Translate(pad*scale, pad*scale)
	p := &painter{dc: dc, h: height, scale: scale, fonts: fs}
	p.reset()
	p.run(l.Draw)
	for _, o := range l.Objects { // clusters, then nodes
		p.reset()
		p.run(o.Draw)
	}
	for _, e := range l.Edges {
		p.reset()
		p.run(e.Draw)
		p.run(e.HDraw)
		p.run(e.TDraw)
		p.run(e.LDraw)
		p.run(e.HLDraw)
		p.run(e.TLDraw)
	}
	for _, o := range l.Objects {
		p.reset()
		p.run(o.LDraw)
	}
	p.reset()
	p.run(l.LDraw)
	// Fast compression: a big diagram's PNG is large either way, and the
	// default level triples the time spent.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return enc.Encode(w, dc.Image())
}

func (p *painter) reset() {
	p.pen, p.fill = color.Black, color.Black
	p.fontSize = 14
	p.bold, p.ital = false, false
	p.lineWidth = 1
	p.dash = nil
}

// pt converts Graphviz points (y up) to pixels (y down).
func (p *painter) pt(x, y float64) (float64, float64) {
	return x * p.scale, (p.h - y) * p.scale
}

func (p *painter) stroke() {
	p.dc.SetColor(p.pen)
	p.dc.SetLineWidth(p.lineWidth * p.scale)
	if p.dash != nil {
		d := make([]float64, len(p.dash))
		for i, v := range p.dash {
			d[i] = v * p.scale
		}
		p.dc.SetDash(d...)
	} else {
		p.dc.SetDash()
	}
	p.dc.Stroke()
}

func (p *painter) path(points [][]float64, closed bool) {
	p.dc.NewSubPath()
	for i, q := range points {
		if len(q) < 2 {
			continue
		}
		x, y := p.pt(q[0], q[1])
		if i == 0 {
			p.dc.MoveTo(x, y)
		} else {
			p.dc.LineTo(x, y)
		}
	}
	if closed {
		p.dc.ClosePath()
	}
}

func (p *painter) bezier(points [][]float64) {
	p.dc.NewSubPath()
	if len(points) == 0 || len(points[0]) < 2 {
		return
	}
	x, y := p.pt(points[0][0], points[0][1])
	p.dc.MoveTo(x, y)
	for i := 1; i+2 < len(points); i += 3 {
		a, b, c := points[i], points[i+1], points[i+2]
		if len(a) < 2 || len(b) < 2 || len(c) < 2 {
			return
		}
		x1, y1 := p.pt(a[0], a[1])
		x2, y2 := p.pt(b[0], b[1])
		x3, y3 := p.pt(c[0], c[1])
		// Flattened here rather than with CubicTo: gg's dashing of
		// curves smears long dashed edges into filled wedges.
		const steps = 24
		for s := 1; s <= steps; s++ {
			t := float64(s) / steps
			u := 1 - t
			px := u*u*u*x + 3*u*u*t*x1 + 3*u*t*t*x2 + t*t*t*x3
			py := u*u*u*y + 3*u*u*t*y1 + 3*u*t*t*y2 + t*t*t*y3
			p.dc.LineTo(px, py)
		}
		x, y = x3, y3
	}
}

func (p *painter) run(ops []xdotOp) {
	for _, op := range ops {
		switch op.Op {
		case "c":
			p.pen = parseColor(op.Color)
		case "C":
			p.fill = parseColor(op.Color)
		case "S":
			p.setStyle(op.Style)
		case "F":
			p.fontSize = op.Size
			p.bold = strings.Contains(strings.ToLower(op.Face), "bold")
		case "t":
			p.bold = op.FontChar&1 != 0
			p.ital = op.FontChar&2 != 0
		case "P", "p", "L":
			p.path(op.Points, op.Op != "L")
			if op.Op == "P" {
				p.dc.SetColor(p.fill)
				p.dc.FillPreserve()
			}
			p.stroke()
		case "B", "b":
			// Graphviz's JSON writer (as built into go-graphviz) emits
			// filled B-splines as "B" and unfilled ones (every edge) as
			// "b", the reverse of the xdot text format; checked against
			// the SVG of cylinders and edges.
			p.bezier(op.Points)
			if op.Op == "B" {
				p.dc.SetColor(p.fill)
				p.dc.FillPreserve()
			}
			p.stroke()
		case "E", "e":
			if len(op.Rect) == 4 {
				x, y := p.pt(op.Rect[0], op.Rect[1])
				p.dc.NewSubPath()
				p.dc.DrawEllipse(x, y, op.Rect[2]*p.scale, op.Rect[3]*p.scale)
				if op.Op == "E" {
					p.dc.SetColor(p.fill)
					p.dc.FillPreserve()
				}
				p.stroke()
			}
		case "T":
			p.text(op)
		}
	}
}

func (p *painter) setStyle(s string) {
	switch {
	case s == "dashed":
		p.dash = []float64{5, 2}
	case s == "dotted":
		p.dash = []float64{1, 5}
	case s == "solid":
		p.dash = nil
	case s == "bold":
		p.lineWidth = 2
	case strings.HasPrefix(s, "setlinewidth("):
		if v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(s, "setlinewidth("), ")"), 64); err == nil {
			p.lineWidth = v
		}
	}
}

// text draws one xdot text at its baseline. Graphviz sized the label with
// its own font metrics; if ours are wider the text is shrunk to the width
// Graphviz reserved, so nothing overlaps.
func (p *painter) text(op xdotOp) {
	if len(op.Pt) < 2 || op.Text == "" {
		return
	}
	// Graphviz's JSON writer escapes backslashes in xdot text once more
	// than the SVG writer; undo it so the PNG shows what the SVG shows.
	s := strings.ReplaceAll(op.Text, `\\`, `\`)
	size := p.fontSize * p.scale
	face := p.fonts.face(p.bold, p.ital, size)
	p.dc.SetFontFace(face)
	tw, _ := p.dc.MeasureString(s)
	if want := op.Width * p.scale; want > 0 && tw > want {
		size = size * want / tw
		face = p.fonts.face(p.bold, p.ital, size)
		p.dc.SetFontFace(face)
		tw, _ = p.dc.MeasureString(s)
	}
	x, y := p.pt(op.Pt[0], op.Pt[1])
	switch op.Align {
	case "c":
		x -= tw / 2
	case "r":
		x -= tw
	}
	p.dc.SetColor(p.pen)
	p.dc.DrawString(s, x, y)
}

var namedColors = map[string]color.Color{
	"black": color.Black, "white": color.White, "transparent": color.Transparent,
	"none": color.Transparent, "red": color.RGBA{255, 0, 0, 255}, "blue": color.RGBA{0, 0, 255, 255},
	"gray": color.RGBA{192, 192, 192, 255}, "grey": color.RGBA{192, 192, 192, 255},
}

func parseColor(s string) color.Color {
	s = strings.ToLower(strings.TrimSpace(s))
	if c, ok := namedColors[s]; ok {
		return c
	}
	if strings.HasPrefix(s, "#") && (len(s) == 7 || len(s) == 9) {
		v, err := strconv.ParseUint(s[1:], 16, 32)
		if err == nil {
			if len(s) == 7 {
				return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
			}
			return color.NRGBA{uint8(v >> 24), uint8(v >> 16), uint8(v >> 8), uint8(v)}
		}
	}
	return color.Black
}
