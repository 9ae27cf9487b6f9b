package crawl

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/text/encoding/charmap"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
)

// storyPage writes an article page of our own words.
func storyPage(charset, title, place string) string {
	return fmt.Sprintf(`<!DOCTYPE html><html lang="en"><head><meta charset="%s">
<title>%s</title><meta property="og:type" content="article">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":%q,"datePublished":"2024-05-02T10:00:00Z"}</script>
</head><body><nav><a href="/">Home</a> <a href="/section/world">World</a></nav>
<article><h1>%s</h1>
<p>Officials in %s said on Thursday that the council would meet again next week to discuss the damage, which several residents described as the worst they had seen in years.</p>
<p>The mayor of %s told a crowd outside the town hall that emergency crews had worked through the night and that the caf&eacute; on the corner would serve free meals until Sunday.</p>
<p>Engineers from the regional authority are expected to publish a report within a month, and local traders have asked for help with the cost of repairs to their shops.</p>
</article><footer>All rights reserved.</footer></body></html>`, charset, title, title, title, place, place)
}

type site struct {
	srv         *httptest.Server
	mu          sync.Mutex
	hits        map[string][]time.Time
	busy        int
	conditional int
	// onHit, when set, is called with each request's path before it is
	// served.
	onHit func(path string)
}

func (s *site) hit(r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path] = append(s.hits[r.URL.Path], time.Now())
	if r.Header.Get("If-None-Match") != "" {
		s.conditional++
	}
	onHit := s.onHit
	s.mu.Unlock()
	if onHit != nil {
		onHit(r.URL.Path)
	}
}

func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.hits[path])
}

func newSite(t *testing.T) *site {
	s := &site{hits: map[string][]time.Time{}}
	mux := http.NewServeMux()
	html := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, body)
		}
	}
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.1\nSitemap: %s/sitemap.xml\n", s.srv.URL)
	})
	var frontPage http.HandlerFunc
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"front-1"`)
		if r.Header.Get("If-None-Match") == `"front-1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		frontPage(w, r)
	})
	frontPage = html(`<html><head><title>Coastal Times</title><meta property="og:type" content="website">
<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>
<ul><li><a href="/news/2024/05/02/harbour-bridge-closed-after-storm">Harbour bridge closed</a></li>
<li><a href="/private/staff-only-notes-about-the-storm">Staff</a></li>
<li><a href="/section/world">World</a></li>
<li><a href="/huge">Huge</a></li><li><a href="/huge-declared">Huge declared</a></li>
<li><a href="/files/report.pdf">Report</a></li><li><a href="/binary">Binary</a></li>
<li><a href="/loop">Loop</a></li><li><a href="/busy/market-traders-count-the-cost-of-flooding">Busy</a></li>
<li><a href="/news/windows-1252-story-about-the-cafe-owner">Cafe</a></li>
<li><a href="/broken">Broken</a></li>
<li><a href="http://other.invalid/offsite">Elsewhere</a></li></ul></body></html>`)
	mux.HandleFunc("/section/world", html(`<html><head><title>World</title></head><body><ul>
<li><a href="/news/2024/05/02/harbour-bridge-closed-after-storm">Harbour bridge closed</a></li>
<li><a href="/">Home</a></li></ul></body></html>`))
	mux.HandleFunc("/news/2024/05/02/harbour-bridge-closed-after-storm", html(storyPage("utf-8", "Harbour bridge closed after storm", "Saltmere")))
	mux.HandleFunc("/news/feed-only-story-about-the-ferry-strike", html(storyPage("utf-8", "Ferry crews walk out over pay", "Port Elwyn")))
	mux.HandleFunc("/news/sitemap-only-story-about-a-lighthouse-keeper", html(storyPage("utf-8", "Lighthouse keeper retires after forty years", "Gullrock")))
	mux.HandleFunc("/private/staff-only-notes-about-the-storm", html(storyPage("utf-8", "Private", "Nowhere")))
	mux.HandleFunc("/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Coastal Times</title><link>%[1]s/</link>
<item><title>Ferry crews walk out</title><link>%[1]s/news/feed-only-story-about-the-ferry-strike?utm_source=rss</link></item>
</channel></rss>`, s.srv.URL)
	})
	mux.HandleFunc("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>%s/news/sitemap-only-story-about-a-lighthouse-keeper</loc><news:news><news:title>Lighthouse</news:title></news:news></url>
</urlset>`, s.srv.URL)
	})
	big := strings.Repeat("<p>padding words to make the page far too large for the crawler</p>\n", 40000)
	mux.HandleFunc("/huge", html("<html><body>"+big+"</body></html>"))
	mux.HandleFunc("/huge-declared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", fmt.Sprint(len(big)))
		io.WriteString(w, big)
	})
	mux.HandleFunc("/files/report.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4\n\x00\x01\x02binary"))
	})
	mux.HandleFunc("/binary", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write(append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 512)...))
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop2", http.StatusFound) })
	mux.HandleFunc("/loop2", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/busy/market-traders-count-the-cost-of-flooding", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.busy++
		first := s.busy == 1
		s.mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		html(storyPage("utf-8", "Market traders count the cost of flooding", "Saltmere"))(w, r)
	})
	mux.HandleFunc("/news/windows-1252-story-about-the-cafe-owner", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		b, err := charmap.Windows1252.NewEncoder().String(strings.ReplaceAll(storyPage("windows-1252", "Café owner rebuilds after fire", "Brisa"), "&eacute;", "é"))
		if err != nil {
			panic(err)
		}
		io.WriteString(w, b)
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusInternalServerError) })
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hit(r)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func readStream(t *testing.T, conn *bus.Conn, stream string) []jetstream.RawStreamMsg {
	t.Helper()
	ctx := context.Background()
	st, err := conn.JS.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []jetstream.RawStreamMsg
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, *m)
	}
	return out
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func TestCrawlSite(t *testing.T) {
	s := newSite(t)
	conn := bustest.NewTestConn(t)
	reg := prometheus.NewRegistry()
	var progress bytes.Buffer
	c, err := New(conn, Config{
		Progress:       &progress,
		Sources:        []Source{{Name: "coastal", StartURLs: []string{s.srv.URL + "/"}}},
		UserAgent:      "newswire-test/1.0 (+https://example.org/bot)",
		AllowPrivate:   true,
		Once:           true,
		Delay:          10 * time.Millisecond,
		MaxPageBytes:   1 << 20,
		RequestTimeout: 5 * time.Second,
		MaxAttempts:    3,
		RetryBase:      10 * time.Millisecond,
		RetryMax:       2 * time.Second,
	}, testLogger(t), reg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		t.Fatal("crawl did not finish")
	}

	got := map[string]*article.Article{}
	for _, m := range readStream(t, conn, bus.StreamRaw) {
		a, err := article.DecodeArticle(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		if m.Subject != bus.RawSubject(a.Source) {
			t.Errorf("subject %s for source %s", m.Subject, a.Source)
		}
		if m.Header.Get(jetstream.MsgIDHeader) != a.ID+":"+a.ContentHash[:16] {
			t.Errorf("msg id %q", m.Header.Get(jetstream.MsgIDHeader))
		}
		got[strings.TrimPrefix(a.CanonicalURL, s.srv.URL)] = a
	}
	var paths []string
	for p := range got {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	want := []string{
		"/busy/market-traders-count-the-cost-of-flooding",
		"/news/2024/05/02/harbour-bridge-closed-after-storm",
		"/news/feed-only-story-about-the-ferry-strike",
		"/news/sitemap-only-story-about-a-lighthouse-keeper",
		"/news/windows-1252-story-about-the-cafe-owner",
	}
	if strings.Join(paths, "\n") != strings.Join(want, "\n") {
		t.Fatalf("published:\n%s\nwant:\n%s", strings.Join(paths, "\n"), strings.Join(want, "\n"))
	}

	t.Run("windows-1252 decoded", func(t *testing.T) {
		a := got["/news/windows-1252-story-about-the-cafe-owner"]
		if !strings.Contains(a.Title, "Café owner") || !strings.Contains(a.Text, "café on the corner") {
			t.Fatalf("title %q text %q", a.Title, a.Text)
		}
	})
	t.Run("robots.txt obeyed", func(t *testing.T) {
		if n := s.count("/private/staff-only-notes-about-the-storm"); n != 0 {
			t.Fatalf("disallowed page fetched %d times", n)
		}
	})
	t.Run("retry-after honoured", func(t *testing.T) {
		s.mu.Lock()
		hits := s.hits["/busy/market-traders-count-the-cost-of-flooding"]
		s.mu.Unlock()
		if len(hits) != 2 {
			t.Fatalf("busy page fetched %d times, want 2", len(hits))
		}
		if gap := hits[1].Sub(hits[0]); gap < 900*time.Millisecond {
			t.Fatalf("retried after %s, Retry-After said 1s", gap)
		}
	})
	t.Run("redirect loop stopped", func(t *testing.T) {
		if n := s.count("/loop"); n > 1 {
			t.Fatalf("loop start fetched %d times", n)
		}
	})
	t.Run("broken page dead-lettered", func(t *testing.T) {
		if n := s.count("/broken"); n != 3 {
			t.Fatalf("broken page fetched %d times, want MaxAttempts=3", n)
		}
		dl := readStream(t, conn, bus.StreamDLQ)
		if len(dl) != 1 {
			t.Fatalf("%d dead letters, want 1", len(dl))
		}
		if u := dl[0].Header.Get(HeaderURL); u != s.srv.URL+"/broken" {
			t.Fatalf("dead letter url %q", u)
		}
		if r := dl[0].Header.Get(HeaderError); r != "http_5xx" {
			t.Fatalf("dead letter reason %q", r)
		}
		var body map[string]any
		if err := json.Unmarshal(dl[0].Data, &body); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("politeness held", func(t *testing.T) {
		s.mu.Lock()
		type hit struct {
			path string
			at   time.Time
		}
		var all []hit
		for p, ts := range s.hits {
			for _, at := range ts {
				all = append(all, hit{p, at})
			}
		}
		s.mu.Unlock()
		sort.Slice(all, func(i, j int) bool { return all[i].at.Before(all[j].at) })
		// The first request (robots.txt) comes before the Crawl-delay is known.
		for i := 2; i < len(all); i++ {
			// Crawl-delay 0.1s, measured at the server: allow for scheduling jitter on a busy machine.
			if gap := all[i].at.Sub(all[i-1].at); gap < 75*time.Millisecond {
				t.Fatalf("%s and %s only %s apart", all[i-1].path, all[i].path, gap)
			}
		}
	})
	t.Run("progress line", func(t *testing.T) {
		if !strings.Contains(progress.String(), "published 5 ") {
			t.Fatalf("progress: %q", progress.String())
		}
	})
	t.Run("stats and metrics", func(t *testing.T) {
		st := c.Stats()
		if st.Published != 5 || st.DeadLettered != 1 || st.Retried < 3 || st.Skipped < 5 {
			t.Fatalf("stats %+v", st)
		}
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		reasons := map[string]bool{}
		for _, mf := range mfs {
			if mf.GetName() != "newswire_crawl_skipped_total" {
				continue
			}
			for _, m := range mf.GetMetric() {
				for _, l := range m.GetLabel() {
					reasons[l.GetValue()] = true
				}
			}
		}
		for _, r := range []string{"robots", "too_large", "content_type", "redirects"} {
			if !reasons[r] {
				t.Errorf("no skip counted for %s (have %v)", r, reasons)
			}
		}
	})
}

func TestRefusesPrivateAddresses(t *testing.T) {
	s := newSite(t)
	conn := bustest.NewTestConn(t)
	c, err := New(conn, Config{
		Sources: []Source{{StartURLs: []string{s.srv.URL + "/"}}},
		Once:    true, Delay: time.Millisecond, MaxAttempts: 1,
	}, testLogger(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	n := len(s.hits)
	s.mu.Unlock()
	if n != 0 {
		t.Fatalf("crawler reached a loopback server: %v", s.hits)
	}
	if st := c.Stats(); st.Published != 0 || st.Skipped == 0 {
		t.Fatalf("stats %+v", st)
	}
}
