package bleve_test

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/index"
	"github.com/newswire/newswire/pipeline/index/bleve"
	"github.com/newswire/newswire/pipeline/index/indextest"
)

// dirSize is the bytes of the files under dir.
func dirSize(tb testing.TB, dir string) int64 {
	tb.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// BenchmarkIndexDisk writes generated articles into a fresh on-disk index,
// in calls of 500 (the index worker's batch), and reports documents per
// second and the index's size per article after closing.
func BenchmarkIndexDisk(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			docs := indextest.Generate(n, 1)
			ctx := context.Background()
			var size int64
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				dir := b.TempDir() + "/idx"
				idx, err := bleve.Open(dir, bleve.Options{})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				for start := 0; start < len(docs); start += 500 {
					if _, err := idx.Index(ctx, docs[start:min(start+500, len(docs))]); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				if err := idx.Close(ctx); err != nil {
					b.Fatal(err)
				}
				size = dirSize(b, dir)
				b.StartTimer()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
			b.ReportMetric(float64(size)/float64(n), "bytes/article")
		})
	}
}

// benchQueries are analyst-like queries over the generated articles.
var benchQueries = []struct{ name, q string }{
	{"all", ""},
	{"word", "checkpoint"},
	{"or", "hostages OR kidnapped"},
	{"phrase", `"car bomb"`},
	{"group", "group:ISKP"},
	{"place-within-date", "place:Europe published:2024-03"},
	{"mixed", `place:Asia "air strike" -event:warning`},
}

// BenchmarkSearch20k builds an on-disk index of 20,000 generated articles
// (only here, so plain go test stays fast), then runs each query with
// facets and highlighting, relevance order, and reports p50 and p99
// latency. The sub-benchmark size reports the index size per article.
func BenchmarkSearch20k(b *testing.B) {
	const n = 20000
	ctx := context.Background()
	dir := b.TempDir() + "/idx"
	idx, err := bleve.Open(dir, bleve.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close(ctx)
	docs := indextest.Generate(n, 1)
	begin := time.Now()
	for start := 0; start < n; start += 500 {
		if _, err := idx.Index(ctx, docs[start:min(start+500, n)]); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("indexed %d articles in %v (%.0f docs/s)", n, time.Since(begin).Round(time.Millisecond), float64(n)/time.Since(begin).Seconds())
	docs = nil
	b.Run("size", func(b *testing.B) {
		for b.Loop() {
		}
		b.ReportMetric(float64(dirSize(b, dir))/n, "bytes/article")
	})
	for _, q := range benchQueries {
		for _, sort := range []index.Sort{index.SortRelevance, index.SortDate} {
			b.Run("q="+q.name+"/sort="+string(sort), func(b *testing.B) {
				req := index.Request{Query: q.q, Sort: sort, Facets: true, Highlight: true, Resolver: indextest.Resolver{}}
				lat := make([]time.Duration, 0, 1024)
				var total int
				b.ReportAllocs()
				for b.Loop() {
					t0 := time.Now()
					res, err := idx.Search(ctx, req)
					if err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(t0))
					total = res.Total
				}
				reportPercentiles(b, lat)
				b.ReportMetric(float64(total), "hits")
			})
		}
	}
}

// reportPercentiles reports the p50 and p99 of lat in milliseconds.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	at := func(p float64) float64 {
		i := min(int(p*float64(len(lat))), len(lat)-1)
		return float64(lat[i]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
