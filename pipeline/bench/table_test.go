package bench

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const benchText = `goos: linux
goarch: amd64
pkg: github.com/newswire/newswire/pipeline/index/bleve
BenchmarkIndexDisk/docs=1000         	       1	1843000000 ns/op	       542.6 docs/s	      9123 bytes/article	812345678 B/op	 9000000 allocs/op
BenchmarkEntityStage/fixture-2   	     100	  10000000 ns/op	  90000 tokens/s	   5000 B/op	  250 allocs/op
BenchmarkLatency 	     200	   3000000 ns/op	 2.500 p50-ms	 9.000 p99-ms	 1000 B/op	 10 allocs/op
PASS
`

func TestParseBenchOutput(t *testing.T) {
	got := ParseBenchOutput(benchText)
	if len(got) != 3 {
		t.Fatalf("got %d results, want 3: %+v", len(got), got)
	}
	tests := []struct {
		name   string
		i      int
		want   string
		metric string
		value  float64
	}{
		{"sub-benchmark", 0, "BenchmarkIndexDisk/docs=1000", "docs/s", 542.6},
		{"procs suffix dropped", 1, "BenchmarkEntityStage/fixture", "tokens/s", 90000},
		{"custom percentiles", 2, "BenchmarkLatency", "p99-ms", 9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := got[tc.i]
			if r.Name != tc.want || r.Metrics[tc.metric] != tc.value {
				t.Errorf("got %s %v, want %s %s=%v", r.Name, r.Metrics, tc.want, tc.metric, tc.value)
			}
		})
	}
}

func TestGoBenchRow(t *testing.T) {
	res := ParseBenchOutput(benchText)
	tests := []struct {
		name       string
		gb         GoBench
		r          GoBenchResult
		perSec     float64
		allocsItem float64
		p99        time.Duration
	}{
		{"rate metric divides allocs", GoBench{Stage: "index", RateMetric: "docs/s"}, res[0], 542.6, 9000000 / (542.6 * 1.843), 0},
		{"one op one item", GoBench{Stage: "latency"}, res[2], 1e9 / 3e6, 10, 9 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			row := tc.gb.Row(tc.r)
			if !near(row.PerSecCore, tc.perSec) || !near(row.AllocsPerItem, tc.allocsItem) || row.P99 != tc.p99 {
				t.Errorf("row %+v, want %v/s, %v allocs, p99 %v", row, tc.perSec, tc.allocsItem, tc.p99)
			}
		})
	}
}

func near(a, b float64) bool { return a >= b*0.999 && a <= b*1.001 }

func sampleReport() *Report {
	r := NewReport(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	r.Stages = []StageRow{
		{Stage: "extract (newswire)", Unit: "article", PerSecCore: 90, AllocsPerItem: 20000, BytesPerItem: 1 << 20, P50: 9 * time.Millisecond, P99: 40 * time.Millisecond, Source: "testing.Benchmark"},
		{Stage: "extract (prose)", Unit: "article", PerSecCore: 3, AllocsPerItem: -1, BytesPerItem: -1},
	}
	r.E2E = []*E2EResult{
		{Mode: "throughput", Extractor: ExtractorNewswire, Articles: 20000, ArticlesPerSec: 80, Searchable: Latency{P50: time.Second, P99: 2 * time.Second},
			Stages: []StageStat{{Stage: "extract", Items: 20000, Busy: 250 * time.Second}}, HWM: 300 << 20, Heap: []uint64{100 << 20, 101 << 20}},
		{Mode: "fixed 30/s", Extractor: ExtractorNewswire, Articles: 1800, Rate: 30, ArticlesPerSec: 29.9},
		{Mode: "throughput", Extractor: ExtractorProse, Articles: 300, ArticlesPerSec: 5},
	}
	r.Ratios()
	return r
}

func TestReportFormat(t *testing.T) {
	r := sampleReport()
	if r.ProseRatio != 16 || r.ExtractRatio != 30 {
		t.Fatalf("ratios %v %v, want 16 and 30", r.ProseRatio, r.ExtractRatio)
	}
	var buf bytes.Buffer
	if err := r.Format(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"ITEMS/S/CORE", "ALLOCS/ITEM", "extract (newswire)", "20000", "9.0ms", "1.00s", "2.00s", "300MiB",
		"100MiB 101MiB", "fixed 30/s", "16.0x", "30.0x", "ARTICLES/S/BUSY WORKER", "  extract",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	// Unmeasured figures print as "-", not as zero or negative numbers.
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "extract (prose)") && (!strings.Contains(line, " - ") || strings.Contains(line, "-1")) {
			t.Errorf("unmeasured figures not shown as '-': %q", line)
		}
	}
}

func TestReportWriteJSON(t *testing.T) {
	r := sampleReport()
	dir := filepath.Join(t.TempDir(), "bench-out")
	path, err := r.WriteJSON(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, filepath.Join(dir, "latest.json")} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var back Report
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if len(back.E2E) != 3 || back.E2E[0].Searchable.P99 != 2*time.Second || back.Stages[0].PerSecCore != 90 {
			t.Errorf("%s does not round-trip: %+v", p, back)
		}
	}
}

func TestSummarize(t *testing.T) {
	var lat []time.Duration
	for i := 100; i >= 1; i-- {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	got := summarize(lat)
	if got.Count != 100 || got.P50 != 51*time.Millisecond || got.P99 != 100*time.Millisecond || got.Max != 100*time.Millisecond {
		t.Errorf("summarize = %+v", got)
	}
	if lat[0] != 100*time.Millisecond {
		t.Error("summarize sorted its input")
	}
	if (summarize(nil) != Latency{}) {
		t.Error("empty input gives non-zero summary")
	}
}
