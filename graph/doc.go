// Package graph holds aptgraph's domain: entities, relationships, sources,
// confidence levels, datasets, subgraphs, and the traversals (shortest
// paths, neighbourhoods, attribution chains) that the embedded store runs.
//
// It does no I/O and imports no driver or other aptgraph package, so that
// every store, loader and renderer speaks the same vocabulary and the
// algorithms can be tested on plain values.
package graph
