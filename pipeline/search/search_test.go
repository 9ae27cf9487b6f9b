package search_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newswire/newswire/pipeline/index/bleve"
	"github.com/newswire/newswire/pipeline/index/indextest"
	"github.com/newswire/newswire/pipeline/search"
)

func newServer(t *testing.T, opts search.Options) *httptest.Server {
	t.Helper()
	b, err := bleve.Open("", bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close(context.Background()) })
	if _, err := b.Index(context.Background(), indextest.Articles()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(search.NewHandler(b, indextest.Resolver{}, opts))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url, token string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%s: body %q is not JSON: %v", url, body, err)
	}
	return resp.StatusCode, m
}

func TestHandler(t *testing.T) {
	srv := newServer(t, search.Options{})
	tests := []struct {
		name, path string
		code       int
		check      func(t *testing.T, m map[string]any)
	}{
		{"search", "/api/search?q=group:ISIS-K&facets=1&events=1", 200, func(t *testing.T, m map[string]any) {
			if m["total"].(float64) != 2 || m["facets"] == nil || m["events"] == nil {
				t.Errorf("body = %v", m)
			}
		}},
		{"date sort and paging", "/api/search?sort=date&from=1&size=1", 200, func(t *testing.T, m map[string]any) {
			hits := m["hits"].([]any)
			if len(hits) != 1 || hits[0].(map[string]any)["id"] != "a2" {
				t.Errorf("hits = %v", hits)
			}
		}},
		{"bad query", "/api/search?q=%22car", 400, func(t *testing.T, m map[string]any) {
			if !strings.Contains(m["error"].(string), "unterminated quote") {
				t.Errorf("error = %v", m["error"])
			}
		}},
		{"unknown field", "/api/search?q=author:x", 400, nil},
		{"size cap", "/api/search?size=1000", 400, nil},
		{"depth cap", "/api/search?from=20000", 400, nil},
		{"bad number", "/api/search?from=abc", 400, nil},
		{"bad sort", "/api/search?sort=random", 400, nil},
		{"long query", "/api/search?q=" + strings.Repeat("a", 2000), 400, nil},
		{"article", "/api/articles/a1", 200, func(t *testing.T, m map[string]any) {
			if m["id"] != "a1" {
				t.Errorf("body = %v", m)
			}
		}},
		{"missing article", "/api/articles/zzz", 404, nil},
		{"unknown endpoint", "/api/nothing", 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, m := get(t, srv.URL+tt.path, "")
			if code != tt.code {
				t.Fatalf("GET %s = %d %v, want %d", tt.path, code, m, tt.code)
			}
			if tt.check != nil {
				tt.check(t, m)
			}
		})
	}
}

func TestToken(t *testing.T) {
	srv := newServer(t, search.Options{Token: "s3cret"})
	if code, _ := get(t, srv.URL+"/api/search?q=kabul", ""); code != 401 {
		t.Errorf("without token: %d, want 401", code)
	}
	if code, _ := get(t, srv.URL+"/api/search?q=kabul", "wrong"); code != 401 {
		t.Errorf("wrong token: %d, want 401", code)
	}
	if code, _ := get(t, srv.URL+"/api/search?q=kabul", "s3cret"); code != 200 {
		t.Errorf("right token: %d, want 200", code)
	}
}

func TestWriteTable(t *testing.T) {
	b, err := bleve.Open("", bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close(context.Background())
	ctx := context.Background()
	if _, err := b.Index(ctx, indextest.Articles()); err != nil {
		t.Fatal(err)
	}
	res, err := b.Search(ctx, indexRequest("kabul"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := search.WriteTable(&buf, res); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"1 matching articles", "2024-01-15", "Kabul", "bombing", "Islamic State Khorasan Province", "KILLED", "sources:"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
