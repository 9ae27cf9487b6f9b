package demo

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

//go:embed templates/site.html templates/site.css
var templateFS embed.FS

// SiteName is the demo site's masthead.
const SiteName = "The Meridian Wire"

// PrivatePath is a page that robots.txt disallows; a polite crawler never
// fetches it, although the footer of every page links to it.
const PrivatePath = "/private/staff-desk.html"

// page is one pre-rendered response.
type page struct {
	contentType string
	body        []byte
	modified    time.Time
}

// Site is the demo news site: an http.Handler serving pre-rendered pages.
// It is immutable once built and safe for concurrent use.
type Site struct {
	base     string
	articles []Article
	pages    map[string]page
	notFound page
}

// NewSite renders the whole site for the given base URL (scheme and host,
// e.g. "http://127.0.0.1:8181"), which canonical links, the feed and the
// sitemap use for absolute URLs.
func NewSite(baseURL string) (*Site, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%w: %q (want scheme://host[:port])", ErrBadBaseURL, baseURL)
	}
	arts, err := Articles()
	if err != nil {
		return nil, err
	}
	s := &Site{base: strings.TrimSuffix(baseURL, "/"), articles: arts, pages: map[string]page{}}
	if err := s.render(); err != nil {
		return nil, err
	}
	return s, nil
}

// BaseURL is the base URL the site was rendered for, without a trailing slash.
func (s *Site) BaseURL() string { return s.base }

// Articles returns the site's articles, newest first. The caller may modify
// the returned slice but not the articles' Tags or Blocks.
func (s *Site) Articles() []Article { return append([]Article(nil), s.articles...) }

// URL is the absolute URL of an article.
func (s *Site) URL(a *Article) string { return s.base + a.Path() }

// Paths lists every path the site serves, crawlable or not, in no set order.
func (s *Site) Paths() []string {
	out := make([]string, 0, len(s.pages))
	for p := range s.pages {
		out = append(out, p)
	}
	return out
}

// ServeHTTP serves GET and HEAD for the site's pages. A section path without
// its trailing slash redirects to it; anything else is 404.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p, ok := s.pages[r.URL.Path]
	if !ok {
		if _, dir := s.pages[r.URL.Path+"/"]; dir && r.URL.Path != "" {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		nf := s.notFound
		w.Header().Set("Content-Type", nf.contentType)
		w.WriteHeader(http.StatusNotFound)
		if r.Method == http.MethodGet {
			_, _ = w.Write(nf.body)
		}
		return
	}
	w.Header().Set("Content-Type", p.contentType)
	w.Header().Set("Cache-Control", "public, max-age=300")
	http.ServeContent(w, r, "", p.modified, bytes.NewReader(p.body))
}

// Serve starts the demo site on addr (host:port; an empty host means
// 127.0.0.1, port 0 any free port) and returns its base URL, e.g.
// "http://127.0.0.1:41234", once it accepts connections. The server stops
// when ctx is cancelled.
func Serve(ctx context.Context, addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("demo site address %q: %w", addr, err)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return "", fmt.Errorf("demo site listen: %w", err)
	}
	base := "http://" + ln.Addr().String()
	site, err := NewSite(base)
	if err != nil {
		_ = ln.Close()
		return "", err
	}
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			// The listener failed after start-up; nothing is left to report to.
			_ = ln.Close()
		}
	}()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			_ = srv.Close()
		}
	}()
	return base, nil
}

// view is what the templates see.
type view struct {
	SiteName    string
	Base        string
	Sections    []Section
	Path        string
	Heading     string
	Description string
	// Article pages.
	Article     *Article
	SectionName string
	JSONLD      template.JS
	Related     []*Article
	Latest      []*Article
	// List pages.
	Lead         *Article
	List         []*Article
	ShowSections bool
	// Plain pages.
	Paragraphs []string
	NoIndex    bool
}

func (s *Site) render() error {
	tmpl, err := template.New("site").Funcs(template.FuncMap{
		"iso":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"long": func(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 UTC") },
	}).ParseFS(templateFS, "templates/site.html")
	if err != nil {
		return fmt.Errorf("parse templates: %w", err)
	}
	sections := Sections()
	secName := map[string]string{}
	for _, sec := range sections {
		secName[sec.Slug] = sec.Name
	}
	all := make([]*Article, len(s.articles))
	for i := range s.articles {
		all[i] = &s.articles[i]
	}
	newest := time.Time{}
	for _, a := range all {
		if a.Updated.After(newest) {
			newest = a.Updated
		}
	}
	base := func(path string) view {
		return view{SiteName: SiteName, Base: s.base, Sections: sections, Path: path}
	}
	put := func(path, name string, v view, modified time.Time) error {
		var buf bytes.Buffer
		if err := tmpl.ExecuteTemplate(&buf, name, v); err != nil {
			return fmt.Errorf("render %s: %w", path, err)
		}
		s.pages[path] = page{contentType: "text/html; charset=utf-8", body: buf.Bytes(), modified: modified}
		return nil
	}

	// Home page.
	v := base("/")
	v.Heading, v.Description = "Latest world news", "Security, conflict and counter-terrorism reporting from our correspondents worldwide."
	if len(all) > 0 {
		v.Lead, v.List = all[0], all[1:]
	}
	v.ShowSections = true
	if err := put("/", "list", v, newest); err != nil {
		return err
	}
	// Section pages.
	for _, sec := range sections {
		var list []*Article
		for _, a := range all {
			if sec.Slug == "world" || a.Section == sec.Slug {
				list = append(list, a)
			}
		}
		v := base(sec.Path())
		v.Heading = sec.Name
		v.Description = fmt.Sprintf("%s news: the latest reports from %s correspondents.", sec.Name, SiteName)
		v.List = list
		if err := put(sec.Path(), "list", v, newest); err != nil {
			return err
		}
	}
	// Article pages.
	for i, a := range all {
		v := base(a.Path())
		v.Article, v.SectionName = a, secName[a.Section]
		ld, err := s.jsonLD(a, v.SectionName)
		if err != nil {
			return err
		}
		v.JSONLD = template.JS(ld)
		v.Related = related(all, i, 3)
		for _, b := range all {
			if b != a && len(v.Latest) < 5 {
				v.Latest = append(v.Latest, b)
			}
		}
		if err := put(a.Path(), "article", v, a.Updated); err != nil {
			return err
		}
	}
	// Plain pages.
	about := base("/about.html")
	about.Heading = "About " + SiteName
	about.Paragraphs = []string{
		SiteName + " is the demonstration news site of the newswire project. Its stories are written for the project and describe invented events with invented people; the places and the well-known organisations they mention are real.",
		"Privacy: this site sets no cookies and keeps no logs beyond the lifetime of the demo process.",
		"Corrections: none of these stories is true, so there is nothing to correct.",
	}
	if err := put("/about.html", "plain", about, newest); err != nil {
		return err
	}
	priv := base(PrivatePath)
	priv.Heading, priv.NoIndex = "Staff desk (internal)", true
	priv.Paragraphs = []string{
		"Internal page for the news desk. Crawlers are asked by robots.txt to stay out of /private/, and this page must never show up in an index.",
		"Embargoed draft: do not publish before the desk editor signs off.",
	}
	if err := put(PrivatePath, "plain", priv, newest); err != nil {
		return err
	}
	nf := base("/404.html")
	nf.Heading, nf.NoIndex = "Page not found", true
	nf.Paragraphs = []string{"The page you asked for does not exist. Try the home page or one of the sections."}
	if err := put("/404.html", "plain", nf, newest); err != nil {
		return err
	}
	s.notFound = s.pages["/404.html"]
	delete(s.pages, "/404.html")
	css, err := templateFS.ReadFile("templates/site.css")
	if err != nil {
		return fmt.Errorf("read stylesheet: %w", err)
	}
	s.pages["/static/site.css"] = page{contentType: "text/css; charset=utf-8", body: css, modified: newest}

	feed, err := s.feed(all, newest)
	if err != nil {
		return err
	}
	s.pages["/feed.xml"] = page{contentType: "application/rss+xml; charset=utf-8", body: feed, modified: newest}
	sm, err := s.sitemap(all, newest)
	if err != nil {
		return err
	}
	s.pages["/sitemap.xml"] = page{contentType: "application/xml; charset=utf-8", body: sm, modified: newest}
	s.pages["/robots.txt"] = page{contentType: "text/plain; charset=utf-8", modified: newest,
		body: []byte("# " + SiteName + "\nUser-agent: *\nAllow: /\nDisallow: /private/\n\nSitemap: " + s.base + "/sitemap.xml\n")}
	return nil
}

// related picks up to n other articles, same section first, newest first.
func related(all []*Article, self, n int) []*Article {
	var out []*Article
	for pass := 0; pass < 2 && len(out) < n; pass++ {
		for i, a := range all {
			if len(out) == n {
				break
			}
			same := a.Section == all[self].Section
			if i != self && (pass == 0) == same {
				out = append(out, a)
			}
		}
	}
	return out
}

// jsonLD is the schema.org NewsArticle block of an article page.
func (s *Site) jsonLD(a *Article, section string) ([]byte, error) {
	type thing struct {
		Type string `json:"@type"`
		Name string `json:"name"`
		URL  string `json:"url,omitempty"`
	}
	doc := struct {
		Context       string   `json:"@context"`
		Type          string   `json:"@type"`
		Headline      string   `json:"headline"`
		Description   string   `json:"description"`
		DatePublished string   `json:"datePublished"`
		DateModified  string   `json:"dateModified"`
		Author        []thing  `json:"author"`
		Publisher     thing    `json:"publisher"`
		Section       string   `json:"articleSection"`
		Keywords      []string `json:"keywords,omitempty"`
		WordCount     int      `json:"wordCount"`
		Main          string   `json:"mainEntityOfPage"`
		Dateline      string   `json:"dateline,omitempty"`
	}{
		Context: "https://schema.org", Type: "NewsArticle", Headline: a.Title, Description: a.Summary,
		DatePublished: a.Published.UTC().Format(time.RFC3339), DateModified: a.Updated.UTC().Format(time.RFC3339),
		Author:    []thing{{Type: "Person", Name: a.Author}},
		Publisher: thing{Type: "NewsMediaOrganization", Name: SiteName, URL: s.base + "/"},
		Section:   section, Keywords: a.Tags, WordCount: a.Words(), Main: s.URL(a), Dateline: a.Dateline,
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("json-ld for %s: %w", a.Slug, err)
	}
	return b, nil
}

// rss is the RSS 2.0 document of /feed.xml.
type rss struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Atom    string   `xml:"xmlns:atom,attr"`
	DC      string   `xml:"xmlns:dc,attr"`
	Channel struct {
		Title         string `xml:"title"`
		Link          string `xml:"link"`
		Description   string `xml:"description"`
		Language      string `xml:"language"`
		LastBuildDate string `xml:"lastBuildDate"`
		Self          struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
			Type string `xml:"type,attr"`
		} `xml:"atom:link"`
		Items []rssItem `xml:"item"`
	} `xml:"channel"`
}

type rssItem struct {
	Title string `xml:"title"`
	Link  string `xml:"link"`
	GUID  struct {
		IsPermaLink string `xml:"isPermaLink,attr"`
		Value       string `xml:",chardata"`
	} `xml:"guid"`
	PubDate     string `xml:"pubDate"`
	Creator     string `xml:"dc:creator"`
	Category    string `xml:"category"`
	Description string `xml:"description"`
}

func (s *Site) feed(all []*Article, newest time.Time) ([]byte, error) {
	var f rss
	f.Version, f.Atom, f.DC = "2.0", "http://www.w3.org/2005/Atom", "http://purl.org/dc/elements/1.1/"
	c := &f.Channel
	c.Title, c.Link, c.Language = SiteName, s.base+"/", "en"
	c.Description = "All stories from " + SiteName + ", newest first."
	c.LastBuildDate = newest.UTC().Format(time.RFC1123Z)
	c.Self.Href, c.Self.Rel, c.Self.Type = s.base+"/feed.xml", "self", "application/rss+xml"
	secName := map[string]string{}
	for _, sec := range Sections() {
		secName[sec.Slug] = sec.Name
	}
	for _, a := range all {
		it := rssItem{Title: a.Title, Link: s.URL(a), PubDate: a.Published.UTC().Format(time.RFC1123Z),
			Creator: a.Author, Category: secName[a.Section], Description: a.Summary}
		it.GUID.IsPermaLink, it.GUID.Value = "true", s.URL(a)
		c.Items = append(c.Items, it)
	}
	b, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("render feed: %w", err)
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}

// urlset is the sitemap protocol document of /sitemap.xml.
type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc        string `xml:"loc"`
	LastMod    string `xml:"lastmod"`
	ChangeFreq string `xml:"changefreq,omitempty"`
}

func (s *Site) sitemap(all []*Article, newest time.Time) ([]byte, error) {
	u := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	mod := newest.UTC().Format(time.RFC3339)
	u.URLs = append(u.URLs, sitemapURL{Loc: s.base + "/", LastMod: mod, ChangeFreq: "hourly"})
	for _, sec := range Sections() {
		u.URLs = append(u.URLs, sitemapURL{Loc: s.base + sec.Path(), LastMod: mod, ChangeFreq: "hourly"})
	}
	for _, a := range all {
		u.URLs = append(u.URLs, sitemapURL{Loc: s.URL(a), LastMod: a.Updated.UTC().Format(time.RFC3339), ChangeFreq: "never"})
	}
	b, err := xml.MarshalIndent(u, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("render sitemap: %w", err)
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}
