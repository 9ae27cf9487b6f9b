package crawl

import (
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseSources(t *testing.T) {
	cases := []struct {
		name    string
		yaml    string
		wantErr bool
		check   func(t *testing.T, s []Source)
	}{
		{
			name: "full",
			yaml: `sources:
  - name: coastal
    start_urls: [https://www.coastal.example/]
    feeds: [https://www.coastal.example/rss.xml]
    sitemaps: [https://www.coastal.example/news-sitemap.xml]
    include: ['/news/']
    exclude: ['/tag/']
    max_depth: 3
    recrawl: 10m
    revisit: 6h
    revisit_max: 48h
`,
			check: func(t *testing.T, s []Source) {
				if s[0].Name != "coastal" || s[0].MaxDepth != 3 || s[0].Recrawl != 10*time.Minute ||
					s[0].Revisit != 6*time.Hour || s[0].RevisitMax != 48*time.Hour {
					t.Fatalf("%+v", s[0])
				}
				if !s[0].allowsHost("coastal.example") || !s[0].allowsHost("www.coastal.example") || s[0].allowsHost("evil.example") {
					t.Fatal("default allowed hosts wrong")
				}
				ok, _ := url.Parse("https://coastal.example/news/a")
				tag, _ := url.Parse("https://coastal.example/news/tag/a")
				other, _ := url.Parse("https://coastal.example/sport/a")
				if !s[0].allowsURL(ok) || s[0].allowsURL(tag) || s[0].allowsURL(other) {
					t.Fatal("include/exclude wrong")
				}
			},
		},
		{
			name: "bare list and defaults",
			yaml: "- start_urls: [http://news.example/]\n",
			check: func(t *testing.T, s []Source) {
				if s[0].Name != "news.example" || s[0].MaxDepth != DefaultMaxDepth || s[0].Recrawl != DefaultRecrawl ||
					s[0].Revisit != DefaultRevisit || s[0].RevisitMax != DefaultRevisitMax {
					t.Fatalf("%+v", s[0])
				}
			},
		},
		{name: "no urls", yaml: "sources:\n  - name: x\n", wantErr: true},
		{name: "bad revisit", yaml: "sources:\n  - start_urls: [http://x/]\n    revisit: daily\n", wantErr: true},
		{name: "revisit_max under revisit", yaml: "sources:\n  - start_urls: [http://x/]\n    revisit: 48h\n    revisit_max: 1h\n", wantErr: true},
		{name: "bad url", yaml: "sources:\n  - start_urls: [ftp://x/]\n", wantErr: true},
		{name: "bad regexp", yaml: "sources:\n  - start_urls: [http://x/]\n    include: ['(']\n", wantErr: true},
		{name: "bad recrawl", yaml: "sources:\n  - start_urls: [http://x/]\n    recrawl: often\n", wantErr: true},
		{name: "unknown field", yaml: "sources:\n  - start_urls: [http://x/]\n    stat_urls: [http://y/]\n", wantErr: true},
		{name: "duplicate", yaml: "sources:\n  - start_urls: [http://x/]\n  - start_urls: [http://x/a]\n", wantErr: true},
		{name: "empty", yaml: "sources: []\n", wantErr: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseSources([]byte(c.yaml))
			if c.wantErr {
				if !errors.Is(err, ErrConfig) {
					t.Fatalf("err = %v, want ErrConfig", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, s)
		})
	}
}

func TestLoadSources(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sources.yaml")
	if err := os.WriteFile(p, []byte("sources:\n  - start_urls: [https://a.example/]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSources(p)
	if err != nil || len(s) != 1 {
		t.Fatalf("%v %v", s, err)
	}
	if _, err := LoadSources(filepath.Join(t.TempDir(), "missing.yaml")); !errors.Is(err, ErrConfig) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestSourcesFromURLs(t *testing.T) {
	s, err := SourcesFromURLs([]string{"https://a.example/", "https://a.example/feed.xml", "https://a.example/sitemap.xml", "https://b.example/x"})
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 2 || len(s[0].StartURLs) != 1 || len(s[0].Feeds) != 1 || len(s[0].Sitemaps) != 1 || s[1].Name != "b.example" {
		t.Fatalf("%+v", s)
	}
}

func TestArticleScore(t *testing.T) {
	cases := []struct {
		name  string
		url   string
		sig   pageSignals
		words int
		want  bool
	}{
		{"json-ld news article", "https://x.example/a", pageSignals{ldArticle: true, paragraphs: 4}, 400, true},
		{"og article with slug", "https://x.example/world/police-arrest-three-men-after-raid", pageSignals{ogType: "article", paragraphs: 5}, 250, true},
		{"dated url with prose, no markup", "https://x.example/2024/05/02/storm", pageSignals{paragraphs: 6, textChars: 3000, linkChars: 300}, 450, true},
		{"front page", "https://x.example/", pageSignals{ogType: "website", textChars: 2000, linkChars: 1500}, 120, false},
		{"section page", "https://x.example/section/world", pageSignals{ldCollection: true, textChars: 1000, linkChars: 800}, 90, false},
		{"tag page", "https://x.example/tag/storms", pageSignals{textChars: 500, linkChars: 400}, 40, false},
		{"section page of teasers with standfirsts", "https://x.example/world/", pageSignals{ogType: "website", textChars: 4000, linkChars: 900, paragraphs: 10, headlineLinks: 12}, 420, false},
		{"section page of teasers, no og:type", "https://x.example/world/", pageSignals{textChars: 4000, linkChars: 900, paragraphs: 10, headlineLinks: 12}, 420, false},
		{"article with a related-stories box", "https://x.example/world/police-arrest-three-men-after-raid", pageSignals{ogType: "article", paragraphs: 9, headlineLinks: 5, textChars: 4000, linkChars: 500}, 450, true},
		{"article with a long most-read list, no markup", "https://x.example/2024/05/02/storm", pageSignals{paragraphs: 12, headlineLinks: 8, textChars: 5000, linkChars: 700}, 600, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, _ := url.Parse(c.url)
			if got := articleScore(u, c.sig, c.words) >= articleThreshold; got != c.want {
				t.Fatalf("article = %v (score %d), want %v", got, articleScore(u, c.sig, c.words), c.want)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name, value string
		want        time.Duration
		ok          bool
	}{
		{"seconds", "120", 2 * time.Minute, true},
		{"date", now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second, true},
		{"past date", now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"missing", "", 0, false},
		{"junk", "soon", 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := http.Header{}
			if c.value != "" {
				h.Set("Retry-After", c.value)
			}
			got, ok := retryAfter(&h, now)
			if got != c.want || ok != c.ok {
				t.Fatalf("= %v %v, want %v %v", got, ok, c.want, c.ok)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	for _, c := range []struct {
		attempt int
		want    time.Duration
	}{{1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {10, 5 * time.Second}} {
		t.Run(time.Duration(c.attempt).String(), func(t *testing.T) {
			if got := backoff(time.Second, 5*time.Second, c.attempt); got != c.want {
				t.Fatalf("backoff(%d) = %v, want %v", c.attempt, got, c.want)
			}
		})
	}
}

func TestInternalAddr(t *testing.T) {
	for _, c := range []struct {
		addr string
		want bool
	}{
		{"127.0.0.1", true}, {"10.1.2.3", true}, {"192.168.0.1", true}, {"172.16.5.4", true},
		{"169.254.169.254", true}, {"100.64.0.1", true}, {"0.0.0.0", true}, {"::1", true},
		{"fe80::1", true}, {"fd00::1", true}, {"::ffff:127.0.0.1", true},
		{"93.184.216.34", false}, {"2606:2800:220:1::1", false},
	} {
		t.Run(c.addr, func(t *testing.T) {
			if got := internalAddr(netip.MustParseAddr(c.addr)); got != c.want {
				t.Fatalf("internalAddr(%s) = %v", c.addr, got)
			}
		})
	}
}

func TestXMLRoot(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"rss", `<?xml version="1.0"?><rss version="2.0">`, "rss"},
		{"atom", "\ufeff<?xml version='1.0'?>\n<!-- c --><feed xmlns=\"http://www.w3.org/2005/Atom\">", "feed"},
		{"rdf", `<rdf:RDF xmlns:rdf="x">`, "rdf"},
		{"sitemap", `<?xml version="1.0"?><urlset xmlns="x">`, "urlset"},
		{"index", `<sitemapindex>`, "sitemapindex"},
		{"html", `<!DOCTYPE html><html>`, ""},
		{"text", `hello`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := xmlRoot([]byte(c.in)); got != c.want {
				t.Fatalf("xmlRoot = %q, want %q", got, c.want)
			}
		})
	}
}

func TestNewestSitemapEntries(t *testing.T) {
	es := []sitemapEntry{
		{Loc: "a", LastMod: "2024-01-01"},
		{Loc: "b"},
		{Loc: "c", LastMod: "2024-03-01T10:00:00Z"},
		{Loc: "d", News: struct {
			Published string `xml:"publication_date"`
		}{Published: "2024-02-01"}},
	}
	got := newest(es, 3)
	var locs []string
	for _, e := range got {
		locs = append(locs, e.Loc)
	}
	if strings.Join(locs, ",") != "c,d,a" {
		t.Fatalf("newest = %v", locs)
	}
}
