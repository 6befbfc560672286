package loader

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"gopkg.in/yaml.v3"
)

// jsonNode parses JSON into the same yaml.Node tree the YAML path builds,
// with line and column of every value, so that one decoder validates both
// formats. JSON is not parsed as YAML: YAML refuses some valid JSON (DEL
// and C1 control characters in strings, keys longer than 1024 bytes).
func jsonNode(data []byte) (*yaml.Node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := &jsonParser{dec: dec, data: data, line: 1, col: 1}
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("more than one JSON value in the file")
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{n}, Line: 1, Column: 1}, nil
}

type jsonParser struct {
	dec  *json.Decoder
	data []byte
	// The line and column of byte off. Tokens only move forward, so pos
	// counts from here rather than from the start of the file: parsing
	// stays linear in the file's size (counting from byte 0 for every
	// token made a 46 MB bundle take hours).
	off, line, col int
}

// pos finds where the next token starts: after the decoder's offset,
// past white space and the separators the decoder has not consumed.
func (p *jsonParser) pos() (int, int) {
	off := int(p.dec.InputOffset())
	for off < len(p.data) {
		switch p.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	for _, b := range p.data[p.off:off] {
		if b == '\n' {
			p.line, p.col = p.line+1, 1
		} else {
			p.col++
		}
	}
	p.off = off
	return p.line, p.col
}

func (p *jsonParser) value() (*yaml.Node, error) {
	line, col := p.pos()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	n := &yaml.Node{Line: line, Column: col}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n.Kind, n.Tag = yaml.MappingNode, "!!map"
			for p.dec.More() {
				kl, kc := p.pos()
				kt, err := p.dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := kt.(string)
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, Line: kl, Column: kc}, v)
			}
		case '[':
			n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
			for p.dec.More() {
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, v)
			}
		}
		if _, err := p.dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
	case string:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!str", t
	case json.Number:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!int", t.String()
	case bool:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!bool", fmt.Sprint(t)
	case nil:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!null", "null"
	}
	return n, nil
}
