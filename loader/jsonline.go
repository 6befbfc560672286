package loader

import (
	"encoding/json"
	"errors"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// lineNode parses one line of JSON Lines into the yaml.Node tree the
// decoder validates, with the given line number and byte columns. It is
// the JSON Lines hot path (a million lines per load), so it scans the
// bytes itself instead of using json.Decoder's tokens, which cost about
// five times as much; strings with escapes are still decoded by
// encoding/json, and any syntax error is reported by checkJSON, so that
// messages match the .json path.
func lineNode(data []byte, line int) (*yaml.Node, error) {
	p := &lineParser{data: data, line: line}
	p.space()
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.data) {
		return nil, errLineSyntax
	}
	return n, nil
}

var errLineSyntax = errors.New("JSON syntax error")

// maxDepth bounds nesting: a line nests three levels in a valid dataset.
const maxDepth = 64

type lineParser struct {
	data []byte
	i    int
	line int
}

func (p *lineParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

func (p *lineParser) node(kind yaml.Kind, tag, value string, at int) *yaml.Node {
	return &yaml.Node{Kind: kind, Tag: tag, Value: value, Line: p.line, Column: at + 1}
}

func (p *lineParser) value(depth int) (*yaml.Node, error) {
	if p.i >= len(p.data) || depth > maxDepth {
		return nil, errLineSyntax
	}
	at := p.i
	switch c := p.data[p.i]; {
	case c == '{':
		p.i++
		n := p.node(yaml.MappingNode, "!!map", "", at)
		p.space()
		if p.i < len(p.data) && p.data[p.i] == '}' {
			p.i++
			return n, nil
		}
		for {
			p.space()
			kat := p.i
			if p.i >= len(p.data) || p.data[p.i] != '"' {
				return nil, errLineSyntax
			}
			key, err := p.str()
			if err != nil {
				return nil, err
			}
			p.space()
			if p.i >= len(p.data) || p.data[p.i] != ':' {
				return nil, errLineSyntax
			}
			p.i++
			p.space()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, p.node(yaml.ScalarNode, "!!str", key, kat), v)
			p.space()
			if p.i < len(p.data) && p.data[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.data) && p.data[p.i] == '}' {
				p.i++
				return n, nil
			}
			return nil, errLineSyntax
		}
	case c == '[':
		p.i++
		n := p.node(yaml.SequenceNode, "!!seq", "", at)
		p.space()
		if p.i < len(p.data) && p.data[p.i] == ']' {
			p.i++
			return n, nil
		}
		for {
			p.space()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, v)
			p.space()
			if p.i < len(p.data) && p.data[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.data) && p.data[p.i] == ']' {
				p.i++
				return n, nil
			}
			return nil, errLineSyntax
		}
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return p.node(yaml.ScalarNode, "!!str", s, at), nil
	case c == '-' || c >= '0' && c <= '9':
		for p.i < len(p.data) && (p.data[p.i] >= '0' && p.data[p.i] <= '9' || p.data[p.i] == '-' || p.data[p.i] == '+' || p.data[p.i] == '.' || p.data[p.i] == 'e' || p.data[p.i] == 'E') {
			p.i++
		}
		num := p.data[at:p.i]
		if !json.Valid(num) {
			return nil, errLineSyntax
		}
		return p.node(yaml.ScalarNode, "!!int", string(num), at), nil
	default:
		for _, lit := range []struct{ text, tag string }{{"true", "!!bool"}, {"false", "!!bool"}, {"null", "!!null"}} {
			if len(p.data)-p.i >= len(lit.text) && string(p.data[p.i:p.i+len(lit.text)]) == lit.text {
				p.i += len(lit.text)
				return p.node(yaml.ScalarNode, lit.tag, lit.text, at), nil
			}
		}
		return nil, errLineSyntax
	}
}

// str reads a JSON string at p.i. Plain strings (no escapes, no control
// characters, valid UTF-8) are sliced; others go through encoding/json.
func (p *lineParser) str() (string, error) {
	start := p.i
	p.i++
	plain := true
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			raw := p.data[start:p.i]
			if plain && utf8.Valid(raw) {
				return string(raw[1 : len(raw)-1]), nil
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return "", errLineSyntax
			}
			return s, nil
		case c == '\\':
			plain = false
			p.i += 2
		case c < 0x20:
			return "", errLineSyntax
		default:
			p.i++
		}
	}
	return "", errLineSyntax
}
