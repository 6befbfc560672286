package loader

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/aptgraph/aptgraph/graph"
)

// Schema returns the JSON Schema of the dataset format, generated from the
// same field tables the decoder uses, as indented JSON.
func Schema() []byte {
	object := func(fs []field) map[string]any {
		props := map[string]any{}
		var required []string
		for _, f := range fs {
			var p map[string]any
			switch f.typ {
			case fString:
				p = map[string]any{"type": "string"}
				if f.enum != nil {
					p["enum"] = f.enum()
				}
				if f.pattern != nil {
					p["pattern"] = f.pattern.String()
				}
				if f.date {
					p["pattern"] = `^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`
				}
			case fList:
				p = map[string]any{"type": "array", "items": map[string]any{"type": "string", "minLength": 1}}
			case fMap:
				p = map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}}
			case fItems:
				p = map[string]any{"type": "array"}
			}
			p["description"] = f.doc
			props[f.name] = p
			if f.required {
				required = append(required, f.name)
			}
		}
		o := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
		if len(required) > 0 {
			o["required"] = required
		}
		return o
	}
	var vocab []string
	for _, v := range graph.Vocabulary() {
		vocab = append(vocab, v.Type+": "+v.Meaning)
	}
	rel := object(relationshipFields)
	rel["properties"].(map[string]any)["type"].(map[string]any)["description"] = "UPPER_SNAKE relationship type. Vocabulary (others are allowed with a warning): " + strings.Join(vocab, "; ")
	rel["properties"].(map[string]any)["sources"].(map[string]any)["minItems"] = 1
	ent := object(entityFields)
	ent["properties"].(map[string]any)["aliases"].(map[string]any)["items"] = map[string]any{
		"oneOf": []any{map[string]any{"type": "string", "minLength": 1}, object(aliasFields)}}
	cite := object(citationFields)
	rel["properties"].(map[string]any)["sources"].(map[string]any)["items"] = map[string]any{
		"oneOf": []any{map[string]any{"type": "string", "minLength": 1}, cite}}
	top := object(datasetFields)
	tp := top["properties"].(map[string]any)
	tp["sources"].(map[string]any)["items"] = map[string]any{"$ref": "#/$defs/source"}
	tp["entities"].(map[string]any)["items"] = map[string]any{"$ref": "#/$defs/entity"}
	tp["relationships"].(map[string]any)["items"] = map[string]any{"$ref": "#/$defs/relationship"}
	top["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	top["$id"] = "https://github.com/aptgraph/aptgraph/loader/dataset.schema.json"
	top["title"] = "aptgraph dataset"
	top["$defs"] = map[string]any{"source": object(sourceFields), "entity": ent, "relationship": rel}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(top) // plain maps of strings: cannot fail
	return buf.Bytes()
}
