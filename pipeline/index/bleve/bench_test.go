package bleve_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/index"
	"github.com/newswire/newswire/pipeline/index/bleve"
	"github.com/newswire/newswire/pipeline/index/indextest"
)

// synthetic returns n articles derived from the fixtures with distinct IDs
// and dates.
func synthetic(n int) []*article.Enriched {
	out := make([]*article.Enriched, 0, n)
	for i := 0; len(out) < n; i++ {
		for _, a := range indextest.Articles() {
			a.ID = fmt.Sprintf("%s-%d", a.ID, i)
			p := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(len(out)) * time.Hour)
			a.Published = &p
			out = append(out, a)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

func BenchmarkIndex(b *testing.B) {
	docs := synthetic(1000)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		idx, err := bleve.Open("", bleve.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := idx.Index(ctx, docs); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		idx.Close(ctx)
		b.StartTimer()
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkSearchFacets(b *testing.B) {
	ctx := context.Background()
	idx, err := bleve.Open("", bleve.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close(ctx)
	if _, err := idx.Index(ctx, synthetic(5000)); err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"", "market OR police", `group:ISKP "car bomb"`, "place:Europe published:2023"} {
		b.Run("q="+q, func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := idx.Search(ctx, index.Request{Query: q, Facets: true, Highlight: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
