package crawl

import (
	"context"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
)

func frontierConfig(s *site, f *Frontier) Config {
	return Config{
		Sources:        []Source{{Name: "coastal", StartURLs: []string{s.srv.URL + "/"}, Recrawl: time.Second}},
		UserAgent:      "newswire-test/1.0 (+https://example.org/bot)",
		AllowPrivate:   true,
		Once:           true,
		Delay:          10 * time.Millisecond,
		MaxPageBytes:   1 << 20,
		RequestTimeout: 5 * time.Second,
		MaxAttempts:    3,
		RetryBase:      10 * time.Millisecond,
		RetryMax:       2 * time.Second,
		Frontier:       f,
	}
}

// TestFrontierTwoWorkers runs two crawl workers on one shared frontier and
// checks from the server's request log that no URL was fetched twice and
// that the host's delay held across workers.
func TestFrontierTwoWorkers(t *testing.T) {
	s := newSite(t)
	conn := bustest.NewTestConn(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var crawlers []*Crawler
	for _, w := range []string{"a", "b"} {
		f, err := OpenFrontier(ctx, conn, FrontierOptions{Memory: true, Worker: w, Partitions: 4, LeaseTTL: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		c, err := New(conn, frontierConfig(s, f), testLogger(t).With("worker", w), prometheus.NewRegistry())
		if err != nil {
			t.Fatal(err)
		}
		crawlers = append(crawlers, c)
	}
	var wg sync.WaitGroup
	for _, c := range crawlers {
		wg.Go(func() {
			if err := c.Run(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		t.Fatal("workers did not finish")
	}

	s.mu.Lock()
	for p, ts := range s.hits {
		want := 1
		switch p {
		case "/robots.txt":
			continue
		case "/busy/market-traders-count-the-cost-of-flooding":
			want = 2 // 429, then the page
		case "/broken":
			want = 3 // MaxAttempts
		}
		if len(ts) != want {
			t.Errorf("%s fetched %d times, want %d", p, len(ts), want)
		}
	}
	type hit struct {
		path string
		at   time.Time
	}
	var all []hit
	for p, ts := range s.hits {
		if p == "/robots.txt" {
			continue
		}
		for _, at := range ts {
			all = append(all, hit{p, at})
		}
	}
	s.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].at.Before(all[j].at) })
	for i := 1; i < len(all); i++ {
		if gap := all[i].at.Sub(all[i-1].at); gap < 100*time.Millisecond {
			t.Errorf("%s and %s only %s apart", all[i-1].path, all[i].path, gap)
		}
	}

	var published []string
	for _, m := range readStream(t, conn, bus.StreamRaw) {
		a, err := article.DecodeArticle(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		published = append(published, strings.TrimPrefix(a.CanonicalURL, s.srv.URL))
	}
	if len(published) != 5 {
		t.Fatalf("published %d articles, want 5: %v", len(published), published)
	}
	if n, err := crawlers[0].cfg.Frontier.Pending(ctx); err != nil || n != 0 {
		t.Fatalf("frontier still holds %d (%v)", n, err)
	}

	t.Run("next round is conditional", func(t *testing.T) {
		// A new round (Recrawl is 1s) re-seeds the front page, which is
		// fetched with If-None-Match and answers 304.
		checkFor(t, 3*time.Second, 50*time.Millisecond, func() bool {
			return time.Now().Truncate(time.Second).After(all[0].at.Truncate(time.Second))
		})
		before := s.count("/")
		if err := crawlers[1].Run(ctx); err != nil {
			t.Fatal(err)
		}
		if s.count("/") != before+1 {
			t.Fatalf("front page fetched %d times in the new round", s.count("/")-before)
		}
		s.mu.Lock()
		cond := s.conditional
		s.mu.Unlock()
		if cond == 0 {
			t.Fatal("no conditional request made")
		}
		if st := crawlers[1].Stats(); st.Published != 0 && len(readStream(t, conn, bus.StreamRaw)) != 5 {
			t.Fatalf("republished: %+v", st)
		}
	})
}

// checkFor polls fn until it is true or total has passed.
func checkFor(t *testing.T, total, step time.Duration, fn func() bool) {
	t.Helper()
	deadline := time.Now().Add(total)
	for !fn() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(step)
	}
}

// TestFrontierWorkerRestart stops a worker in the middle of a crawl, while
// one of its requests is in flight, and starts another on the same
// frontier, which finishes the crawl. From the server's log, no URL is
// fetched twice: the page in flight is finished and published by the worker
// that was stopped, queued URLs go to the new one, and the failure count of
// a broken page carries over.
func TestFrontierWorkerRestart(t *testing.T) {
	for _, stopAt := range []string{
		"/news/2024/05/02/harbour-bridge-closed-after-storm", // early: most of the crawl is left
		"/news/windows-1252-story-about-the-cafe-owner",      // later: retries may be under way
	} {
		t.Run("stop at "+stopAt, func(t *testing.T) {
			s := newSite(t)
			conn := bustest.NewTestConn(t)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			open := func(w string) *Crawler {
				f, err := OpenFrontier(ctx, conn, FrontierOptions{Memory: true, Worker: w, Partitions: 4, LeaseTTL: 3 * time.Second})
				if err != nil {
					t.Fatal(err)
				}
				cfg := frontierConfig(s, f)
				// One recrawl round for the whole test: seeds are not due again.
				cfg.Sources[0].Recrawl = 24 * time.Hour
				c, err := New(conn, cfg, testLogger(t).With("worker", w), prometheus.NewRegistry())
				if err != nil {
					t.Fatal(err)
				}
				return c
			}
			first := open("first")
			fctx, stop := context.WithCancel(ctx)
			s.mu.Lock()
			s.onHit = func(path string) {
				if path == stopAt {
					stop() // the worker is stopped while this request is in flight
				}
			}
			s.mu.Unlock()
			if err := first.Run(fctx); err != nil {
				t.Fatal(err)
			}
			if fctx.Err() == nil {
				t.Fatal("first worker finished before it was stopped")
			}
			firstPublished := map[string]bool{}
			for _, m := range readStream(t, conn, bus.StreamRaw) {
				a, err := article.DecodeArticle(m.Data)
				if err != nil {
					t.Fatal(err)
				}
				firstPublished[strings.TrimPrefix(a.CanonicalURL, s.srv.URL)] = true
			}
			if !firstPublished[stopAt] {
				t.Fatalf("page in flight at the stop was not finished: published %v", firstPublished)
			}
			if len(firstPublished) >= 5 {
				t.Fatalf("first worker published all %d articles after its stop", len(firstPublished))
			}

			second := open("second")
			if err := second.Run(ctx); err != nil {
				t.Fatal(err)
			}
			if ctx.Err() != nil {
				t.Fatal("second worker did not finish")
			}
			seen := map[string]int{}
			for _, m := range readStream(t, conn, bus.StreamRaw) {
				a, err := article.DecodeArticle(m.Data)
				if err != nil {
					t.Fatal(err)
				}
				seen[a.CanonicalURL]++
			}
			if len(seen) != 5 {
				t.Fatalf("%d distinct articles published, want 5", len(seen))
			}
			for u, n := range seen {
				if n != 1 {
					t.Errorf("%s published %d times", u, n)
				}
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			for p, ts := range s.hits {
				want := 1
				switch p {
				case "/robots.txt":
					continue // each worker reads it
				case "/busy/market-traders-count-the-cost-of-flooding":
					want = 2 // 429, then the page
				case "/broken":
					want = 3 // MaxAttempts, counted over both workers
				}
				if len(ts) != want {
					t.Errorf("%s fetched %d times, want %d", p, len(ts), want)
				}
			}
			if len(readStream(t, conn, bus.StreamDLQ)) != 1 {
				t.Error("broken page not dead-lettered once")
			}
		})
	}
}

func TestFrontierFairShare(t *testing.T) {
	conn := bustest.NewTestConn(t)
	ctx := context.Background()
	open := func(w string) *Frontier {
		f, err := OpenFrontier(ctx, conn, FrontierOptions{Memory: true, Worker: w, Partitions: 8})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	idle := func(int) bool { return false }
	a := open("a")
	if got := len(a.claim(ctx, idle)); got != 8 {
		t.Fatalf("lone worker holds %d of 8", got)
	}
	b := open("b")
	if got := len(b.claim(ctx, idle)); got != 0 {
		t.Fatalf("newcomer took %d partitions still held", got)
	}
	busyAll := func(int) bool { return true }
	if got := len(a.claim(ctx, busyAll)); got != 8 {
		t.Fatalf("busy partitions given up: holds %d", got)
	}
	if got := len(a.claim(ctx, idle)); got != 4 {
		t.Fatalf("after a second worker joined, first holds %d, want 4", got)
	}
	if got := len(b.claim(ctx, idle)); got != 4 {
		t.Fatalf("second worker holds %d, want 4", got)
	}
	a.release(ctx)
	if got := len(b.claim(ctx, idle)); got != 8 {
		t.Fatalf("after the first left, second holds %d, want 8", got)
	}
}
