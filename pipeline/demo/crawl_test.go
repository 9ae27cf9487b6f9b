package demo

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/gocolly/colly/v2"
)

// TestCollyCrawl crawls the served site the way the crawl stage does: colly,
// robots.txt honoured, links followed from the home page. Every article must
// be reached and the disallowed page never fetched.
func TestCollyCrawl(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, err := Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(base)
	c := colly.NewCollector(colly.AllowedDomains(u.Hostname()), colly.Async(true), colly.MaxDepth(4),
		colly.StdlibContext(ctx))
	c.IgnoreRobotsTxt = false
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: 4}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	visited := map[string]bool{}
	c.OnResponse(func(r *colly.Response) {
		mu.Lock()
		visited[r.Request.URL.Path] = true
		mu.Unlock()
	})
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		_ = e.Request.Visit(e.Attr("href")) // errors: already visited, forbidden by robots
	})
	if err := c.Visit(base + "/"); err != nil {
		t.Fatal(err)
	}
	c.Wait()
	arts, err := Articles()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if !visited[a.Path()] {
			t.Errorf("crawl missed %s", a.Path())
		}
	}
	for p := range visited {
		if strings.HasPrefix(p, "/private/") {
			t.Errorf("crawl fetched %s, disallowed by robots.txt", p)
		}
	}
}
