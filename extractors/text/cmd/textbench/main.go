// Command textbench measures article text extraction (text.FromHTML) on the
// article-extraction benchmark with the benchmark's own metric: \w+ tokens,
// multisets of 4-gram shingles, per-page TP/FP/FN divided by TP+FP+FN, mean
// precision and recall over pages, F1 from the means.
//
// Usage:
//
//	go run ./extractors/text/cmd/textbench -dir ../shared/eval/extraction-benchmark
package main

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/newswire/newswire/extractors/text"
	"github.com/newswire/newswire/extractors/text/internal/shingle"
)

func main() {
	dir := flag.String("dir", "../shared/eval/extraction-benchmark", "benchmark directory (ground-truth.json, html/)")
	workers := flag.Int("workers", 2, "pages extracted at once")
	worst := flag.Int("worst", 0, "print the N pages with the lowest F1")
	flag.Parse()
	if err := run(*dir, *workers, *worst); err != nil {
		fmt.Fprintln(os.Stderr, "textbench:", err)
		os.Exit(1)
	}
}

type truth struct {
	ArticleBody string `json:"articleBody"`
	URL         string `json:"url"`
}

func run(dir string, workers, worst int) error {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return err
	}
	var gt map[string]truth
	if err := json.Unmarshal(raw, &gt); err != nil {
		return fmt.Errorf("ground truth: %w", err)
	}
	ids := make([]string, 0, len(gt))
	for id := range gt {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	scores := make([]shingle.Score, len(ids))
	errs := make([]error, len(ids))
	start := time.Now()
	var wg sync.WaitGroup
	jobs := make(chan int)
	for range max(workers, 1) {
		wg.Go(func() {
			for i := range jobs {
				page, err := readGz(filepath.Join(dir, "html", ids[i]+".html.gz"))
				if err != nil {
					errs[i] = err
					continue
				}
				got := ""
				a, err := text.FromHTML(context.Background(), page, gt[ids[i]].URL, time.Now())
				if err == nil {
					got = a.Text
				} else {
					errs[i] = err
				}
				scores[i] = shingle.Compare(got, gt[ids[i]].ArticleBody)
			}
		})
	}
	for i := range ids {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	failed := 0
	for i, err := range errs {
		if err != nil {
			failed++
			fmt.Fprintf(os.Stderr, "%s: %v\n", ids[i], err)
		}
	}
	s := shingle.Summarize(scores)
	fmt.Printf("pages=%d failed=%d precision=%.3f recall=%.3f f1=%.3f accuracy=%.3f elapsed=%s pages/s=%.1f\n",
		len(ids), failed, s.Precision, s.Recall, s.F1, s.Accuracy, elapsed.Round(time.Millisecond),
		float64(len(ids))/elapsed.Seconds())
	if worst > 0 {
		order := make([]int, len(ids))
		for i := range order {
			order[i] = i
		}
		sort.Slice(order, func(a, b int) bool { return scores[order[a]].F1() < scores[order[b]].F1() })
		for _, i := range order[:min(worst, len(order))] {
			sc := scores[i]
			fmt.Printf("%s f1=%.3f p=%.3f r=%.3f %s\n", ids[i][:12], sc.F1(), sc.Precision(), sc.Recall(), gt[ids[i]].URL)
		}
	}
	return nil
}

func readGz(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return io.ReadAll(zr)
}
