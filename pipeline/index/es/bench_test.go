package es_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/newswire/newswire/pipeline/index/es"
	"github.com/newswire/newswire/pipeline/index/indextest"
)

// BenchmarkIndex measures our own overhead of indexing into Elasticsearch:
// documents per second through the backend (ID look-up for rollover,
// encoding, esutil.BulkIndexer, per-item results) against the in-process
// contract server, which answers each bulk item without indexing. Calls
// carry 500 documents, the index worker's batch.
func BenchmarkIndex(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			docs := indextest.Generate(n, 1)
			ctx := context.Background()
			var bytes int64
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				f := &fakeES{}
				srv := httptest.NewServer(f)
				be, err := es.New(ctx, es.Config{Addresses: []string{srv.URL}})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				for start := 0; start < n; start += 500 {
					perDoc, err := be.Index(ctx, docs[start:min(start+500, n)])
					if err != nil {
						b.Fatal(err)
					}
					for _, e := range perDoc {
						if e != nil {
							b.Fatal(e)
						}
					}
				}
				b.StopTimer()
				for _, d := range f.indices["newswire-000001"] {
					bytes += int64(len(d.source))
				}
				srv.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
			b.ReportMetric(float64(bytes)/float64(n*b.N), "source-bytes/article")
		})
	}
}
