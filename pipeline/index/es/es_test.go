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
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/index"
	"github.com/newswire/newswire/pipeline/index/es"
	"github.com/newswire/newswire/pipeline/index/indextest"
)

// fakeES answers as Elasticsearch's REST API documents and records requests.
// It keeps documents per index, with external versions, so rollover and
// ordering behave as on a cluster.
type fakeES struct {
	mu          sync.Mutex
	calls       []string
	template    map[string]any
	aliasExists bool
	created     map[string]any
	bulk429     int // answer the next N bulk requests with 429
	bulkDocs    []string
	bulkMeta    []map[string]any // the action metadata of every bulk item
	searchBody  map[string]any
	writeIndex  string                       // the alias's write index
	indices     map[string]map[string]stored // index -> id -> document
}

type stored struct {
	version int64
	source  json.RawMessage
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
		f.writeIndex = "newswire-000001"
		fmt.Fprint(w, `{"acknowledged":true,"shards_acknowledged":true,"index":"newswire-000001"}`)
	case r.Method == http.MethodPost && r.URL.Path == "/newswire/_rollover":
		old := f.writeIndex
		f.writeIndex = fmt.Sprintf("newswire-%06d", len(f.indices)+1)
		f.indices[f.writeIndex] = map[string]stored{}
		fmt.Fprintf(w, `{"acknowledged":true,"old_index":%q,"new_index":%q,"rolled_over":true}`, old, f.writeIndex)
	case r.Method == http.MethodPost && r.URL.Path == "/newswire/_bulk":
		if f.bulk429 > 0 {
			f.bulk429--
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"error":{"type":"es_rejected_execution_exception","reason":"rejected execution"},"status":429}`)
			return
		}
		fmt.Fprintf(w, `{"took":3,"errors":true,"items":[%s]}`, strings.Join(f.bulk(body), ","))
	case r.URL.Path == "/newswire-*/_search":
		var q struct {
			Query struct {
				IDs *struct {
					Values []string `json:"values"`
				} `json:"ids"`
			} `json:"query"`
		}
		json.Unmarshal(body, &q)
		if q.Query.IDs != nil {
			fmt.Fprint(w, f.idsSearch(q.Query.IDs.Values))
			return
		}
		json.Unmarshal(body, &f.searchBody)
		hit, _ := json.Marshal(index.HitFor(indextest.Articles()[0]))
		fmt.Fprintf(w, `{"took":1,"timed_out":false,"hits":{"total":{"value":1,"relation":"eq"},"max_score":1.5,"hits":[
			{"_index":"newswire-000001","_id":"a1","_score":1.5,"_source":{"hit":%s},"highlight":{"text":["A car &lt;b&gt; &quot;<mark>bomb</mark>&quot; it&#x27;s"]}}]},
			"aggregations":{"groups":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"Islamic State Khorasan Province","doc_count":1}]}}}`, hit)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"error":"unexpected %s %s"}`, r.Method, r.URL.Path)
	}
}

// bulk applies a bulk body and returns the response items.
func (f *fakeES) bulk(body []byte) []string {
	if f.indices == nil {
		f.indices = map[string]map[string]stored{}
	}
	if f.indices[f.writeIndex] == nil {
		f.indices[f.writeIndex] = map[string]stored{}
	}
	var items []string
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var line map[string]map[string]any
		json.Unmarshal(sc.Bytes(), &line)
		for action, meta := range line {
			f.bulkMeta = append(f.bulkMeta, map[string]any{"action": action, "meta": meta})
			id, _ := meta["_id"].(string)
			idx, _ := meta["_index"].(string)
			if idx == "" {
				idx = f.writeIndex
			}
			if action == "delete" {
				if _, ok := f.indices[idx][id]; !ok {
					items = append(items, fmt.Sprintf(`{"delete":{"_index":%q,"_id":%q,"result":"not_found","status":404}}`, idx, id))
					continue
				}
				delete(f.indices[idx], id)
				items = append(items, fmt.Sprintf(`{"delete":{"_index":%q,"_id":%q,"result":"deleted","status":200}}`, idx, id))
				continue
			}
			sc.Scan() // the document
			doc := json.RawMessage(append([]byte{}, sc.Bytes()...))
			f.bulkDocs = append(f.bulkDocs, id)
			switch id {
			case "bad":
				items = append(items, `{"index":{"_index":"newswire-000001","_id":"bad","status":400,"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [published]","caused_by":{"type":"illegal_argument_exception","reason":"bad date"}}}}`)
				continue
			case "busy":
				items = append(items, `{"index":{"_index":"newswire-000001","_id":"busy","status":429,"error":{"type":"es_rejected_execution_exception","reason":"queue full"}}}`)
				continue
			}
			if _, ok := f.indices[idx][id]; !ok && id == "conflict" {
				f.indices[idx][id] = stored{version: 1 << 62, source: doc} // a newer update is stored
			}
			old, exists := f.indices[idx][id]
			v := old.version + 1
			if fv, ok := meta["version"].(float64); ok {
				v = int64(fv)
				vt, _ := meta["version_type"].(string)
				if exists && (v < old.version || (vt == "external" && v == old.version)) {
					items = append(items, fmt.Sprintf(`{"index":{"_index":%q,"_id":%q,"status":409,"error":{"type":"version_conflict_engine_exception","reason":"[%s]: version conflict, current version [%d] is higher than or equal to the one provided [%d]"}}}`, idx, id, id, old.version, v))
					continue
				}
			}
			f.indices[idx][id] = stored{version: v, source: doc}
			items = append(items, fmt.Sprintf(`{"index":{"_index":%q,"_id":%q,"_version":%d,"result":"created","status":201}}`, idx, id, v))
		}
	}
	return items
}

// idsSearch answers an ids query across all indices.
func (f *fakeES) idsSearch(ids []string) string {
	var hits []string
	for name, docs := range f.indices {
		for _, id := range ids {
			if d, ok := docs[id]; ok {
				hits = append(hits, fmt.Sprintf(`{"_index":%q,"_id":%q,"_score":1,"_source":%s}`, name, id, d.source))
			}
		}
	}
	return fmt.Sprintf(`{"took":1,"timed_out":false,"hits":{"total":{"value":%d,"relation":"eq"},"hits":[%s]}}`, len(hits), strings.Join(hits, ","))
}

// copies returns the indices holding id.
func (f *fakeES) copies(id string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for name, docs := range f.indices {
		if _, ok := docs[id]; ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// title returns the stored title of id in idx.
func (f *fakeES) title(idx, id string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var src struct {
		Title string `json:"title"`
	}
	json.Unmarshal(f.indices[idx][id].source, &src)
	return src.Title
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
		{"version conflict with a newer stored version is success", 3, true, false},
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
		`"encoder":"html"`,
		`"track_total_hits":true`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("search body lacks %s:\n%s", want, body)
		}
	}
	if res.Total != 1 || res.Hits[0].ID != "a1" || res.Hits[0].Title == "" || res.Hits[0].Snippets[0] != "A car &lt;b&gt; &#34;<mark>bomb</mark>&#34; it&#39;s" {
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

// rollover rolls the write alias to a new index, as POST newswire/_rollover.
func (f *fakeES) rollover() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.writeIndex = fmt.Sprintf("newswire-%06d", len(f.indices)+1)
	f.indices[f.writeIndex] = map[string]stored{}
}

func TestRolloverUpdatesInPlace(t *testing.T) {
	ctx := context.Background()
	f := &fakeES{}
	b := newFake(t, f)
	mustIndex := func(docs ...*article.Enriched) {
		t.Helper()
		perDoc, err := b.Index(ctx, docs)
		if err != nil {
			t.Fatalf("Index: %v", err)
		}
		for i, e := range perDoc {
			if e != nil {
				t.Fatalf("doc %d (%s): %v", i, docs[i].ID, e)
			}
		}
	}
	mustIndex(indextest.Articles()...)
	f.rollover()
	// A copy that an earlier version of the backend duplicated into the new index.
	f.mu.Lock()
	f.indices["newswire-000002"]["a2"] = f.indices["newswire-000001"]["a2"]
	f.mu.Unlock()

	a1 := indextest.Articles()[0]
	a1.Title, a1.Fetched = "updated after rollover", a1.Fetched.Add(time.Minute)
	fresh := indextest.Articles()[1]
	fresh.ID = "n1"
	mustIndex(a1, indextest.Articles()[1], fresh)

	tests := []struct {
		name, id string
		want     []string
	}{
		{"update stays in the old index", "a1", []string{"newswire-000001"}},
		{"duplicate deleted, newest copy kept", "a2", []string{"newswire-000002"}},
		{"untouched", "a3", []string{"newswire-000001"}},
		{"new article goes to the write index", "n1", []string{"newswire-000002"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f.copies(tt.id); !slices.Equal(got, tt.want) {
				t.Errorf("%s is in %v, want %v", tt.id, got, tt.want)
			}
		})
	}
	if got := f.title("newswire-000001", "a1"); got != a1.Title {
		t.Errorf("a1 title = %q, want the update", got)
	}
}

func TestExternalVersioning(t *testing.T) {
	ctx := context.Background()
	f := &fakeES{}
	b := newFake(t, f)
	base := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	version := func(title string, fetched time.Time) *article.Enriched {
		d := indextest.Articles()[0]
		d.Title, d.Fetched = title, fetched
		return d
	}
	steps := []struct {
		name string
		doc  *article.Enriched
		want string
	}{
		{"first write", version("v2", base.Add(time.Hour)), "v2"},
		{"older redelivery is a success that changes nothing", version("v1", base), "v2"},
		{"same fetched time updates", version("v2 re-extracted", base.Add(time.Hour)), "v2 re-extracted"},
		{"newer updates", version("v3", base.Add(2*time.Hour)), "v3"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			f.mu.Lock()
			f.bulkMeta = nil
			f.mu.Unlock()
			perDoc, err := b.Index(ctx, []*article.Enriched{st.doc})
			if err != nil || perDoc[0] != nil {
				t.Fatalf("Index = %v, %v; want success", perDoc, err)
			}
			if got := f.title("newswire-000001", "a1"); got != st.want {
				t.Errorf("stored title = %q, want %q", got, st.want)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			meta, _ := f.bulkMeta[0]["meta"].(map[string]any)
			if meta["version_type"] != "external_gte" || meta["version"] != float64(st.doc.Fetched.UnixMilli()) {
				t.Errorf("bulk metadata = %v, want external_gte version %d", meta, st.doc.Fetched.UnixMilli())
			}
		})
	}
	t.Run("no fetched time, no version", func(t *testing.T) {
		d := indextest.Articles()[1]
		d.Fetched = time.Time{}
		f.mu.Lock()
		f.bulkMeta = nil
		f.mu.Unlock()
		if perDoc, err := b.Index(ctx, []*article.Enriched{d}); err != nil || perDoc[0] != nil {
			t.Fatalf("Index = %v, %v", perDoc, err)
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if meta, _ := f.bulkMeta[0]["meta"].(map[string]any); meta["version"] != nil || meta["version_type"] != nil {
			t.Errorf("bulk metadata = %v, want no version", meta)
		}
	})
}
