package crawl

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"mime"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"
	"github.com/mmcdole/gofeed"

	"github.com/newswire/newswire/extractors/text"
)

// Caps on what one sitemap file adds, newest first by lastmod (or news
// publication date): sitemap indexes of large sites list years of archives.
const (
	maxSitemapChildren = 50
	maxSitemapURLs     = 5000
)

type sitemapEntry struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
	News    struct {
		Published string `xml:"publication_date"`
	} `xml:"news"`
}

func (e sitemapEntry) when() time.Time {
	for _, s := range []string{e.News.Published, e.LastMod} {
		s = strings.TrimSpace(s)
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t
			}
		}
	}
	return time.Time{}
}

// newest sorts entries newest first (undated ones keep their order, last)
// and keeps at most n.
func newest(es []sitemapEntry, n int) []sitemapEntry {
	sort.SliceStable(es, func(i, j int) bool { return es[i].when().After(es[j].when()) })
	return es[:min(n, len(es))]
}

func (r *round) handleSitemap(resp *colly.Response, root string, hop int, recentOnly bool) {
	var sm struct {
		URLs     []sitemapEntry `xml:"url"`
		Sitemaps []sitemapEntry `xml:"sitemap"`
	}
	if err := xml.Unmarshal(resp.Body, &sm); err != nil {
		r.c.errs.Add(1)
		r.c.m.errors.WithLabelValues("sitemap_parse").Inc()
		r.c.log.Warn("bad sitemap", "url", resp.Request.URL.String(), "err", err)
		return
	}
	if len(sm.Sitemaps) > maxSitemapChildren || len(sm.URLs) > maxSitemapURLs {
		r.c.log.Info("sitemap capped", "url", resp.Request.URL.String(), "sitemaps", len(sm.Sitemaps), "urls", len(sm.URLs))
	}
	childKind := kindSitemap
	cutoff := time.Time{}
	if recentOnly {
		childKind = kindRecentSitemap
		cutoff = time.Now().Add(-recentSitemapAge)
	}
	for _, s := range newest(sm.Sitemaps, maxSitemapChildren) {
		if recentOnly && s.when().Before(cutoff) {
			continue
		}
		r.enqueue(strings.TrimSpace(s.Loc), childKind, hop, false)
	}
	for _, u := range newest(sm.URLs, maxSitemapURLs) {
		if recentOnly && u.when().Before(cutoff) {
			continue
		}
		r.enqueue(strings.TrimSpace(u.Loc), kindPage, hop+1, false)
	}
}

func (r *round) handleFeed(resp *colly.Response, hop int) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(resp.Body))
	if err != nil {
		r.c.errs.Add(1)
		r.c.m.errors.WithLabelValues("feed_parse").Inc()
		r.c.log.Warn("bad feed", "url", resp.Request.URL.String(), "err", err)
		return
	}
	for _, it := range feed.Items {
		link := it.Link
		if link == "" && len(it.Links) > 0 {
			link = it.Links[0]
		}
		if link == "" {
			continue
		}
		if abs, err := resp.Request.URL.Parse(strings.TrimSpace(link)); err == nil {
			r.enqueue(abs.String(), kindPage, hop+1, false)
		}
	}
}

// outcome is what a fetch of a page found, for the URL's state.
type outcome struct {
	article bool
	hash    string // the article's ContentHash
	changed bool   // the article was new or changed, and published
}

// handlePage follows a page's links and publishes it if it is an article.
// ok is false when the work failed and must be done again.
func (r *round) handlePage(resp *colly.Response, hop int) (out outcome, ok bool) {
	pageURL := resp.Request.URL
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(resp.Body))
	if err != nil {
		r.c.errs.Add(1)
		r.c.m.errors.WithLabelValues("html_parse").Inc()
		return outcome{}, true
	}
	base := pageURL
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := pageURL.Parse(strings.TrimSpace(href)); err == nil {
			base = b
		}
	}
	doc.Find(`link[rel~="alternate"]`).Each(func(_ int, s *goquery.Selection) {
		t := strings.ToLower(s.AttrOr("type", ""))
		if strings.Contains(t, "rss") || strings.Contains(t, "atom") {
			if u, err := base.Parse(strings.TrimSpace(s.AttrOr("href", ""))); err == nil {
				r.enqueue(u.String(), kindFeed, hop, false)
			}
		}
	})
	doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
		href := strings.TrimSpace(s.AttrOr("href", ""))
		if href == "" || strings.HasPrefix(href, "#") {
			return
		}
		if u, err := base.Parse(href); err == nil {
			r.enqueue(u.String(), kindPage, hop+1, false)
		}
	})

	ct := resp.Headers.Get("Content-Type")
	if _, params, err := mime.ParseMediaType(ct); err == nil && params["charset"] != "" {
		// colly has already decoded the body to UTF-8.
		ct = "text/html; charset=utf-8"
	}
	a, err := text.Extract(r.ctx, resp.Body, text.Options{URL: pageURL.String(), Fetched: time.Now(), ContentType: ct})
	sig := pageSignalsOf(doc)
	words := 0
	if err == nil {
		words = len(strings.Fields(a.Text))
	}
	score := articleScore(pageURL, sig, words)
	if err != nil || score < articleThreshold {
		r.c.notArticles.Add(1)
		r.c.m.fetched.WithLabelValues(r.src.Name, "index").Inc()
		if err != nil && !errors.Is(err, text.ErrNoText) {
			r.c.log.Info("not an article", "url", pageURL.String(), "err", err)
		}
		return outcome{}, true
	}
	r.c.m.fetched.WithLabelValues(r.src.Name, "article").Inc()
	prev, _ := resp.Ctx.GetAny(ctxPrev).(URLState)
	changed, err := r.publish(a, pageURL.String(), prev)
	if err != nil {
		markFailed(resp.Ctx)
		return outcome{}, false
	}
	r.c.noteArticle(r.src, pageURL.String(), changed, time.Now())
	return outcome{article: true, hash: a.ContentHash, changed: changed}, true
}

// pageSignals are what a page's markup says about whether it is an article.
type pageSignals struct {
	ldArticle, ldCollection bool
	ogType                  string
	textChars, linkChars    int
	paragraphs              int
	// headlineLinks counts links that wrap a heading or read like a
	// headline (six words or more): the teasers of a front or section page.
	headlineLinks int
}

var articleTypes = map[string]bool{
	"newsarticle": true, "article": true, "reportagenewsarticle": true, "analysisnewsarticle": true,
	"opinionnewsarticle": true, "backgroundnewsarticle": true, "reviewnewsarticle": true,
	"blogposting": true, "liveblogposting": true, "report": true, "scholarlyarticle": true,
}

var collectionTypes = map[string]bool{
	"collectionpage": true, "itemlist": true, "searchresultspage": true, "profilepage": true,
}

func pageSignalsOf(doc *goquery.Document) pageSignals {
	var s pageSignals
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, sel *goquery.Selection) {
		var v any
		if json.Unmarshal([]byte(sel.Text()), &v) != nil {
			return
		}
		walkTypes(v, 0, func(t string) {
			t = strings.ToLower(t)
			t = t[strings.LastIndexAny(t, "/:")+1:]
			if articleTypes[t] {
				s.ldArticle = true
			}
			if collectionTypes[t] {
				s.ldCollection = true
			}
		})
	})
	s.ogType = strings.ToLower(strings.TrimSpace(doc.Find(`meta[property="og:type"]`).AttrOr("content", "")))
	body := doc.Find("body")
	body.Find("script,style,noscript,template").Remove()
	s.textChars = len(strings.Join(strings.Fields(body.Text()), " "))
	body.Find("a").Each(func(_ int, a *goquery.Selection) {
		words := strings.Fields(a.Text())
		s.linkChars += len(strings.Join(words, " "))
		if len(words) >= 6 || a.Find("h1,h2,h3,h4").Length() > 0 {
			s.headlineLinks++
		}
	})
	body.Find("p").Each(func(_ int, p *goquery.Selection) {
		if len(strings.Fields(p.Text())) >= 12 {
			s.paragraphs++
		}
	})
	return s
}

// walkTypes calls f with every "@type" in a JSON-LD value.
func walkTypes(v any, depth int, f func(string)) {
	if depth > 6 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		switch t := x["@type"].(type) {
		case string:
			f(t)
		case []any:
			for _, e := range t {
				if s, ok := e.(string); ok {
					f(s)
				}
			}
		}
		for k, e := range x {
			// The page's own type sits at the top or in @graph; nested
			// values (publisher, author, breadcrumbs) are not the page.
			if k == "@graph" || k == "mainEntity" || k == "mainEntityOfPage" {
				walkTypes(e, depth+1, f)
			}
		}
	case []any:
		for _, e := range x {
			walkTypes(e, depth+1, f)
		}
	}
}

// articleThreshold is the least articleScore of an article page.
const articleThreshold = 2

var (
	datePath   = regexp.MustCompile(`/(19|20)\d\d[/-]?(0[1-9]|1[0-2])([/-]?(0[1-9]|[12]\d|3[01]))?(/|-|$)`)
	longNumber = regexp.MustCompile(`\d{6,}`)
	listPath   = regexp.MustCompile(`(?i)/(tag|tags|topic|topics|category|categories|section|author|authors|page|search|archive|archives|index)(/|\.|$)`)
)

// articleScore weighs the evidence that a page is an article rather than a
// front, section or tag page: structured data (JSON-LD, og:type), the shape
// of its URL and how much prose, as opposed to link text, it holds.
func articleScore(u *url.URL, s pageSignals, words int) int {
	score := 0
	if s.ldArticle {
		score += 3
	}
	if s.ldCollection {
		score -= 2
	}
	switch s.ogType {
	case "article", "news", "newsarticle":
		score += 2
	case "website":
		score -= 2
	}
	// A list of teasers (headline links, each with a standfirst) has the
	// prose of an article but is a section page. Articles carry a few
	// headline links too (related stories), so it takes many, and as many
	// as there are paragraphs.
	if !s.ldArticle && s.headlineLinks >= 6 && s.headlineLinks*2 >= s.paragraphs {
		score -= 2
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	last := path[strings.LastIndexByte(path, '/')+1:]
	urlScore := 0
	if datePath.MatchString(u.Path) {
		urlScore++
	}
	if strings.Count(last, "-")+strings.Count(last, "_") >= 3 {
		urlScore++
	}
	if longNumber.MatchString(last) {
		urlScore++
	}
	score += min(urlScore, 2)
	if path == "" {
		score -= 3
	}
	if listPath.MatchString(u.Path) {
		score--
	}
	switch {
	case words >= 300:
		score += 2
	case words >= 150:
		score++
	case words < 60:
		score -= 2
	}
	if s.paragraphs >= 3 {
		score++
	}
	if s.textChars > 0 && float64(s.linkChars)/float64(s.textChars) > 0.5 {
		score -= 2
	}
	return score
}
