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

// editableSite serves a front page linking to one article whose text the
// test can change; the article honours If-None-Match.
type editableSite struct {
	srv     *httptest.Server
	mu      sync.Mutex
	version int
	noETag  bool  // serve no ETag: every visit is a full 200
	hits    []int // HTTP status of each article response
}

func newEditableSite(t *testing.T, noETag bool) *editableSite {
	s := &editableSite{version: 1, noETag: noETag}
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<html><head><title>Valley Post</title></head><body>
<a href="/news/2024/06/01/reservoir-levels-fall-after-dry-spring">Reservoir</a></body></html>`)
	})
	mux.HandleFunc("/news/2024/06/01/reservoir-levels-fall-after-dry-spring", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		v := s.version
		etag := fmt.Sprintf(`"v%d"`, v)
		status := http.StatusOK
		if r.Header.Get("If-None-Match") == etag && !s.noETag {
			status = http.StatusNotModified
		}
		s.hits = append(s.hits, status)
		noETag := s.noETag
		s.mu.Unlock()
		if !noETag {
			w.Header().Set("ETag", etag)
		}
		if status == http.StatusNotModified {
			w.WriteHeader(status)
			return
		}
		page := storyPage("utf-8", "Reservoir levels fall after dry spring", "Millbrook")
		if v > 1 {
			page = strings.Replace(page, "</article>", fmt.Sprintf(
				"<p>Update %d: the water company said on Friday that a hosepipe ban would start next month across the whole district.</p></article>", v), 1)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	})
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *editableSite) statuses() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.hits...)
}

// TestRevisitChangedArticle crawls an article, then crawls again: before
// the revisit is due the article is not fetched; once due it is fetched
// with a conditional GET (304, or the same text from a server without
// ETags: not republished, and the next wait doubles); after an edit it is
// fetched and republished with the new text.
func TestRevisitChangedArticle(t *testing.T) {
	for _, noETag := range []bool{false, true} {
		t.Run(fmt.Sprintf("etag=%v", !noETag), func(t *testing.T) { testRevisit(t, noETag) })
	}
}

func testRevisit(t *testing.T, noETag bool) {
	s := newEditableSite(t, noETag)
	unchangedStatus := http.StatusNotModified
	if noETag {
		unchangedStatus = http.StatusOK
	}
	conn := bustest.NewTestConn(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	f, err := OpenFrontier(ctx, conn, FrontierOptions{Memory: true, Worker: "w", Partitions: 2})
	if err != nil {
		t.Fatal(err)
	}
	const revisit = 2 * time.Second
	newCrawler := func() *Crawler {
		c, err := New(conn, Config{
			Sources: []Source{{Name: "valley", StartURLs: []string{s.srv.URL + "/"},
				Recrawl: time.Second, Revisit: revisit, RevisitMax: 3 * revisit}},
			UserAgent: "newswire-test/1.0 (+https://example.org/bot)", AllowPrivate: true, Once: true,
			Delay: -1, RequestTimeout: 5 * time.Second, RetryBase: 10 * time.Millisecond, Frontier: f,
		}, testLogger(t), prometheus.NewRegistry())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	articleURL := s.srv.URL + "/news/2024/06/01/reservoir-levels-fall-after-dry-spring"
	state := func() URLState {
		st, ok, err := f.State(ctx, articleURL)
		if err != nil || !ok {
			t.Fatalf("no state for the article (%v)", err)
		}
		return st
	}
	// crawlRound waits for a new recrawl round (so the front page is polled
	// again) and, if given, until the article is due; then crawls.
	crawlRound := func(due time.Time) {
		t.Helper()
		start := time.Now()
		checkFor(t, 10*time.Second, 20*time.Millisecond, func() bool {
			n := time.Now()
			return n.Truncate(time.Second).After(start.Truncate(time.Second)) && !n.Before(due)
		})
		if err := newCrawler().Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	published := func() []*article.Article {
		var out []*article.Article
		for _, m := range readStream(t, conn, bus.StreamRaw) {
			a, err := article.DecodeArticle(m.Data)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, a)
		}
		return out
	}

	crawlRound(time.Time{})
	if got := s.statuses(); len(got) != 1 || got[0] != http.StatusOK {
		t.Fatalf("first crawl: article responses %v", got)
	}
	st := state()
	if !st.Article || st.NextVisit.Sub(st.Fetched) != revisit {
		t.Fatalf("state after first visit: %+v", st)
	}

	t.Run("not due", func(t *testing.T) {
		crawlRound(time.Time{})
		if time.Now().Before(st.NextVisit) && len(s.statuses()) != 1 {
			t.Fatalf("article fetched again before its revisit was due: %v", s.statuses())
		}
	})
	t.Run("due and unchanged", func(t *testing.T) {
		crawlRound(state().NextVisit)
		got := s.statuses()
		if len(got) != 2 || got[1] != unchangedStatus {
			t.Fatalf("article responses %v, want a %d on the revisit", got, unchangedStatus)
		}
		if n := len(published()); n != 1 {
			t.Fatalf("%d articles published, want 1", n)
		}
		st := state()
		if st.Unchanged != 1 || st.NextVisit.Sub(st.Fetched) != 2*revisit {
			t.Fatalf("after an unchanged visit: unchanged %d, next in %s, want 1 and %s",
				st.Unchanged, st.NextVisit.Sub(st.Fetched), 2*revisit)
		}
	})
	t.Run("due and changed", func(t *testing.T) {
		s.mu.Lock()
		s.version = 2
		s.mu.Unlock()
		crawlRound(state().NextVisit)
		got := s.statuses()
		if len(got) != 3 || got[2] != http.StatusOK {
			t.Fatalf("article responses %v, want a 200 on the revisit after the edit", got)
		}
		as := published()
		if len(as) != 2 {
			t.Fatalf("%d articles published, want the edit republished", len(as))
		}
		if as[0].ID != as[1].ID || as[0].ContentHash == as[1].ContentHash || !strings.Contains(as[1].Text, "hosepipe ban") {
			t.Fatalf("republished article: id %s/%s hash %s/%s", as[0].ID, as[1].ID, as[0].ContentHash, as[1].ContentHash)
		}
		if as[1].DuplicateOf != "" {
			t.Fatalf("an edited article is linked as a copy of %s", as[1].DuplicateOf)
		}
		if st := state(); st.Unchanged != 0 || st.NextVisit.Sub(st.Fetched) != revisit {
			t.Fatalf("after a change: unchanged %d, next in %s", st.Unchanged, st.NextVisit.Sub(st.Fetched))
		}
	})
}

func TestRevisitAfter(t *testing.T) {
	src := Source{Revisit: time.Hour, RevisitMax: 5 * time.Hour}
	cases := []struct {
		unchanged int
		want      time.Duration
	}{{0, time.Hour}, {1, 2 * time.Hour}, {2, 4 * time.Hour}, {3, 5 * time.Hour}, {40, 5 * time.Hour}}
	for _, c := range cases {
		t.Run(fmt.Sprintf("unchanged=%d", c.unchanged), func(t *testing.T) {
			if got := src.revisitAfter(c.unchanged); got != c.want {
				t.Fatalf("got %s, want %s", got, c.want)
			}
		})
	}
	if never := (&Source{Revisit: -1}).revisitAfter(0); never >= 0 {
		t.Fatalf("negative Revisit revisits after %s", never)
	}
}

// TestRobotsSitemapWithFeeds checks that a sitemap named in robots.txt is
// followed also for a source that lists a feed of its own, for its recent
// entries only.
func TestRobotsSitemapWithFeeds(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "User-agent: *\nAllow: /\nSitemap: %s/sitemap-index.xml\n", srv.URL)
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour News</title><link>%[1]s/</link>
<item><title>Ferry</title><link>%[1]s/news/ferry-timetable-changes-for-the-summer</link></item></channel></rss>`, srv.URL)
	})
	now := time.Now().UTC()
	mux.HandleFunc("/sitemap-index.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>%[1]s/sitemap-recent.xml</loc><lastmod>%[2]s</lastmod></sitemap>
<sitemap><loc>%[1]s/sitemap-2019.xml</loc><lastmod>2019-12-31</lastmod></sitemap>
</sitemapindex>`, srv.URL, now.Format(time.RFC3339))
	})
	mux.HandleFunc("/sitemap-recent.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>%[1]s/news/lifeboat-crew-rescue-two-kayakers</loc><lastmod>%[2]s</lastmod></url>
<url><loc>%[1]s/news/old-pier-reopens-after-long-restoration</loc><lastmod>2019-06-01</lastmod></url>
<url><loc>%[1]s/news/undated-page-about-harbour-parking-rules</loc></url>
</urlset>`, srv.URL, now.Add(-time.Hour).Format(time.RFC3339))
	})
	for p, title := range map[string]string{
		"/news/ferry-timetable-changes-for-the-summer":   "Ferry timetable changes for the summer",
		"/news/lifeboat-crew-rescue-two-kayakers":        "Lifeboat crew rescue two kayakers",
		"/news/old-pier-reopens-after-long-restoration":  "Old pier reopens after long restoration",
		"/news/undated-page-about-harbour-parking-rules": "Harbour parking rules",
	} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, storyPage("utf-8", title, "Porthcove"))
		})
	}
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	defer srv.Close()
	conn := bustest.NewTestConn(t)
	c, err := New(conn, Config{
		Sources:   []Source{{Name: "harbour", Feeds: []string{srv.URL + "/feed.xml"}}},
		UserAgent: "newswire-test/1.0 (+https://example.org/bot)", AllowPrivate: true, Once: true,
		Delay: -1, RequestTimeout: 5 * time.Second,
	}, testLogger(t), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	cases := []struct {
		path string
		want int
	}{
		{"/news/ferry-timetable-changes-for-the-summer", 1},
		{"/sitemap-index.xml", 1},
		{"/sitemap-recent.xml", 1},
		{"/news/lifeboat-crew-rescue-two-kayakers", 1},
		{"/sitemap-2019.xml", 0},
		{"/news/old-pier-reopens-after-long-restoration", 0},
		{"/news/undated-page-about-harbour-parking-rules", 0},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			if hits[tc.path] != tc.want {
				t.Fatalf("fetched %d times, want %d", hits[tc.path], tc.want)
			}
		})
	}
}
