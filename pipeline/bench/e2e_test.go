package bench

import (
	"context"
	"testing"
	"time"
)

// TestRunE2E runs a small load through every stage: each article must be
// indexed and evaluated, with latencies and memory recorded. No timing is
// asserted; the machine is shared.
func TestRunE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS, Bleve and the extractors")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	tests := []struct {
		name string
		cfg  E2EConfig
	}{
		{"newswire throughput", E2EConfig{N: 12, Rules: 100}},
		{"prose at a fixed rate", E2EConfig{N: 3, Rate: 50, Extractor: ExtractorProse, Rules: 5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Dir = t.TempDir()
			res, err := RunE2E(ctx, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if res.Searchable.Count != tc.cfg.N || res.ArticlesPerSec <= 0 || res.Searchable.P99 <= 0 {
				t.Errorf("searchable %+v at %v/s, want %d articles", res.Searchable, res.ArticlesPerSec, tc.cfg.N)
			}
			if len(res.Stages) != 3 {
				t.Fatalf("stages %+v", res.Stages)
			}
			for _, s := range res.Stages {
				if s.Items != tc.cfg.N {
					t.Errorf("stage %s settled %d of %d", s.Stage, s.Items, tc.cfg.N)
				}
			}
			if len(res.Heap) != 4 || res.Words < 400 {
				t.Errorf("heap samples %v, words %d", res.Heap, res.Words)
			}
		})
	}
	if _, err := RunE2E(ctx, E2EConfig{N: 1, Extractor: "nope", Dir: t.TempDir()}); err == nil {
		t.Error("unknown extractor accepted")
	}
}
