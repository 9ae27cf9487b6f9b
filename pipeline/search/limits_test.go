package search_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/index"
	"github.com/newswire/newswire/pipeline/index/bleve"
	"github.com/newswire/newswire/pipeline/index/indextest"
	"github.com/newswire/newswire/pipeline/search"
)

// probe wraps a backend: it records the requests it gets and, when slow
// is set, blocks each call until its context ends.
type probe struct {
	index.Backend
	slow  bool
	mu    sync.Mutex
	reqs  []index.Request
	calls int
}

func (p *probe) wait(ctx context.Context) error {
	p.mu.Lock()
	p.calls++
	p.mu.Unlock()
	if !p.slow {
		return nil
	}
	<-ctx.Done()
	return ctx.Err()
}

func (p *probe) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	p.mu.Lock()
	p.reqs = append(p.reqs, req)
	p.mu.Unlock()
	if err := p.wait(ctx); err != nil {
		return nil, err
	}
	return p.Backend.Search(ctx, req)
}

func (p *probe) Get(ctx context.Context, id string) (*article.Enriched, error) {
	if err := p.wait(ctx); err != nil {
		return nil, err
	}
	return p.Backend.Get(ctx, id)
}

func newProbe(t *testing.T, slow bool, docs []*article.Enriched) *probe {
	t.Helper()
	b, err := bleve.Open("", bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close(context.Background()) })
	if _, err := b.Index(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	return &probe{Backend: b, slow: slow}
}

func status(t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// endpoints are every /api endpoint with a valid request.
var endpoints = []struct{ name, path string }{
	{"search", "/api/search?q=kabul&facets=1&events=1"},
	{"article", "/api/articles/a1"},
	{"timeline", "/api/timeline?q=kabul"},
	{"incidents", "/api/incidents?q=kabul"},
}

func TestLimitsEveryEndpoint(t *testing.T) {
	t.Run("token", func(t *testing.T) {
		p := newProbe(t, false, indextest.Articles())
		srv := httptest.NewServer(search.NewHandler(p, indextest.Resolver{}, search.Options{Token: "s3cret"}))
		defer srv.Close()
		for _, ep := range endpoints {
			t.Run(ep.name, func(t *testing.T) {
				for _, tok := range []string{"", "wrong", "s3cretx"} {
					if code := status(t, srv.URL+ep.path, tok); code != http.StatusUnauthorized {
						t.Errorf("token %q: %d, want 401", tok, code)
					}
				}
				if code := status(t, srv.URL+ep.path, "s3cret"); code != http.StatusOK {
					t.Errorf("right token: %d, want 200", code)
				}
			})
		}
		if p.calls != len(endpoints) {
			t.Errorf("backend called %d times, want %d (only with the token)", p.calls, len(endpoints))
		}
		if code := status(t, srv.URL+"/healthz", ""); code != http.StatusOK {
			t.Errorf("healthz without token: %d", code)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		p := newProbe(t, true, indextest.Articles())
		srv := httptest.NewServer(search.NewHandler(p, indextest.Resolver{}, search.Options{Timeout: 50 * time.Millisecond}))
		defer srv.Close()
		for _, ep := range endpoints {
			t.Run(ep.name, func(t *testing.T) {
				if code := status(t, srv.URL+ep.path, ""); code != http.StatusGatewayTimeout {
					t.Errorf("slow backend: %d, want 504", code)
				}
			})
		}
	})
	t.Run("input caps", func(t *testing.T) {
		p := newProbe(t, false, indextest.Articles())
		srv := httptest.NewServer(search.NewHandler(p, indextest.Resolver{}, search.Options{}))
		defer srv.Close()
		long := strings.Repeat("kabul ", 200) // 1200 bytes, over the 1024 limit
		deep := strings.Repeat("(", 20) + "kabul" + strings.Repeat(")", 20)
		tests := []struct{ name, path string }{
			{"search query length", "/api/search?q=" + long},
			{"search nesting", "/api/search?q=" + deep},
			{"search depth", "/api/search?from=9995&size=10"},
			{"search size", "/api/search?size=101"},
			{"search facet size", "/api/search?facets=1&facet_size=1000"},
			{"search negative offset", "/api/search?from=-1"},
			{"timeline query length", "/api/timeline?q=" + long},
			{"timeline nesting", "/api/timeline?q=" + deep},
			{"timeline bad query", "/api/timeline?q=author:x"},
			{"article id length", "/api/articles/" + strings.Repeat("a", search.MaxIDLength+1)},
			{"incidents query length", "/api/incidents?q=" + long},
			{"incidents nesting", "/api/incidents?q=" + deep},
			{"incidents bad query", "/api/incidents?q=author:x"},
			{"incidents limit", "/api/incidents?limit=1001"},
			{"incidents type", "/api/incidents?type=parade"},
			{"incidents date", "/api/incidents?to=yesterday"},
			{"incidents place length", "/api/incidents?place=" + strings.Repeat("a", search.MaxIDLength+1)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p.calls = 0
				if code := status(t, srv.URL+tt.path, ""); code != http.StatusBadRequest {
					t.Errorf("GET %.80s = %d, want 400", tt.path, code)
				}
				if p.calls != 0 {
					t.Errorf("backend called for a refused request")
				}
			})
		}
	})
	t.Run("timeline page depth", func(t *testing.T) {
		shared := newProbe(t, false, indextest.Generate(150, 3))
		tests := []struct {
			name      string
			articles  int
			wantDepth int
		}{
			{"default", 0, 150}, // fewer matches than the default 2000: stops at the end
			{"option", 120, 120},
			{"above the cap", 50000, 150},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := &probe{Backend: shared.Backend}
				srv := httptest.NewServer(search.NewHandler(p, nil, search.Options{TimelineArticles: tt.articles}))
				defer srv.Close()
				code, m := get(t, srv.URL+"/api/timeline", "")
				if code != http.StatusOK {
					t.Fatalf("timeline: %d %v", code, m)
				}
				depth := 0
				for _, r := range p.reqs {
					if r.Size > index.MaxSize || r.From+r.Size > index.MaxPageDepth {
						t.Errorf("request beyond the caps: from %d size %d", r.From, r.Size)
					}
					depth = max(depth, r.From+r.Size)
				}
				if m["counted"].(float64) != float64(tt.wantDepth) {
					t.Errorf("counted %v, want %d", m["counted"], tt.wantDepth)
				}
				if depth < tt.wantDepth || depth > max(tt.wantDepth, 200) {
					t.Errorf("paged to %d, want about %d", depth, tt.wantDepth)
				}
			})
		}
	})
	t.Run("incidents page depth", func(t *testing.T) {
		docs := indextest.Generate(150, 3)
		withEvents := 0
		for _, d := range docs[:120] {
			if len(d.Events) > 0 {
				withEvents++
			}
		}
		shared := newProbe(t, false, docs)
		tests := []struct {
			name     string
			articles int
			capped   bool
			wantRead int
		}{
			{"default", 0, false, 150}, // fewer matches than the default 1000: stops at the end
			{"option", 120, true, 120},
			{"above the cap", 50000, false, 150},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := &probe{Backend: shared.Backend}
				srv := httptest.NewServer(search.NewHandler(p, nil, search.Options{IncidentArticles: tt.articles}))
				defer srv.Close()
				code, m := get(t, srv.URL+"/api/incidents?limit=1000", "")
				if code != http.StatusOK {
					t.Fatalf("incidents: %d %v", code, m)
				}
				for _, r := range p.reqs {
					if r.Size > index.MaxSize || r.From+r.Size > index.MaxPageDepth {
						t.Errorf("request beyond the caps: from %d size %d", r.From, r.Size)
					}
				}
				if m["articles"].(float64) != float64(tt.wantRead) || m["capped"] != tt.capped || m["total"].(float64) != 150 {
					t.Errorf("articles %v capped %v total %v, want %d %v 150", m["articles"], m["capped"], m["total"], tt.wantRead, tt.capped)
				}
				if m["reports"].(float64) == 0 || len(m["incidents"].([]any)) == 0 {
					t.Errorf("no incidents: %v", m["reports"])
				}
				if gets := p.calls - len(p.reqs); gets != 0 {
					t.Errorf("%d Get calls; the events view covers these articles", gets)
				}
			})
		}
		t.Run("events beyond the view", func(t *testing.T) {
			// The place filter needs each article's places: every article
			// with events is read with Get.
			p := &probe{Backend: shared.Backend}
			srv := httptest.NewServer(search.NewHandler(p, nil, search.Options{IncidentArticles: 120}))
			defer srv.Close()
			code, m := get(t, srv.URL+"/api/incidents?place=Europe", "")
			if code != http.StatusOK {
				t.Fatalf("incidents: %d %v", code, m)
			}
			if gets := p.calls - len(p.reqs); gets == 0 || gets > withEvents {
				t.Errorf("%d Get calls, want 1..%d", gets, withEvents)
			}
		})
	})
}
