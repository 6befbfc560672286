package neo4jstore

import (
	"context"
	"fmt"
	"testing"

	"github.com/aptgraph/aptgraph/graph"
	"github.com/aptgraph/aptgraph/store"
)

// BenchmarkLoadBatchSize loads 5,000 entities and 10,000 relationships
// into an empty database at several batch sizes; it is how
// DefaultBatchSize was chosen (README, "Neo4j"). Run with
//
//	go test -run '^$' -bench LoadBatchSize -benchtime 1x ./store/neo4jstore
func BenchmarkLoadBatchSize(b *testing.B) {
	ds := bigDataset(5000)
	for _, size := range []int{100, 500, 1000, 2000, 5000, 10000} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			uri := env.Require(b)
			ctx := context.Background()
			s, err := Open(ctx, Config{URI: uri})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				if _, err := s.Run(ctx, "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS", nil, true); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := s.Load(ctx, []*graph.Dataset{ds}, store.LoadOptions{BatchSize: size}); err != nil {
					b.Fatal(err)
				}
			}
			rows := float64(len(ds.Entities) + len(ds.Relationships))
			b.ReportMetric(rows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
