package es_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/index"
	"github.com/newswire/newswire/pipeline/index/es"
	"github.com/newswire/newswire/pipeline/index/indextest"
)

// fakeES answers as Elasticsearch's REST API documents and records requests.
type fakeES struct {
	mu          sync.Mutex
	calls       []string
	template    map[string]any
	aliasExists bool
	created     map[string]any
	bulk429     int // answer the next N bulk requests with 429
	bulkDocs    []string
	searchBody  map[string]any
}

func (f *fakeES) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("X-Elastic-Product", "Elasticsearch")
	w.Header().Set("Content-Type", "application/json")
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	body, _ := io.ReadAll(r.Body)
	switch {
	case r.Method == http.MethodPut && r.URL.Path == "/_index_template/newswire":
		json.Unmarshal(body, &f.template)
		fmt.Fprint(w, `{"acknowledged":true}`)
	case r.Method == http.MethodHead && r.URL.Path == "/_alias/newswire":
		if !f.aliasExists {
			w.WriteHeader(http.StatusNotFound)
		}
	case r.Method == http.MethodPut && r.URL.Path == "/newswire-000001":
		if f.aliasExists {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":{"type":"resource_already_exists_exception","reason":"index [newswire-000001] already exists"},"status":400}`)
			return
		}
		json.Unmarshal(body, &f.created)
		f.aliasExists = true
		fmt.Fprint(w, `{"acknowledged":true,"shards_acknowledged":true,"index":"newswire-000001"}`)
	case r.Method == http.MethodPost && r.URL.Path == "/newswire/_bulk":
		if f.bulk429 > 0 {
			f.bulk429--
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"error":{"type":"es_rejected_execution_exception","reason":"rejected execution"},"status":429}`)
			return
		}
		var items []string
		sc := bufio.NewScanner(strings.NewReader(string(body)))
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			var meta map[string]map[string]string
			json.Unmarshal(sc.Bytes(), &meta)
			id := meta["index"]["_id"]
			sc.Scan() // the document
			f.bulkDocs = append(f.bulkDocs, id)
			switch id {
			case "bad":
				items = append(items, `{"index":{"_index":"newswire-000001","_id":"bad","status":400,"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [published]","caused_by":{"type":"illegal_argument_exception","reason":"bad date"}}}}`)
			case "busy":
				items = append(items, `{"index":{"_index":"newswire-000001","_id":"busy","status":429,"error":{"type":"es_rejected_execution_exception","reason":"queue full"}}}`)
			case "conflict":
				items = append(items, `{"index":{"_index":"newswire-000001","_id":"conflict","status":409,"error":{"type":"version_conflict_engine_exception","reason":"version conflict"}}}`)
			default:
				items = append(items, fmt.Sprintf(`{"index":{"_index":"newswire-000001","_id":%q,"_version":1,"result":"created","status":201}}`, id))
			}
		}
		fmt.Fprintf(w, `{"took":3,"errors":true,"items":[%s]}`, strings.Join(items, ","))
	case r.URL.Path == "/newswire-*/_search":
		json.Unmarshal(body, &f.searchBody)
		hit, _ := json.Marshal(index.HitFor(indextest.Articles()[0]))
		fmt.Fprintf(w, `{"took":1,"timed_out":false,"hits":{"total":{"value":1,"relation":"eq"},"max_score":1.5,"hits":[
			{"_index":"newswire-000001","_id":"a1","_score":1.5,"_source":{"hit":%s},"highlight":{"text":["A car <mark>bomb</mark> exploded"]}}]},
			"aggregations":{"groups":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"Islamic State Khorasan Province","doc_count":1}]}}}`, hit)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"error":"unexpected %s %s"}`, r.Method, r.URL.Path)
	}
}

func newFake(t *testing.T, f *fakeES) *es.Backend {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	b, err := es.New(context.Background(), es.Config{Addresses: []string{srv.URL}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return b
}

func TestSetupIdempotent(t *testing.T) {
	f := &fakeES{}
	newFake(t, f)
	if f.template == nil || f.template["template"].(map[string]any)["mappings"] == nil {
		t.Fatalf("no template with mappings: %v", f.template)
	}
	aliases, _ := f.created["aliases"].(map[string]any)
	if w, _ := aliases["newswire"].(map[string]any); w["is_write_index"] != true {
		t.Errorf("index created without write alias: %v", f.created)
	}
	f.calls = nil
	newFake(t, f) // alias exists now: template again, no create
	for _, c := range f.calls {
		if strings.HasPrefix(c, "PUT /newswire-") {
			t.Errorf("second start created an index: %v", f.calls)
		}
	}
}

func TestBulkPerItem(t *testing.T) {
	f := &fakeES{bulk429: 1}
	b := newFake(t, f)
	docs := indextest.Articles()[:3]
	docs[1].ID = "bad"
	docs[2].ID = "busy"
	conflict := indextest.Articles()[3]
	conflict.ID = "conflict"
	docs = append(docs, conflict, indextest.Articles()[4])
	perDoc, err := b.Index(context.Background(), docs)
	if err != nil {
		t.Fatalf("Index: %v", err)
	}
	tests := []struct {
		name      string
		i         int
		ok, perma bool
	}{
		{"created", 0, true, false},
		{"mapping error is permanent", 1, false, true},
		{"429 item is transient", 2, false, false},
		{"version conflict is transient", 3, false, false},
		{"created after failures", 4, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := perDoc[tt.i]
			if (err == nil) != tt.ok || errors.Is(err, index.ErrPermanent) != tt.perma {
				t.Errorf("perDoc[%d] = %v", tt.i, err)
			}
		})
	}
	if !strings.Contains(fmt.Sprint(perDoc[1]), "mapper_parsing_exception") {
		t.Errorf("permanent error lacks the reason: %v", perDoc[1])
	}
	if f.bulk429 != 0 || len(f.bulkDocs) != 5 {
		t.Errorf("429 bulk not retried: %d docs seen", len(f.bulkDocs))
	}
}

func TestSearchTranslation(t *testing.T) {
	f := &fakeES{}
	b := newFake(t, f)
	res, err := b.Search(context.Background(), index.Request{
		Query: `group:ISIS-K "car bomb" NOT place:Europe published:2024-01`, Facets: true, Highlight: true,
		Sort: index.SortDate, Resolver: indextest.Resolver{},
	})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	body, _ := json.Marshal(f.searchBody)
	for _, want := range []string{
		`"groups_key":["islamic state khorasan province","isis-k"]`,
		`"match_phrase":{"text":{"query":"car bomb"}}`,
		`"must_not":[{"terms":{"places_key":["europe"]}}]`,
		`"range":{"published":{"gte":"2024-01-01T00:00:00Z","lt":"2024-02-01T00:00:00Z"}}`,
		`"sort":[{"published":{"missing":"_last","order":"desc"}},"_score"`,
		`"pre_tags":["\u003cmark\u003e"]`,
		`"track_total_hits":true`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("search body lacks %s:\n%s", want, body)
		}
	}
	if res.Total != 1 || res.Hits[0].ID != "a1" || res.Hits[0].Title == "" || res.Hits[0].Snippets[0] != "A car <mark>bomb</mark> exploded" {
		t.Errorf("result = %+v", res)
	}
	if g := res.Facets[index.FacetGroups]; len(g) != 1 || g[0].Count != 1 {
		t.Errorf("facets = %v", res.Facets)
	}
	if _, err := b.Search(context.Background(), index.Request{Query: "(kabul"}); !errors.Is(err, index.ErrBadQuery) {
		t.Errorf("bad query error = %v", err)
	}
}

// TestConformanceLive runs the shared suite against a real cluster.
func TestConformanceLive(t *testing.T) {
	url := os.Getenv("NEWSWIRE_ES_URL")
	if url == "" {
		t.Skip("NEWSWIRE_ES_URL not set: skipping the live Elasticsearch conformance suite (start one with deploy/ compose)")
	}
	indextest.Run(t, func(t *testing.T) index.Backend {
		prefix := fmt.Sprintf("newswire-test-%d", time.Now().UnixNano())
		b, err := es.New(context.Background(), es.Config{Addresses: strings.Split(url, ","), IndexPrefix: prefix,
			Username: os.Getenv("NEWSWIRE_ES_USER"), Password: os.Getenv("NEWSWIRE_ES_PASSWORD"), APIKey: os.Getenv("NEWSWIRE_ES_API_KEY")})
		if err != nil {
			t.Fatal(err)
		}
		return b
	})
}
