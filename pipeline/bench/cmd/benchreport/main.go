// Command benchreport measures newswire's speed and prints one table: the
// Go benchmarks of the stages, extraction of generated articles by our
// extractors and by prose, and end-to-end load runs through embedded NATS
// JetStream and Bleve (throughput with N articles, a fixed 30 articles/s
// rate, each stage in its own process over loopback TCP, and prose as the
// extractor). It writes the table as JSON under -out.
//
//	go run ./pipeline/bench/cmd/benchreport -n 20000 -out bench-out
//
// BENCH_N sets the default of -n. Run it from the module root (go test is
// run there for the stage benchmarks).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/newswire/newswire/pipeline/bench"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

func run() error {
	defN := 20000
	if v := os.Getenv("BENCH_N"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return fmt.Errorf("BENCH_N=%q: want a positive number", v)
		}
		defN = n
	}
	n := flag.Int("n", defN, "articles in the throughput run (env BENCH_N)")
	out := flag.String("out", "bench-out", "folder for the JSON report")
	rate := flag.Float64("rate", 30, "articles per second in the fixed-rate run (0: skip)")
	rateFor := flag.Duration("rate-for", time.Minute, "duration of the fixed-rate run")
	proseN := flag.Int("prose-n", 300, "articles in the run with prose as the extractor (0: skip)")
	rules := flag.Int("rules", 100, "alert rules in the end-to-end runs")
	workers := flag.Int("workers", 0, "concurrency per stage (default: number of CPUs)")
	goBench := flag.Bool("go-bench", true, "run the Go benchmarks of the stages")
	splitN := flag.Int("split-n", 2000, "articles in the run with each stage in its own process over loopback (0: skip)")
	alertWorkers := flag.Int("alert-workers", 0, "concurrency of the alert stage (default: 4 x workers)")
	// A split run starts this program once per stage with these.
	role := flag.String("role", "", "internal: run one stage of a split run (extract, index, alert)")
	natsURL := flag.String("nats", "", "internal: NATS URL of a split run")
	dir := flag.String("dir", "", "internal: data folder of a split run's stage")
	extractor := flag.String("extractor", bench.ExtractorNewswire, "internal: extractor of a split run's extract stage")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the end-to-end runs to this file")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *role != "" {
		return bench.RunRole(ctx, *role, *natsURL, *dir, bench.E2EConfig{
			Extractor: *extractor, Workers: *workers, AlertWorkers: *alertWorkers, Rules: *rules})
	}
	rep := bench.NewReport(time.Now())
	fail := func(what string, err error) {
		rep.Errors = append(rep.Errors, what+": "+err.Error())
		fmt.Fprintf(os.Stderr, "benchreport: %s: %v\n", what, err)
	}
	logf := func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
	}

	if *goBench {
		root, err := moduleRoot(ctx)
		if err != nil {
			return err
		}
		for _, gb := range bench.DefaultGoBenches {
			logf("go test %s -bench %s", gb.Pkg, gb.Bench)
			rows, err := bench.RunGoBench(ctx, root, gb)
			if err != nil {
				fail(gb.Stage, err)
				continue
			}
			rep.Stages = append(rep.Stages, rows...)
		}
	}
	for _, x := range []string{bench.ExtractorNewswire, bench.ExtractorProse} {
		logf("extraction on one core: %s", x)
		row, err := bench.BenchExtract(ctx, x, 50)
		if err != nil {
			fail("extract "+x, err)
			continue
		}
		rep.Stages = append(rep.Stages, row)
	}

	runs := []bench.E2EConfig{{N: *n, Extractor: bench.ExtractorNewswire}}
	if *rate > 0 {
		runs = append(runs, bench.E2EConfig{N: int(*rate * rateFor.Seconds()), Rate: *rate, Extractor: bench.ExtractorNewswire})
	}
	if *splitN > 0 {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("split run: %w", err)
		}
		runs = append(runs, bench.E2EConfig{N: *splitN, Extractor: bench.ExtractorNewswire, Split: true, Exe: exe})
	}
	if *proseN > 0 {
		runs = append(runs, bench.E2EConfig{N: *proseN, Extractor: bench.ExtractorProse})
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	for _, cfg := range runs {
		cfg.Rules, cfg.Workers, cfg.AlertWorkers, cfg.Progress = *rules, *workers, *alertWorkers, os.Stderr
		logf("end to end: %d articles, extractor %s, rate %v", cfg.N, cfg.Extractor, cfg.Rate)
		res, err := bench.RunE2E(ctx, cfg)
		if err != nil {
			fail(fmt.Sprintf("end to end %s rate %v", cfg.Extractor, cfg.Rate), err)
			if ctx.Err() != nil {
				break
			}
			continue
		}
		rep.E2E = append(rep.E2E, res)
	}
	rep.Ratios()
	if err := rep.Format(os.Stdout); err != nil {
		return err
	}
	path, err := rep.WriteJSON(*out)
	if err != nil {
		return err
	}
	fmt.Printf("\nwritten to %s\n", path)
	if len(rep.Errors) > 0 {
		return fmt.Errorf("%d measurements failed", len(rep.Errors))
	}
	return nil
}

// moduleRoot is the folder of the main module's go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	b, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(b))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside a Go module: run benchreport from the newswire checkout")
	}
	return filepath.Dir(mod), nil
}
