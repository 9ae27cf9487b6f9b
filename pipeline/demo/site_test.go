package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/temoto/robotstxt"
	"golang.org/x/net/html"
)

const testBase = "http://news.example:8181"

func newTestSite(t *testing.T) *Site {
	t.Helper()
	s, err := NewSite(testBase)
	if err != nil {
		t.Fatalf("NewSite: %v", err)
	}
	return s
}

func get(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

// meta collects what an HTML page declares in its head.
type meta struct {
	title     string
	canonical string
	props     map[string][]string // property= and name= metas
	jsonLD    []string
	hrefs     []string
	text      string // visible text of the article body
	hasNav    bool
	hasFooter bool
}

func parsePage(t *testing.T, body []byte) *meta {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	m := &meta{props: map[string][]string{}}
	attr := func(n *html.Node, k string) string {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val
			}
		}
		return ""
	}
	var text func(n *html.Node, b *strings.Builder)
	text = func(n *html.Node, b *strings.Builder) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			text(c, b)
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "title":
				var b strings.Builder
				text(n, &b)
				m.title = b.String()
			case "link":
				if attr(n, "rel") == "canonical" {
					m.canonical = attr(n, "href")
				}
			case "meta":
				if k := attr(n, "property") + attr(n, "name"); k != "" {
					m.props[k] = append(m.props[k], attr(n, "content"))
				}
			case "script":
				if attr(n, "type") == "application/ld+json" {
					var b strings.Builder
					text(n, &b)
					m.jsonLD = append(m.jsonLD, b.String())
				}
			case "a":
				m.hrefs = append(m.hrefs, attr(n, "href"))
			case "nav":
				m.hasNav = true
			case "footer":
				m.hasFooter = true
			case "div":
				if attr(n, "class") == "article-body" {
					var b strings.Builder
					text(n, &b)
					m.text = b.String()
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return m
}

func TestArticlesContent(t *testing.T) {
	arts, err := Articles()
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) < 14 {
		t.Errorf("%d articles, want at least 14", len(arts))
	}
	lo := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	hi := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	sections := map[string]int{}
	titles := map[string]string{}
	for _, a := range arts {
		t.Run(a.Slug, func(t *testing.T) {
			if w := a.Words(); w < 250 || w > 600 {
				t.Errorf("%d words, want 250 to 600", w)
			}
			if a.Published.Before(lo) || !a.Published.Before(hi) {
				t.Errorf("published %s, want within 2026-09-01..2026-11-20", a.Published)
			}
			if a.Dateline == "" {
				t.Error("no dateline")
			}
			if prev, dup := titles[a.Title]; dup {
				t.Errorf("title also used by %s", prev)
			}
			titles[a.Title] = a.Slug
		})
		sections[a.Section]++
	}
	for _, sec := range Sections() {
		if sec.Slug != "world" && sections[sec.Slug] < 2 {
			t.Errorf("section %s has %d articles, want at least 2", sec.Slug, sections[sec.Slug])
		}
	}
}

func TestParseArticleErrors(t *testing.T) {
	good := "---\ntitle: T\nsection: europe\nauthor: A\nsummary: S\npublished: 2026-09-02T10:00:00Z\n---\nOne.\n\n## Head\n\nTwo\nlines.\n"
	tests := []struct {
		name, slug, data string
		wantErr          bool
	}{
		{"good", "a-b", good, false},
		{"bad slug", "A_B", good, true},
		{"no front matter", "a", "title: T\n", true},
		{"unclosed front matter", "a", "---\ntitle: T\n", true},
		{"unknown field", "a", strings.Replace(good, "title: T", "title: T\nheadline: H", 1), true},
		{"missing author", "a", strings.Replace(good, "author: A\n", "", 1), true},
		{"bad date", "a", strings.Replace(good, "2026-09-02T10:00:00Z", "2 Sept", 1), true},
		{"updated before published", "a", strings.Replace(good, "published:", "updated: 2026-09-01T00:00:00Z\npublished:", 1), true},
		{"empty body", "a", strings.SplitAfter(good, "---\n")[0] + strings.SplitAfter(good, "---\n")[1], true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := parseArticle(tc.slug, []byte(tc.data))
			if tc.wantErr {
				if !errors.Is(err, ErrBadArticle) {
					t.Fatalf("err = %v, want ErrBadArticle", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := []Block{{Text: "One."}, {Heading: true, Text: "Head"}, {Text: "Two lines."}}
			if len(a.Blocks) != len(want) {
				t.Fatalf("blocks = %+v, want %+v", a.Blocks, want)
			}
			for i := range want {
				if a.Blocks[i] != want[i] {
					t.Errorf("block %d = %+v, want %+v", i, a.Blocks[i], want[i])
				}
			}
		})
	}
}

func TestLoadArticlesRejectsBadSection(t *testing.T) {
	fsys := fstest.MapFS{"a/x.md": {Data: []byte("---\ntitle: T\nsection: mars\nauthor: A\nsummary: S\npublished: 2026-09-02T10:00:00Z\n---\nBody.\n")}}
	if _, err := loadArticles(fsys, "a"); !errors.Is(err, ErrBadArticle) {
		t.Fatalf("err = %v, want ErrBadArticle", err)
	}
}

func TestNewSiteBadBase(t *testing.T) {
	for _, base := range []string{"", "127.0.0.1:80", "ftp://x", "http://x/sub", "http://x/?q=1"} {
		t.Run(base, func(t *testing.T) {
			if _, err := NewSite(base); !errors.Is(err, ErrBadBaseURL) {
				t.Fatalf("err = %v, want ErrBadBaseURL", err)
			}
		})
	}
}

func TestArticlePages(t *testing.T) {
	s := newTestSite(t)
	for _, a := range s.Articles() {
		t.Run(a.Slug, func(t *testing.T) {
			rec := get(t, s, a.Path())
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("content type %q", ct)
			}
			m := parsePage(t, rec.Body.Bytes())
			if !strings.HasPrefix(m.title, a.Title) {
				t.Errorf("<title> %q does not start with the headline %q", m.title, a.Title)
			}
			if m.canonical != testBase+a.Path() {
				t.Errorf("canonical %q", m.canonical)
			}
			for k, want := range map[string]string{
				"og:type": "article", "og:title": a.Title,
				"article:published_time": a.Published.UTC().Format(time.RFC3339),
				"author":                 a.Author,
			} {
				if got := m.props[k]; len(got) != 1 || got[0] != want {
					t.Errorf("meta %s = %q, want %q", k, got, want)
				}
			}
			if len(m.jsonLD) != 1 {
				t.Fatalf("%d JSON-LD blocks, want 1", len(m.jsonLD))
			}
			var ld struct {
				Type          string `json:"@type"`
				Headline      string `json:"headline"`
				DatePublished string `json:"datePublished"`
				Author        []struct {
					Name string `json:"name"`
				} `json:"author"`
			}
			if err := json.Unmarshal([]byte(m.jsonLD[0]), &ld); err != nil {
				t.Fatalf("JSON-LD: %v", err)
			}
			pub, err := time.Parse(time.RFC3339, ld.DatePublished)
			if ld.Type != "NewsArticle" || ld.Headline != a.Title || err != nil || !pub.Equal(a.Published) ||
				len(ld.Author) != 1 || ld.Author[0].Name != a.Author {
				t.Errorf("JSON-LD = %+v (date err %v)", ld, err)
			}
			if !m.hasNav || !m.hasFooter {
				t.Error("page lacks nav or footer boilerplate")
			}
			body := rec.Body.String()
			for _, want := range []string{`class="byline"`, `class="share-bar"`, `class="related"`, `id="cookie-notice"`} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %s", want)
				}
			}
			// The body text is the article's, escaped and unescaped intact.
			for _, b := range a.Blocks {
				if !strings.Contains(m.text, b.Text) {
					t.Errorf("body lacks block %.40q", b.Text)
				}
			}
		})
	}
}

func TestNavigationReachesEveryArticle(t *testing.T) {
	s := newTestSite(t)
	// Breadth-first over internal links from /, as a crawler would.
	seen := map[string]bool{"/": true}
	queue := []string{"/"}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		rec := get(t, s, p)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d", p, rec.Code)
			continue
		}
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			continue
		}
		for _, h := range parsePage(t, rec.Body.Bytes()).hrefs {
			if !strings.HasPrefix(h, "/") || strings.HasPrefix(h, "/private/") {
				continue
			}
			h, _, _ = strings.Cut(h, "#")
			if !seen[h] {
				seen[h] = true
				queue = append(queue, h)
			}
		}
	}
	for _, a := range s.Articles() {
		if !seen[a.Path()] {
			t.Errorf("%s is not reachable by links from /", a.Path())
		}
	}
	for _, sec := range Sections() {
		if !seen[sec.Path()] {
			t.Errorf("section %s is not linked", sec.Path())
		}
	}
}

func TestSectionPages(t *testing.T) {
	s := newTestSite(t)
	for _, sec := range Sections() {
		t.Run(sec.Slug, func(t *testing.T) {
			rec := get(t, s, sec.Path())
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			m := parsePage(t, rec.Body.Bytes())
			links := map[string]bool{}
			for _, h := range m.hrefs {
				links[h] = true
			}
			for _, a := range s.Articles() {
				if want := sec.Slug == "world" || a.Section == sec.Slug; want != links[a.Path()] {
					t.Errorf("links %s = %v, want %v", a.Path(), links[a.Path()], want)
				}
			}
			if got := m.props["og:type"]; len(got) != 1 || got[0] != "website" {
				t.Errorf("og:type = %q", got)
			}
		})
	}
}

func TestFeed(t *testing.T) {
	s := newTestSite(t)
	rec := get(t, s, "/feed.xml")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	feed, err := gofeed.NewParser().ParseString(rec.Body.String())
	if err != nil {
		t.Fatalf("parse feed: %v", err)
	}
	if feed.FeedType != "rss" || feed.FeedVersion != "2.0" {
		t.Errorf("feed type %s %s", feed.FeedType, feed.FeedVersion)
	}
	arts := s.Articles()
	if len(feed.Items) != len(arts) {
		t.Fatalf("%d items, want %d", len(feed.Items), len(arts))
	}
	for i, a := range arts {
		it := feed.Items[i]
		if it.Link != testBase+a.Path() || it.Title != a.Title || it.PublishedParsed == nil ||
			!it.PublishedParsed.Equal(a.Published) || it.Description != a.Summary {
			t.Errorf("item %d = %q %q %v, want %s", i, it.Title, it.Link, it.PublishedParsed, a.Slug)
		}
		if len(it.Authors) != 1 || it.Authors[0].Name != a.Author {
			t.Errorf("item %d authors %v", i, it.Authors)
		}
	}
}

func TestRobotsAndSitemap(t *testing.T) {
	s := newTestSite(t)
	rec := get(t, s, "/robots.txt")
	robots, err := robotstxt.FromBytes(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("robots.txt: %v", err)
	}
	g := robots.FindGroup("newswire")
	allowed := []string{"/", "/europe/", "/feed.xml", "/sitemap.xml"}
	for _, a := range s.Articles() {
		allowed = append(allowed, a.Path())
	}
	for _, p := range allowed {
		if !g.Test(p) {
			t.Errorf("robots.txt disallows %s", p)
		}
	}
	if g.Test(PrivatePath) {
		t.Errorf("robots.txt allows %s", PrivatePath)
	}
	if len(robots.Sitemaps) != 1 || robots.Sitemaps[0] != testBase+"/sitemap.xml" {
		t.Errorf("robots sitemaps = %v", robots.Sitemaps)
	}
	if rec := get(t, s, PrivatePath); rec.Code != http.StatusOK {
		t.Errorf("private page status %d (it must exist for the robots test to mean something)", rec.Code)
	}

	rec = get(t, s, "/sitemap.xml")
	var sm struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &sm); err != nil {
		t.Fatalf("sitemap: %v", err)
	}
	locs := map[string]string{}
	for _, u := range sm.URLs {
		locs[u.Loc] = u.LastMod
		if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
			t.Errorf("%s lastmod: %v", u.Loc, err)
		}
		if strings.Contains(u.Loc, "/private/") {
			t.Errorf("sitemap lists %s", u.Loc)
		}
		if rec := get(t, s, strings.TrimPrefix(u.Loc, testBase)); rec.Code != http.StatusOK {
			t.Errorf("sitemap %s: status %d", u.Loc, rec.Code)
		}
	}
	for _, a := range s.Articles() {
		if _, ok := locs[testBase+a.Path()]; !ok {
			t.Errorf("sitemap lacks %s", a.Path())
		}
	}
}

func TestHandlerErrors(t *testing.T) {
	s := newTestSite(t)
	tests := []struct {
		name, method, path string
		want               int
	}{
		{"missing page", http.MethodGet, "/articles/nope.html", http.StatusNotFound},
		{"section without slash", http.MethodGet, "/europe", http.StatusMovedPermanently},
		{"post", http.MethodPost, "/", http.StatusMethodNotAllowed},
		{"head", http.MethodHead, "/feed.xml", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d", rec.Code, tc.want)
			}
		})
	}
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	base, err := Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("base %q", base)
	}
	resp, err := http.Get(base + "/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(base+"/articles/")) {
		t.Fatalf("feed status %d, absolute links missing", resp.StatusCode)
	}
	cancel()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c := &http.Client{Timeout: time.Second}
		resp, err := c.Get(base + "/")
		if err != nil {
			break
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("server still answering after cancel")
		}
	}
	if _, err := Serve(context.Background(), "not-an-address"); err == nil {
		t.Error("Serve accepted a bad address")
	}
}

func TestServeDefaultsToLoopback(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, err := Serve(ctx, ":0")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("base %q, want loopback", base)
	}
}

func TestConditionalGet(t *testing.T) {
	s := newTestSite(t)
	a := s.Articles()[0]
	req := httptest.NewRequest(http.MethodGet, a.Path(), nil)
	req.Header.Set("If-Modified-Since", a.Updated.UTC().Format(http.TimeFormat))
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Fatalf("status %d, want 304", rec.Code)
	}
	if lm := get(t, s, a.Path()).Header().Get("Last-Modified"); lm != a.Updated.UTC().Format(http.TimeFormat) {
		t.Errorf("Last-Modified %q", lm)
	}
}
