package app

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/article/seeds"
	"github.com/newswire/newswire/pipeline/index"
)

type seedPage struct {
	slug, title string
	paras       []string
}

// loadSeeds reads the sample articles: the first non-empty line is the
// title, the rest the body.
func loadSeeds(t *testing.T) []seedPage {
	files := seeds.Files(t)
	var out []seedPage
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, l := range strings.Split(string(data), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		out = append(out, seedPage{
			slug:  strings.TrimSuffix(filepath.Base(f), ".txt"),
			title: lines[0],
			paras: lines[1:],
		})
	}
	return out
}

// seedSite serves the sample articles as HTML pages with an index page.
func seedSite(pages []seedPage) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		var b bytes.Buffer
		b.WriteString("<!doctype html><html><head><title>Seed news</title></head><body><h1>Latest</h1><ul>")
		for _, p := range pages {
			fmt.Fprintf(&b, `<li><a href="/news/%s.html">%s</a></li>`, p.slug, html.EscapeString(p.title))
		}
		b.WriteString("</ul></body></html>")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b.Bytes())
	})
	for _, p := range pages {
		mux.HandleFunc("/news/"+p.slug+".html", func(w http.ResponseWriter, _ *http.Request) {
			var b bytes.Buffer
			t := html.EscapeString(p.title)
			fmt.Fprintf(&b, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s</title>
<meta property="og:type" content="article"><meta property="og:title" content="%s"></head>
<body><nav><a href="/">Home</a> | <a href="/">World</a> | <a href="/">Security</a></nav>
<article><h1>%s</h1>`, t, t, t)
			for _, para := range p.paras {
				fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(para))
			}
			b.WriteString(`</article><footer><p>Share this story. All rights reserved.</p></footer></body></html>`)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(b.Bytes())
		})
	}
	return mux
}

// TestEndToEndSeeds serves the five sample articles from a test server and
// runs every stage in one process on an in-process NATS server and a Bleve
// index: each article must be searchable with its people and places.
func TestEndToEndSeeds(t *testing.T) {
	pages := loadSeeds(t)
	site := httptest.NewServer(seedSite(pages))
	defer site.Close()

	o := &Options{DataDir: t.TempDir(), LogLevel: "warn"}
	f := &stageFlags{rules: filepath.Join(t.TempDir(), "rules.yaml")}
	if err := os.WriteFile(f.rules, demoRules, 0o644); err != nil {
		t.Fatal(err)
	}
	cf := &crawlFlags{allowPrivate: true, startURLs: []string{site.URL + "/"}, delay: time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	var docs []*article.Enriched
	var titleHits map[string]int
	var entityHits map[string]int
	var logs bytes.Buffer
	err := runNode(ctx, o, f, cf, &logs, runOptions{afterCrawl: func(ctx context.Context, n *node) error {
		if err := n.env.waitIdle(ctx, 3*time.Minute, StageExtract, StageIndex, StageAlert); err != nil {
			return err
		}
		res, err := n.backend.Search(ctx, index.Request{Query: "", Size: 50})
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			d, err := n.backend.Get(ctx, h.ID)
			if err != nil {
				return err
			}
			docs = append(docs, d)
		}
		titleHits = map[string]int{}
		for _, p := range pages {
			// a distinctive phrase of the title, as a user would type it
			words := strings.Fields(p.title)
			q := `"` + strings.Join(words[:min(4, len(words))], " ") + `"`
			r, err := n.backend.Search(ctx, index.Request{Query: q})
			if err != nil {
				return fmt.Errorf("search %s: %w", q, err)
			}
			titleHits[p.slug] = r.Total
		}
		entityHits = map[string]int{}
		for _, q := range []string{"place:Europe", "group:ISIS", "group:ISKP", "place:Moscow"} {
			r, err := n.backend.Search(ctx, index.Request{Query: q, Resolver: n.resolver})
			if err != nil {
				return fmt.Errorf("search %s: %w", q, err)
			}
			entityHits[q] = r.Total
		}
		return nil
	}})
	if err != nil {
		t.Fatalf("pipeline: %v\nlogs:\n%s", err, logs.String())
	}
	if len(docs) != len(pages) {
		t.Fatalf("indexed %d articles, want %d", len(docs), len(pages))
	}
	for slug, n := range titleHits {
		if n < 1 {
			t.Errorf("article %s not found by a phrase of its title", slug)
		}
	}
	people, places := map[string]bool{}, map[string]bool{}
	for _, d := range docs {
		for _, p := range d.People {
			people[p.Name] = true
		}
		for _, p := range d.Places {
			places[p.Name] = true
		}
	}
	t.Logf("people: %v", keys(people))
	t.Logf("places: %v", keys(places))
	for _, want := range []string{"Europe", "Moscow", "Afghanistan", "France", "Iran"} {
		if !places[want] {
			t.Errorf("place %q not extracted", want)
		}
	}
	if len(people) < 3 {
		t.Errorf("only %d people extracted", len(people))
	}
	for q, n := range entityHits {
		if n < 1 {
			t.Errorf("%s finds no article", q)
		}
	}
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
