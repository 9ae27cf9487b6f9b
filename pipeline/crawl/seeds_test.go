package crawl

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/article/seeds"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
)

// TestCrawlSeeds serves the sample articles as HTML pages and checks that
// every one is published with its title and text, look-alike letters folded.
func TestCrawlSeeds(t *testing.T) {
	files := seeds.Files(t)
	pages := map[string]string{}
	var index strings.Builder
	index.WriteString("<html><head><title>Seeds</title></head><body><ul>")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		title := strings.TrimSpace(lines[0])
		var body strings.Builder
		for _, l := range lines[1:] {
			if l = strings.TrimSpace(l); l != "" {
				fmt.Fprintf(&body, "<p>%s</p>\n", html.EscapeString(l))
			}
		}
		slug := "/news/" + strings.TrimSuffix(filepath.Base(f), ".txt")
		pages[slug] = fmt.Sprintf(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s</title>
<meta property="og:type" content="article"><script type="application/ld+json">{"@type":"NewsArticle"}</script></head>
<body><nav><a href="/">Home</a></nav><article><h1>%s</h1>%s</article></body></html>`,
			html.EscapeString(title), html.EscapeString(title), body.String())
		fmt.Fprintf(&index, `<li><a href="%s">%s</a></li>`, slug, html.EscapeString(title))
	}
	index.WriteString("</ul></body></html>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/" {
			io.WriteString(w, index.String())
			return
		}
		p, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, p)
	}))
	defer srv.Close()

	conn := bustest.NewTestConn(t)
	c, err := New(conn, Config{
		Sources:      []Source{{StartURLs: []string{srv.URL + "/"}}},
		AllowPrivate: true, Once: true, Delay: -1,
	}, testLogger(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	got := map[string]*article.Article{}
	for _, m := range readStream(t, conn, bus.StreamRaw) {
		a, err := article.DecodeArticle(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		got[strings.TrimPrefix(a.CanonicalURL, srv.URL)] = a
	}
	if len(got) != len(files) {
		t.Fatalf("published %d of %d seed articles", len(got), len(files))
	}
	for slug, a := range got {
		t.Run(slug, func(t *testing.T) {
			if a.Title == "" {
				t.Error("no title")
			}
			if a.Language != "en" {
				t.Errorf("language %q", a.Language)
			}
			if len(strings.Fields(a.Text)) < 100 {
				t.Errorf("text too short: %d words", len(strings.Fields(a.Text)))
			}
			for _, w := range strings.FieldsFunc(a.Text+" "+a.Title, func(r rune) bool { return !unicode.IsLetter(r) }) {
				latin, cyr := false, false
				for _, r := range w {
					latin = latin || unicode.Is(unicode.Latin, r)
					cyr = cyr || unicode.Is(unicode.Cyrillic, r)
				}
				if latin && cyr {
					t.Errorf("mixed-script word %q", w)
				}
			}
		})
	}
}
