package crawl

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/extractors/text"
	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
	"github.com/newswire/newswire/pipeline/internal/logtest"
)

// hugePage is the size of the pages served by TestCrawlRefuses50MBPages.
const hugePage = 50 << 20

// servePadding writes n bytes of HTML paragraphs, generated as it goes,
// and returns how many bytes the client took before it hung up.
func servePadding(w io.Writer, n int) int {
	chunk := []byte(strings.Repeat("<p>Padding words that make this page far too large to crawl.</p>\n", 1000))
	sent := 0
	for sent < n {
		c := chunk[:min(len(chunk), n-sent)]
		k, err := w.Write(c)
		sent += k
		if err != nil {
			break
		}
	}
	return sent
}

// TestCrawlRefuses50MBPages: a 50 MB page, with or without a Content-Length,
// is refused with a logged "too_large" reason after reading no more than
// MaxPageBytes of it, and the site's other articles are published; a 9 MB
// page, under MaxPageBytes, is published with its text cut at
// text.MaxPageText.
func TestCrawlRefuses50MBPages(t *testing.T) {
	var sentChunked atomic.Int64
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<html><head><title>Estuary Post</title></head><body><ul>
<li><a href="/news/huge-declared-page">Declared</a></li>
<li><a href="/news/huge-chunked-page">Chunked</a></li>
<li><a href="/news/ferry-timetable-changes-for-winter">Ferry</a></li>
<li><a href="/news/lifeboat-crew-rescue-two-kayakers">Lifeboat</a></li>
<li><a href="/news/nine-megabytes-of-harbour-notices">Notices</a></li></ul></body></html>`)
	})
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "User-agent: *\n") })
	mux.HandleFunc("/news/huge-declared-page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", fmt.Sprint(hugePage))
		servePadding(w, hugePage)
	})
	mux.HandleFunc("/news/huge-chunked-page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><head><title>Huge</title></head><body>")
		sentChunked.Store(int64(servePadding(w, hugePage)))
	})
	mux.HandleFunc("/news/ferry-timetable-changes-for-winter", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, storyPage("utf-8", "Ferry timetable changes for winter", "Wrenmouth"))
	})
	mux.HandleFunc("/news/lifeboat-crew-rescue-two-kayakers", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, storyPage("utf-8", "Lifeboat crew rescue two kayakers", "Wrenmouth"))
	})
	// Under MaxPageBytes but far more text than an article: published,
	// with its text cut at text.MaxPageText.
	mux.HandleFunc("/news/nine-megabytes-of-harbour-notices", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<html><head><title>Harbour notices</title></head><body><article>")
		servePadding(w, 9<<20)
		io.WriteString(w, "</article></body></html>")
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	conn := bustest.NewTestConn(t)
	var logs logtest.Buffer
	c, err := New(conn, Config{
		Sources:        []Source{{Name: "estuary", StartURLs: []string{srv.URL + "/"}}},
		UserAgent:      "newswire-test/1.0 (+https://example.org/bot)",
		AllowPrivate:   true,
		Once:           true,
		Delay:          time.Millisecond,
		RequestTimeout: 30 * time.Second,
		MaxAttempts:    2,
		RetryBase:      10 * time.Millisecond,
		// MaxPageBytes is left at its default, 10 MiB.
	}, slog.New(slog.NewJSONHandler(&logs, nil)), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		t.Fatal("crawl did not finish")
	}

	var titles []string
	for _, m := range readStream(t, conn, bus.StreamRaw) {
		a, err := article.DecodeArticle(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		titles = append(titles, a.Title)
		if a.Title == "Harbour notices" && len(a.Text) > text.MaxPageText*11/10 {
			t.Errorf("9 MB page published with %d bytes of text, want about text.MaxPageText", len(a.Text))
		}
	}
	t.Run("other articles published", func(t *testing.T) {
		want := map[string]bool{"Ferry timetable changes for winter": true, "Lifeboat crew rescue two kayakers": true, "Harbour notices": true}
		if len(titles) != len(want) {
			t.Fatalf("published %q, want the two small stories and the notices", titles)
		}
		for _, ti := range titles {
			if !want[ti] {
				t.Errorf("published %q", ti)
			}
		}
	})
	refused := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) != nil || m["msg"] != "refused" {
			continue
		}
		u, _ := m["url"].(string)
		refused[strings.TrimPrefix(u, srv.URL)] = fmt.Sprint(m["reason"], ": ", m["err"])
	}
	for _, path := range []string{"/news/huge-declared-page", "/news/huge-chunked-page"} {
		t.Run("refused "+path, func(t *testing.T) {
			r, ok := refused[path]
			if !ok {
				t.Fatalf("no refused log line for %s; refused: %v", path, refused)
			}
			if !strings.HasPrefix(r, "too_large") || !strings.Contains(r, "too large") {
				t.Errorf("reason %q does not say too large", r)
			}
		})
	}
	t.Run("chunked page not read to the end", func(t *testing.T) {
		// The server stops when the crawler hangs up; socket buffers let
		// it get somewhat past MaxPageBytes, never near 50 MB.
		bustest.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
			if n := sentChunked.Load(); n == 0 || n >= hugePage {
				return fmt.Errorf("server sent %d bytes of the chunked page", n)
			}
			return nil
		})
	})
}
