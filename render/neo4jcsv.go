package render

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aptgraph/aptgraph/graph"
)

// Neo4jCSVArrayDelimiter separates list elements in the CSV export: the
// unit separator, which no name needs (it is replaced in values).
const Neo4jCSVArrayDelimiter = "\x1f"

// Neo4jCSVFiles are the files Neo4jCSV writes.
var Neo4jCSVFiles = []string{"entities.csv", "sources.csv", "relationships.csv"}

// Neo4jImportArgs are the neo4j-admin database import arguments for the
// files in dir (paths as given).
func Neo4jImportArgs(dir string) []string {
	return []string{
		"--nodes=" + filepath.Join(dir, "entities.csv"),
		"--nodes=" + filepath.Join(dir, "sources.csv"),
		"--relationships=" + filepath.Join(dir, "relationships.csv"),
		"--array-delimiter=U+001F",
		"--multiline-fields=true",
		"--overwrite-destination=true",
	}
}

// Neo4jCSV writes the subgraph into dir in the layout of
// `neo4j-admin database import` (typed headers, :ID spaces for entities
// and sources, :LABEL and :TYPE columns), with the same properties the
// loader writes, so that a bulk import answers every query as a load does.
func Neo4jCSV(dir string, g *graph.Subgraph) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write CSV export: %w", err)
	}
	arr := func(ss []string) string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = strings.ReplaceAll(s, Neo4jCSVArrayDelimiter, "\uFFFD")
		}
		return strings.Join(out, Neo4jCSVArrayDelimiter)
	}
	one := func(s string) string { return strings.ReplaceAll(s, Neo4jCSVArrayDelimiter, "\uFFFD") }
	js := func(v any) string { return one(graph.JSONText(v)) }
	files := map[string][][]string{}
	files["entities.csv"] = append(files["entities.csv"], []string{"id:ID(Entity)", ":LABEL", "kind", "name", "names:string[]", "aliases:string[]", "description", "country", "sources:string[]", "external_ids", "attributes", "roles:string[]", "alias_sources", "tlp", "datasets:string[]"})
	for _, n := range g.Nodes {
		files["entities.csv"] = append(files["entities.csv"], []string{
			one(n.ID), "Entity" + Neo4jCSVArrayDelimiter + n.Kind.Label(), string(n.Kind), one(n.Name), arr(n.Names()), arr(n.Aliases),
			one(n.Description), one(n.Country), arr(n.Sources), js(n.ExternalIDs), js(n.Attributes), arr(roleNames(n.Roles)), js(n.AliasSources), string(n.TLP), arr(n.Datasets),
		})
	}
	files["sources.csv"] = append(files["sources.csv"], []string{"id:ID(Source)", ":LABEL", "publisher", "title", "date", "url", "description", "tlp", "datasets:string[]"})
	for _, s := range g.Sources {
		files["sources.csv"] = append(files["sources.csv"], []string{one(s.ID), "Source", one(s.Publisher), one(s.Title), one(s.Date), one(s.URL), one(s.Description), string(s.TLP), arr(s.Datasets)})
	}
	files["relationships.csv"] = append(files["relationships.csv"], []string{":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "confidence", "confidence_rank:int", "stix_confidence:int", "sources:string[]", "start", "end", "description", "via:string[]", "claims", "tlp", "attributes", "citations", "datasets:string[]"})
	for _, r := range g.Relationships {
		files["relationships.csv"] = append(files["relationships.csv"], []string{
			one(r.From), one(r.To), r.Type, string(r.Confidence), fmt.Sprint(r.Confidence.Rank()), fmt.Sprint(r.Confidence.STIX()),
			arr(r.Sources), one(r.Start), one(r.End), one(r.Description), arr(r.Via), js(r.Claims), string(r.TLP), js(r.Attributes), js(r.Citations), arr(r.Datasets),
		})
	}
	for _, name := range Neo4jCSVFiles {
		if err := writeCSVFile(filepath.Join(dir, name), files[name]); err != nil {
			return err
		}
	}
	return nil
}

func writeCSVFile(path string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write CSV export: %w", err)
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// roleNames are an entity's roles as text.
func roleNames(rs []graph.Kind) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}
