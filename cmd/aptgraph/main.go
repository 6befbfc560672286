// Command aptgraph keeps who-did-what-to-whom of cyber-threat intelligence
// in a graph, with every claim's source and confidence, and draws the
// paths between actors and victims as diagrams for reports.
package main

import "os"

// version is set at build time with -ldflags "-X main.version=…"; it is
// the only package-level state besides what main wires.
var version = ""

func main() {
	os.Exit(newApp(os.Stdin, os.Stdout, os.Stderr, os.Getenv).run(os.Args[1:]))
}
