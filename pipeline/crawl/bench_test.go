package crawl

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/bus/bustest"
)

// benchSite serves a front page linking to sections of 100 articles each.
func benchSite(b *testing.B, articles int) *httptest.Server {
	sections := (articles + 99) / 100
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		var sb strings.Builder
		sb.WriteString(`<html><head><title>Bench Times</title></head><body><ul>`)
		for i := range sections {
			fmt.Fprintf(&sb, `<li><a href="/section/%d">Section %d</a></li>`, i, i)
		}
		sb.WriteString(`</ul></body></html>`)
		io.WriteString(w, sb.String())
	})
	mux.HandleFunc("/section/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		var sb strings.Builder
		sb.WriteString(`<html><head><title>Section</title></head><body><ul>`)
		for j := n * 100; j < min((n+1)*100, articles); j++ {
			fmt.Fprintf(&sb, `<li><a href="/news/2024/05/02/story-number-%d-about-the-harbour">Story %d</a></li>`, j, j)
		}
		sb.WriteString(`</ul></body></html>`)
		io.WriteString(w, sb.String())
	})
	mux.HandleFunc("/news/2024/05/02/{slug}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, storyPage("utf-8", "Story "+r.PathValue("slug"), "Town "+r.PathValue("slug")))
	})
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	return srv
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCrawl crawls a local site end to end (fetch, extract, classify,
// publish to an in-process JetStream) and reports pages per second and CPU
// time per page. Run with -benchtime 1x; the test server shares the CPU.
func BenchmarkCrawl(b *testing.B) {
	for _, bc := range []struct {
		n        int
		frontier bool
	}{{5000, false}, {5000, true}} {
		n := bc.n
		name := fmt.Sprintf("pages=%d,frontier=%v", n, bc.frontier)
		b.Run(name, func(b *testing.B) {
			srv := benchSite(b, n)
			b.ReportAllocs()
			var pages int64
			var wall, cpu time.Duration
			for range b.N {
				conn := bustest.NewTestConn(b)
				var f *Frontier
				if bc.frontier {
					// The shared frontier, seen-set, URL state and duplicate
					// index in JetStream, as `newswire crawl` runs by default.
					var err error
					if f, err = OpenFrontier(context.Background(), conn, FrontierOptions{Memory: true}); err != nil {
						b.Fatal(err)
					}
				}
				c, err := New(conn, Config{
					Sources:      []Source{{Name: "bench", StartURLs: []string{srv.URL + "/"}}},
					AllowPrivate: true, Once: true, Delay: -1, Parallelism: 8, Frontier: f,
				}, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
				if err != nil {
					b.Fatal(err)
				}
				c0, t0 := cpuTime(), time.Now()
				if err := c.Run(context.Background()); err != nil {
					b.Fatal(err)
				}
				wall += time.Since(t0)
				cpu += cpuTime() - c0
				st := c.Stats()
				if st.Published != int64(n) {
					b.Fatalf("published %d of %d: %+v", st.Published, n, st)
				}
				pages += st.Fetched
			}
			b.ReportMetric(float64(pages)/wall.Seconds(), "pages/s")
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(pages), "cpu-ms/page")
		})
	}
}
