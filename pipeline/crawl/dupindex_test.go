package crawl

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
)

// copyStory is an article page of our own words; footer is its last
// paragraph, which syndicated copies change.
func copyStory(footer string) string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Wildfire forces evacuation of hill villages</title>
<meta property="og:type" content="article">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Wildfire forces evacuation of hill villages","datePublished":"2024-07-10T08:00:00Z"}</script>
</head><body><article><h1>Wildfire forces evacuation of hill villages</h1>
<p>Firefighters battled a wildfire above the villages of Oakridge and Stonefield through Wednesday night, and about two thousand residents were moved to schools and sports halls in the valley below.</p>
<p>The regional fire service said strong winds had pushed the flames across two ridges within hours, and that aircraft would resume water drops at first light if the smoke allowed them to fly.</p>
<p>Several farm buildings were destroyed, according to the local council, but no injuries had been reported by the morning. Roads into the hills remain closed to all traffic except emergency vehicles.</p>
<p>` + footer + `</p>
</article></body></html>`
}

// mirrorSite serves the story at the given paths, each with its footer.
func mirrorSite(t *testing.T, pages map[string]string) (*httptest.Server, func() map[string]int) {
	var mu sync.Mutex
	hits := map[string]int{}
	mux := http.NewServeMux()
	var links strings.Builder
	for p, footer := range pages {
		fmt.Fprintf(&links, `<li><a href="%s">story</a></li>`, p)
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, copyStory(footer))
		})
	}
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<html><head><title>Front</title></head><body><ul>`+links.String()+`</ul></body></html>`)
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, func() map[string]int {
		mu.Lock()
		defer mu.Unlock()
		out := map[string]int{}
		for k, v := range hits {
			out[k] = v
		}
		return out
	}
}

// TestDuplicatesSharedAcrossWorkers runs two workers on one frontier over
// two sites that serve one story under several URLs (the same text twice,
// and a near copy with a changed footer), then a third worker, started
// later, over a third site with another copy. Every copy is published
// linked to one original, whichever worker fetched it.
func TestDuplicatesSharedAcrossWorkers(t *testing.T) {
	const footer = "Reporting by the Hill Country Gazette newsroom."
	s1, hits1 := mirrorSite(t, map[string]string{
		"/news/2024/07/10/wildfire-forces-evacuation-of-hill-villages": footer,
		"/amp/wildfire-forces-evacuation-of-hill-villages":             footer,
	})
	s2, hits2 := mirrorSite(t, map[string]string{
		"/world/wildfire-forces-evacuation-of-hill-villages-abroad": footer,
		"/wire/wildfire-villages-evacuated-syndicated-copy":         "This story was first published by our partners and is shared under licence.",
	})
	conn := bustest.NewTestConn(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sources := func(srvs ...*httptest.Server) []Source {
		var out []Source
		for i, s := range srvs {
			out = append(out, Source{Name: fmt.Sprintf("site%d", i+1), StartURLs: []string{s.URL + "/"}})
		}
		return out
	}
	worker := func(name string, srcs []Source) *Crawler {
		f, err := OpenFrontier(ctx, conn, FrontierOptions{Memory: true, Worker: name, Partitions: 8, LeaseTTL: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		c, err := New(conn, Config{
			Sources: srcs, UserAgent: "newswire-test/1.0 (+https://example.org/bot)", AllowPrivate: true,
			Once: true, Delay: -1, RequestTimeout: 5 * time.Second, RetryBase: 10 * time.Millisecond, Frontier: f,
		}, testLogger(t).With("worker", name), prometheus.NewRegistry())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	var wg sync.WaitGroup
	for _, c := range []*Crawler{worker("a", sources(s1, s2)), worker("b", sources(s1, s2))} {
		wg.Go(func() {
			if err := c.Run(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for _, h := range []map[string]int{hits1(), hits2()} {
		for p, n := range h {
			if n != 1 && p != "/robots.txt" {
				t.Errorf("%s fetched %d times", p, n)
			}
		}
	}

	check := func(t *testing.T, want int) {
		t.Helper()
		var originals []string
		links := map[string]string{}
		for _, m := range readStream(t, conn, bus.StreamRaw) {
			a, err := article.DecodeArticle(m.Data)
			if err != nil {
				t.Fatal(err)
			}
			if a.DuplicateOf == "" {
				originals = append(originals, a.URL)
			}
			links[a.ID] = a.DuplicateOf
		}
		if len(links) != want {
			t.Fatalf("%d articles published, want %d", len(links), want)
		}
		if len(originals) != 1 {
			t.Fatalf("%d originals among copies of one story: %v", len(originals), originals)
		}
		for id, orig := range links {
			if orig != "" && links[orig] != "" {
				t.Errorf("%s links to %s, itself a copy", id, orig)
			}
		}
	}
	t.Run("two workers", func(t *testing.T) { check(t, 4) })

	t.Run("worker started later", func(t *testing.T) {
		s3, _ := mirrorSite(t, map[string]string{
			"/local/hill-villages-evacuated": "Additional reporting by our regional desk and news agencies.",
		})
		if err := worker("c", sources(s3)).Run(ctx); err != nil {
			t.Fatal(err)
		}
		check(t, 5)
	})
}
