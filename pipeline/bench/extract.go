package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/pipeline/extract"
)

// StageRow is one row of the per-stage table.
type StageRow struct {
	// Stage names what was measured ("extract (newswire)", "index bleve").
	Stage string `json:"stage"`
	// Source says where the figure comes from: a Go benchmark
	// ("go test ./extractors/ner -bench EntityStage/fixture") or "e2e".
	Source string `json:"source"`
	// Unit is what an item is (article, token, page, rule, query).
	Unit string `json:"unit"`
	// PerSecCore is items per second on one core (one goroutine).
	PerSecCore float64 `json:"per_sec_core"`
	// AllocsPerItem and BytesPerItem are heap allocations per item; -1 when
	// not measured.
	AllocsPerItem float64 `json:"allocs_per_item"`
	BytesPerItem  float64 `json:"bytes_per_item"`
	// P50 and P99 are per-item (or per-call) latencies; zero when not
	// measured.
	P50 time.Duration `json:"p50_ns"`
	P99 time.Duration `json:"p99_ns"`
}

// BenchExtract measures one extractor on one core over the first n
// generated articles (default 50), with testing.Benchmark: articles per
// second, allocations per article and per-article latency percentiles.
func BenchExtract(ctx context.Context, extractor string, n int) (StageRow, error) {
	if n <= 0 {
		n = 50
	}
	arts := Generate(n, 7)
	var run func(i int) error
	switch extractor {
	case ExtractorNewswire:
		p, err := extractors.NewPipeline(extractors.Config{})
		if err != nil {
			return StageRow{}, fmt.Errorf("extractors: %w", err)
		}
		run = func(i int) error { _, err := extract.Enrich(ctx, p, arts[i%n]); return err }
	case ExtractorProse:
		run = func(i int) error { _, err := ProseEnrich(arts[i%n]); return err }
	default:
		return StageRow{}, fmt.Errorf("bench: unknown extractor %q", extractor)
	}
	// Warm up (models load lazily) outside the measurement.
	if err := run(0); err != nil {
		return StageRow{}, err
	}
	var lat []time.Duration
	var runErr error
	res := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		lat = lat[:0]
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			if err := run(i); err != nil {
				runErr = err
				b.FailNow()
			}
			lat = append(lat, time.Since(t0))
		}
	})
	if runErr != nil {
		return StageRow{}, runErr
	}
	if res.N == 0 {
		return StageRow{}, fmt.Errorf("bench: extract %s did not run", extractor)
	}
	l := summarize(lat)
	return StageRow{
		Stage: "extract (" + extractor + ")", Source: "testing.Benchmark, generated articles", Unit: "article",
		PerSecCore:    float64(res.N) / res.T.Seconds(),
		AllocsPerItem: float64(res.AllocsPerOp()), BytesPerItem: float64(res.AllocedBytesPerOp()),
		P50: l.P50, P99: l.P99,
	}, nil
}
