package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is everything one benchreport run measured: the per-stage rows
// and the end-to-end runs. It is what benchreport prints and writes as JSON.
type Report struct {
	Time      time.Time `json:"time"`
	GoVersion string    `json:"go_version"`
	NumCPU    int       `json:"num_cpu"`
	// Stages has one row per stage measurement.
	Stages []StageRow `json:"stages"`
	// E2E has the load runs: throughput, fixed rate, prose.
	E2E []*E2EResult `json:"e2e"`
	// ProseRatio is our end-to-end articles/s over prose's in the same
	// run; ExtractRatio the same for extraction alone on one core.
	ProseRatio   float64 `json:"prose_ratio,omitempty"`
	ExtractRatio float64 `json:"extract_ratio,omitempty"`
	// Errors lists measurements that failed; the others are still reported.
	Errors []string `json:"errors,omitempty"`
}

// NewReport returns an empty report stamped with now and this machine.
func NewReport(now time.Time) *Report {
	return &Report{Time: now.UTC(), GoVersion: runtime.Version(), NumCPU: runtime.NumCPU()}
}

// Ratios fills ProseRatio and ExtractRatio from the rows and runs present.
func (r *Report) Ratios() {
	var ours, prose float64
	for _, e := range r.E2E {
		if e.Rate > 0 {
			continue
		}
		switch e.Extractor {
		case ExtractorNewswire:
			ours = e.ArticlesPerSec
		case ExtractorProse:
			prose = e.ArticlesPerSec
		}
	}
	if ours > 0 && prose > 0 {
		r.ProseRatio = ours / prose
	}
	ours, prose = 0, 0
	for _, s := range r.Stages {
		switch s.Stage {
		case "extract (" + ExtractorNewswire + ")":
			ours = s.PerSecCore
		case "extract (" + ExtractorProse + ")":
			prose = s.PerSecCore
		}
	}
	if ours > 0 && prose > 0 {
		r.ExtractRatio = ours / prose
	}
}

// Format writes the report as one plain-text table: the stages, then the
// end-to-end runs, then the ratios and errors.
func (r *Report) Format(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "newswire benchmarks, %s, %s, %d CPUs\n\n", r.Time.Format(time.RFC3339), r.GoVersion, r.NumCPU)
	fmt.Fprintln(tw, "STAGE\tITEM\tITEMS/S/CORE\tALLOCS/ITEM\tKB/ITEM\tP50\tP99\tSOURCE")
	for _, s := range r.Stages {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Stage, s.Unit, num(s.PerSecCore), allocs(s.AllocsPerItem),
			kb(s.BytesPerItem), dur(s.P50), dur(s.P99), s.Source)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "END TO END\tEXTRACTOR\tARTICLES\tARTICLES/S\tSEARCHABLE P50\tP99\tALERT P50\tP99\tALERTS\tMEM HWM\tLIVE HEAP 25/50/75/100%")
	for _, e := range r.E2E {
		heap := make([]string, len(e.Heap))
		for i, h := range e.Heap {
			heap[i] = mib(h)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", e.Mode, e.Extractor, e.Articles, num(e.ArticlesPerSec),
			dur(e.Searchable.P50), dur(e.Searchable.P99), dur(e.Alert.P50), dur(e.Alert.P99), e.Alerts, mib(e.HWM), strings.Join(heap, " "))
	}
	for _, e := range r.E2E {
		fmt.Fprintf(tw, "\n%s %s, per stage\tARTICLES\tARTICLES/S/BUSY WORKER\tHANDLE P50\tP99\n", e.Mode, e.Extractor)
		for _, s := range e.Stages {
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\n", s.Stage, s.Items, num(s.PerCore()), dur(s.Handle.P50), dur(s.Handle.P99))
		}
	}
	fmt.Fprintln(tw)
	if r.ProseRatio > 0 {
		fmt.Fprintf(tw, "newswire / prose, end to end:\t%.1fx\n", r.ProseRatio)
	}
	if r.ExtractRatio > 0 {
		fmt.Fprintf(tw, "newswire / prose, extraction on one core:\t%.1fx\n", r.ExtractRatio)
	}
	for _, e := range r.Errors {
		fmt.Fprintf(tw, "error:\t%s\n", e)
	}
	return tw.Flush()
}

// WriteJSON writes the report to dir/bench-<time>.json and dir/latest.json
// and returns the first path.
func (r *Report) WriteJSON(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("bench output %s: %w", dir, err)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encode report: %w", err)
	}
	b = append(b, '\n')
	path := filepath.Join(dir, "bench-"+r.Time.Format("20060102T150405Z")+".json")
	for _, p := range []string{path, filepath.Join(dir, "latest.json")} {
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return "", fmt.Errorf("write report: %w", err)
		}
	}
	return path, nil
}

// num formats a rate with three significant figures.
func num(v float64) string {
	switch {
	case v <= 0:
		return "-"
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

func allocs(v float64) string {
	switch {
	case v < 0:
		return "-"
	case v == 0:
		return "0"
	}
	return num(v)
}

func kb(v float64) string { return allocs(v / 1024) }

func dur(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Millisecond:
		return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
}

func mib(b uint64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0fMiB", float64(b)/(1<<20))
}
