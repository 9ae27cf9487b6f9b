package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// GoBench names one Go benchmark of another package to run and how to read
// it as a table row.
type GoBench struct {
	// Stage is the row's name.
	Stage string
	// Pkg is the package path relative to the module root ("./extractors/ner").
	Pkg string
	// Bench is the -bench pattern; Benchtime the -benchtime ("2s", "1x").
	Bench, Benchtime string
	// Unit is what one item is. RateMetric, when set, is the benchmark's
	// custom metric giving items per second ("docs/s"); otherwise one op is
	// one item.
	Unit, RateMetric string
}

// DefaultGoBenches are the stage benchmarks benchreport runs: extraction's
// parts, Bleve indexing and search, the crawler and alert evaluation. With
// their benchtimes they take about three minutes on two cores, build
// included.
var DefaultGoBenches = []GoBench{
	{Stage: "nlp (sentences, tags)", Pkg: "./extractors/nlp", Bench: "^BenchmarkAnalyze$", Benchtime: "2s", Unit: "token", RateMetric: "tokens/s"},
	{Stage: "ner (entity stage)", Pkg: "./extractors/ner", Bench: "^BenchmarkEntityStage$/^fixture$", Benchtime: "2s", Unit: "token", RateMetric: "tokens/s"},
	{Stage: "events", Pkg: "./extractors/events", Bench: "^BenchmarkFind$", Benchtime: "2s", Unit: "event", RateMetric: "events/s"},
	{Stage: "index bleve (disk)", Pkg: "./pipeline/index/bleve", Bench: "^BenchmarkIndexDisk$", Benchtime: "1x", Unit: "doc", RateMetric: "docs/s"},
	{Stage: "crawl (local site)", Pkg: "./pipeline/crawl", Bench: "^BenchmarkCrawl$/frontier=false", Benchtime: "1x", Unit: "page", RateMetric: "pages/s"},
	{Stage: "alert evaluate", Pkg: "./pipeline/alert", Bench: "^BenchmarkEvaluate$/^rules=100$", Benchtime: "1s", Unit: "article x 100 rules"},
	{Stage: "alert publish latency", Pkg: "./pipeline/alert", Bench: "^BenchmarkLatency$", Benchtime: "200x", Unit: "article"},
}

// GoBenchResult is one benchmark line of `go test -bench` output.
type GoBenchResult struct {
	Name       string             `json:"name"`
	Iterations int64              `json:"iterations"`
	Metrics    map[string]float64 `json:"metrics"`
}

// RunGoBench runs one GoBench with `go test -run '^$' -bench ... -benchmem
// -json` in dir (the module root) on one CPU and returns a row per
// benchmark line.
func RunGoBench(ctx context.Context, dir string, gb GoBench) ([]StageRow, error) {
	args := []string{"test", "-run", "^$", "-bench", gb.Bench, "-benchmem", "-cpu", "1", "-json", "-count", "1", "-timeout", "20m"}
	if gb.Benchtime != "" {
		args = append(args, "-benchtime", gb.Benchtime)
	}
	args = append(args, gb.Pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	text := outputOf(out)
	if err != nil {
		return nil, fmt.Errorf("go %s: %w\n%s%s", strings.Join(args, " "), err, tail(text, 2000), tail(stderr.String(), 2000))
	}
	results := ParseBenchOutput(text)
	if len(results) == 0 {
		return nil, fmt.Errorf("go %s: no benchmark ran\n%s", strings.Join(args, " "), tail(text, 2000))
	}
	rows := make([]StageRow, 0, len(results))
	for _, r := range results {
		rows = append(rows, gb.Row(r))
	}
	return rows, nil
}

// Row turns one benchmark result into a table row.
func (gb GoBench) Row(r GoBenchResult) StageRow {
	row := StageRow{Stage: gb.Stage, Source: "go test " + gb.Pkg + " -bench " + r.Name, Unit: gb.Unit, AllocsPerItem: -1, BytesPerItem: -1}
	if sub := strings.SplitN(r.Name, "/", 2); len(sub) == 2 {
		row.Stage += " " + sub[1]
	}
	nsop := r.Metrics["ns/op"]
	items := 1.0
	if rate, ok := r.Metrics[gb.RateMetric]; ok && gb.RateMetric != "" && nsop > 0 {
		row.PerSecCore = rate
		items = rate * nsop / 1e9
	} else if nsop > 0 {
		row.PerSecCore = 1e9 / nsop
	}
	if a, ok := r.Metrics["allocs/op"]; ok && items > 0 {
		row.AllocsPerItem = a / items
	}
	if b, ok := r.Metrics["B/op"]; ok && items > 0 {
		row.BytesPerItem = b / items
	}
	if v, ok := r.Metrics["p50-ms"]; ok {
		row.P50 = time.Duration(v * float64(time.Millisecond))
	}
	if v, ok := r.Metrics["p99-ms"]; ok {
		row.P99 = time.Duration(v * float64(time.Millisecond))
	}
	return row
}

// outputOf joins the Output fields of `go test -json` events; lines that
// are not JSON events are kept as they are.
func outputOf(b []byte) string {
	var sb strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev struct{ Action, Output string }
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			sb.Write(sc.Bytes())
			sb.WriteByte('\n')
			continue
		}
		if ev.Action == "output" {
			sb.WriteString(ev.Output)
		}
	}
	return sb.String()
}

// ParseBenchOutput reads the result lines of `go test -bench` text output:
// "BenchmarkName-8  100  12345 ns/op  12 allocs/op  3.5 docs/s". The -N
// GOMAXPROCS suffix is dropped from names.
func ParseBenchOutput(text string) []GoBenchResult {
	var out []GoBenchResult
	for line := range strings.Lines(text) {
		fs := strings.Fields(line)
		if len(fs) < 4 || !strings.HasPrefix(fs[0], "Benchmark") {
			continue
		}
		n, err := strconv.ParseInt(fs[1], 10, 64)
		if err != nil {
			continue
		}
		r := GoBenchResult{Name: trimProcs(fs[0]), Iterations: n, Metrics: map[string]float64{}}
		for i := 2; i+1 < len(fs); i += 2 {
			v, err := strconv.ParseFloat(fs[i], 64)
			if err != nil {
				break
			}
			r.Metrics[fs[i+1]] = v
		}
		out = append(out, r)
	}
	return out
}

// trimProcs drops the -N GOMAXPROCS suffix of a benchmark name.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return name
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return name
	}
	return name[:i]
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
