package render

import "github.com/aptgraph/aptgraph/graph"

// kindStyle is how a kind is drawn. The colours are the Okabe–Ito palette,
// which colour-blind readers can tell apart, and every kind also has its
// own shape, so that colour is never the only cue.
type kindStyle struct {
	Shape     string
	Fill      string
	FontColor string
}

var kindStyles = map[graph.Kind]kindStyle{
	graph.KindOrganization: {"box", "#E69F00", "#000000"},
	graph.KindUnit:         {"component", "#F0E442", "#000000"},
	graph.KindPerson:       {"ellipse", "#CC79A7", "#000000"},
	graph.KindPersona:      {"egg", "#E7C1D8", "#000000"},
	graph.KindGroup:        {"hexagon", "#D55E00", "#FFFFFF"},
	graph.KindCampaign:     {"parallelogram", "#F2B8A0", "#000000"},
	graph.KindServer:       {"cylinder", "#009E73", "#FFFFFF"},
	graph.KindIdentity:     {"note", "#BBBBBB", "#000000"},
	graph.KindVictim:       {"octagon", "#56B4E9", "#000000"},
	graph.KindLocation:     {"invhouse", "#CDEBDD", "#000000"},
	graph.KindMalware:      {"tab", "#0072B2", "#FFFFFF"},
	graph.KindTool:         {"folder", "#A6CBE3", "#000000"},
	graph.KindOther:        {"box3d", "#EEEEEE", "#000000"},
}

func styleOf(k graph.Kind) kindStyle {
	if s, ok := kindStyles[k]; ok {
		return s
	}
	return kindStyle{"box", "#FFFFFF", "#000000"}
}

// edgeStyle is how a confidence level is drawn: the surer, the heavier.
type edgeStyle struct {
	Style    string
	PenWidth string
	Words    string
}

var edgeStyles = map[graph.Confidence]edgeStyle{
	graph.Confirmed: {"bold", "2.5", "bold line"},
	graph.Reported:  {"solid", "1.2", "solid line"},
	graph.Alleged:   {"dashed", "1.2", "dashed line"},
	graph.Suspected: {"dotted", "1.4", "dotted line"},
}

func edgeStyleOf(c graph.Confidence) edgeStyle {
	if s, ok := edgeStyles[c]; ok {
		return s
	}
	return edgeStyle{"solid", "1", "line"}
}

// KindColor is the fill colour of a kind in diagrams (and in the Neo4j
// Browser style file queries/aptgraph.grass).
func KindColor(k graph.Kind) string { return styleOf(k).Fill }
