package indextest

import (
	"context"
	"errors"
	"fmt"
	"html"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/index"
)

// Run runs the conformance suite against the backend open returns. open is
// called once; the backend must start empty and is closed at the end.
// Backends that make writes visible asynchronously are polled, with a
// deadline, until the fixtures are searchable.
func Run(t *testing.T, open func(t *testing.T) index.Backend) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b := open(t)
	defer func() {
		if err := b.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	docs := Articles()
	mustIndex(t, ctx, b, docs)

	t.Run("reindex is idempotent", func(t *testing.T) {
		again := Articles()
		again[0].Title = "Car bomb kills five in Kabul market, officials say"
		mustIndex(t, ctx, b, again)
		waitFor(t, func() (bool, string) {
			d, err := b.Get(ctx, "a1")
			if err != nil {
				return false, err.Error()
			}
			return d.Title == again[0].Title, "title not updated: " + d.Title
		})
		n, err := b.Count(ctx)
		if err != nil || n != len(docs) {
			t.Fatalf("Count = %d, %v; want %d", n, err, len(docs))
		}
	})

	t.Run("per-document errors", func(t *testing.T) {
		perDoc, err := b.Index(ctx, []*article.Enriched{{Article: article.Article{Title: "no id"}}})
		if err != nil {
			t.Fatalf("Index: %v", err)
		}
		if len(perDoc) != 1 || !errors.Is(perDoc[0], index.ErrPermanent) {
			t.Fatalf("perDoc = %v, want one ErrPermanent", perDoc)
		}
	})

	t.Run("get and count", func(t *testing.T) {
		d, err := b.Get(ctx, "a2")
		if err != nil {
			t.Fatalf("Get(a2): %v", err)
		}
		if d.Title != docs[1].Title || len(d.Events) != 2 || d.Places[0].Within[1] != "Germany" || d.Published == nil || !d.Published.Equal(*docs[1].Published) {
			t.Errorf("Get(a2) = %+v, want the stored article", d)
		}
		if _, err := b.Get(ctx, "nope"); !errors.Is(err, index.ErrNotFound) {
			t.Errorf("Get(nope) error = %v, want ErrNotFound", err)
		}
	})

	matches := []struct {
		name, q string
		want    []string
	}{
		{"all", "", []string{"a1", "a2", "a3", "a4", "a5"}},
		{"word", "bomb", []string{"a1"}},
		{"word is stemmed", "bombs", []string{"a1"}},
		{"word any case", "KABUL", []string{"a1"}},
		{"word in title or text", "market", []string{"a1", "a2"}},
		{"phrase", `"car bomb"`, []string{"a1"}},
		{"phrase order matters", `"bomb car"`, nil},
		{"phrase across stop word", `"concert hall in Paris"`, []string{"a5"}},
		{"implicit and", "police market", []string{"a2"}},
		{"or", "kabul OR berlin", []string{"a1", "a3"}},
		{"not", "market NOT kabul", []string{"a2"}},
		{"minus", "police -cologne", []string{"a5"}},
		{"only not", "NOT police", []string{"a1", "a3", "a4"}},
		{"grouping", "(kabul OR paris) police", []string{"a5"}},
		{"person", `person:"jane doe"`, []string{"a2"}},
		{"group by canonical name", `group:"Islamic State Khorasan Province"`, []string{"a1", "a4"}},
		{"group by alias", "group:ISKP", []string{"a1", "a4"}},
		{"group resolved to canonical", "group:ISIS-K", []string{"a1", "a4"}},
		{"group is not a substring", `group:"Islamic State"`, []string{"a2"}},
		{"place", "place:cologne", []string{"a2"}},
		{"place within", "place:Europe", []string{"a2", "a3", "a4", "a5"}},
		{"place within country", "place:Germany", []string{"a2", "a3"}},
		{"event", "event:bombing", []string{"a1"}},
		{"event second of two", "event:foiled_plot", []string{"a2"}},
		{"source", "source:example.org", []string{"a1", "a4", "a5"}},
		{"lang", "lang:de", []string{"a3"}},
		{"year", "published:2024", []string{"a1", "a2", "a3"}},
		{"range inclusive end", "published:2024-01-15..2024-02-20", []string{"a1", "a2"}},
		{"before", "published:<2024", []string{"a5"}},
		{"on or after", "published:>=2024-03", []string{"a3"}},
		{"filters and words", "place:Europe police NOT event:arrest", []string{"a5"}},
	}
	for _, tt := range matches {
		t.Run("match/"+tt.name, func(t *testing.T) {
			res, err := b.Search(ctx, index.Request{Query: tt.q, Size: 20, Resolver: Resolver{}})
			if err != nil {
				t.Fatalf("Search(%q): %v", tt.q, err)
			}
			got := ids(res)
			sort.Strings(got)
			if !slices.Equal(got, tt.want) || res.Total != len(tt.want) {
				t.Errorf("Search(%q) = %v (total %d), want %v", tt.q, got, res.Total, tt.want)
			}
			q := index.MustParse(tt.q).Resolve(Resolver{})
			var mem []string
			for _, d := range Articles() {
				if q.Match(d) {
					mem = append(mem, d.ID)
				}
			}
			if !slices.Equal(mem, tt.want) {
				t.Errorf("Query.Match(%q) = %v, want %v (backend and evaluator disagree)", tt.q, mem, tt.want)
			}
		})
	}

	t.Run("sort by date, missing last", func(t *testing.T) {
		res := search(t, ctx, b, index.Request{Sort: index.SortDate})
		if got, want := ids(res), []string{"a3", "a2", "a1", "a5", "a4"}; !slices.Equal(got, want) {
			t.Errorf("date order = %v, want %v", got, want)
		}
	})
	t.Run("sort by relevance", func(t *testing.T) {
		res := search(t, ctx, b, index.Request{Query: "market OR police"})
		if len(res.Hits) == 0 || res.Hits[0].Score <= 0 {
			t.Fatalf("no scored hits: %+v", res.Hits)
		}
		for i := 1; i < len(res.Hits); i++ {
			if res.Hits[i].Score > res.Hits[i-1].Score {
				t.Errorf("hit %d scores %v above hit %d (%v)", i, res.Hits[i].Score, i-1, res.Hits[i-1].Score)
			}
		}
	})
	t.Run("pagination", func(t *testing.T) {
		var got []string
		for from := 0; from < 6; from += 2 {
			res := search(t, ctx, b, index.Request{Sort: index.SortDate, From: from, Size: 2})
			if res.Total != 5 {
				t.Errorf("page %d total = %d, want 5", from, res.Total)
			}
			got = append(got, ids(res)...)
		}
		if want := []string{"a3", "a2", "a1", "a5", "a4"}; !slices.Equal(got, want) {
			t.Errorf("pages = %v, want %v", got, want)
		}
	})
	t.Run("hit fields", func(t *testing.T) {
		res := search(t, ctx, b, index.Request{Query: "event:bombing"})
		if len(res.Hits) != 1 {
			t.Fatalf("hits = %v", ids(res))
		}
		h := res.Hits[0]
		if h.URL != "https://example.org/a1" || h.Source != "example.org" || h.Language != "en" || h.Published == nil ||
			!slices.Equal(h.Groups, []string{"Islamic State Khorasan Province"}) || !slices.Equal(h.Places, []string{"Kabul"}) ||
			!slices.Equal(h.People, []string{"Ahmad Karimi"}) || !slices.Equal(h.EventTypes, []string{"bombing"}) {
			t.Errorf("hit = %+v", h)
		}
	})
	t.Run("facets", func(t *testing.T) {
		res := search(t, ctx, b, index.Request{Facets: true})
		want := map[string][]index.FacetValue{
			index.FacetGroups:  {{Value: "Islamic State Khorasan Province", Count: 2}, {Value: "Islamic State", Count: 1}},
			index.FacetSources: {{Value: "example.org", Count: 3}, {Value: "news.example.com", Count: 1}, {Value: "zeitung.example.de", Count: 1}},
			index.FacetPlaces: {{Value: "Berlin", Count: 1}, {Value: "Cologne", Count: 1}, {Value: "Europe", Count: 1},
				{Value: "Kabul", Count: 1}, {Value: "Paris", Count: 1}},
		}
		for name, w := range want {
			if got := res.Facets[name]; !slices.Equal(got, w) {
				t.Errorf("facet %s = %v, want %v", name, got, w)
			}
		}
		for _, name := range index.FacetNames() {
			if _, ok := res.Facets[name]; !ok {
				t.Errorf("facet %s missing", name)
			}
		}
		if got := len(res.Facets[index.FacetEventTypes]); got != 6 {
			t.Errorf("event type facet has %d values, want 6: %v", got, res.Facets[index.FacetEventTypes])
		}
		res = search(t, ctx, b, index.Request{Query: "place:Germany", Facets: true, FacetSize: 1})
		if got := res.Facets[index.FacetPeople]; len(got) != 1 || got[0].Count != 1 {
			t.Errorf("people facet with FacetSize 1 = %v", got)
		}
	})
	t.Run("highlight", func(t *testing.T) {
		res := search(t, ctx, b, index.Request{Query: "bombs", Highlight: true})
		if len(res.Hits) != 1 {
			t.Fatalf("hits = %v", ids(res))
		}
		joined := strings.ToLower(strings.Join(res.Hits[0].Snippets, " "))
		if !strings.Contains(joined, "<mark>bomb</mark>") {
			t.Errorf("snippets = %q, want <mark>bomb</mark>", res.Hits[0].Snippets)
		}
	})
	t.Run("events view", func(t *testing.T) {
		res := search(t, ctx, b, index.Request{Query: "place:Germany", Events: true})
		var types []string
		for _, e := range res.Events {
			types = append(types, e.Type)
			if e.ArticleID == "" || e.Title == "" || e.URL == "" {
				t.Errorf("event without its article: %+v", e)
			}
		}
		sort.Strings(types)
		if want := []string{"arrest", "foiled_plot", "stabbing"}; !slices.Equal(types, want) {
			t.Errorf("event types = %v, want %v", types, want)
		}
		res = search(t, ctx, b, index.Request{Query: "kabul", Events: true})
		if len(res.Events) != 1 || res.Events[0].Killed == nil || *res.Events[0].Killed != 5 || res.Events[0].Lat == nil || *res.Events[0].Place != "Kabul" {
			t.Errorf("kabul events = %+v", res.Events)
		}
	})
	t.Run("bad requests", func(t *testing.T) {
		for _, req := range []index.Request{
			{Query: `"unterminated`},
			{Query: "author:smith"},
			{Query: "(kabul"},
			{Query: "published:soon"},
			{Size: index.MaxSize + 1},
			{From: index.MaxPageDepth},
			{Sort: "random"},
		} {
			if _, err := b.Search(ctx, req); !errors.Is(err, index.ErrBadQuery) {
				t.Errorf("Search(%+v) error = %v, want ErrBadQuery", req, err)
			}
		}
	})

	t.Run("snippets are escaped HTML with marks", func(t *testing.T) {
		doc := Articles()[4]
		doc.ID, doc.URL, doc.CanonicalURL = "x1", "https://example.org/x1", "https://example.org/x1"
		doc.Title = "Parcel blast at Shah & Sons"
		doc.Text = `Witnesses said a "gift" parcel left at Shah & Sons' <shop> exploded at noon.`
		mustIndexVisible(t, ctx, b, doc, "x1")
		res := search(t, ctx, b, index.Request{Query: "gift", Highlight: true})
		if len(res.Hits) != 1 || len(res.Hits[0].Snippets) == 0 {
			t.Fatalf("hits = %+v", res.Hits)
		}
		for _, s := range res.Hits[0].Snippets {
			if s != index.CleanSnippet(s) {
				t.Errorf("snippet %q is not in the clean form %q", s, index.CleanSnippet(s))
			}
			bare := strings.NewReplacer(index.MarkOpen, "", index.MarkClose, "").Replace(s)
			if strings.ContainsAny(bare, `<>"'`) || strings.Contains(html.UnescapeString(bare), "&amp;") {
				t.Errorf("snippet %q has unescaped or doubly escaped text", s)
			}
		}
		joined := strings.Join(res.Hits[0].Snippets, " ")
		for _, want := range []string{"&#34;<mark>gift</mark>&#34;", "Shah &amp; Sons&#39; &lt;shop&gt;"} {
			if !strings.Contains(joined, want) {
				t.Errorf("snippets %q lack %q", res.Hits[0].Snippets, want)
			}
		}
	})

	t.Run("older update never overwrites a newer one", func(t *testing.T) {
		base := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
		version := func(title string, fetched time.Time) *article.Enriched {
			d := Articles()[2]
			d.ID, d.URL, d.CanonicalURL = "o1", "https://zeitung.example.de/o1", "https://zeitung.example.de/o1"
			d.Title, d.Fetched = title, fetched
			return d
		}
		mustIndexVisible(t, ctx, b, version("second version", base.Add(time.Hour)), "o1")
		steps := []struct {
			name string
			docs []*article.Enriched
			want string
		}{
			{"redelivered older version is skipped", []*article.Enriched{version("first version", base)}, "second version"},
			{"same fetched time updates", []*article.Enriched{version("second version, re-extracted", base.Add(time.Hour))}, "second version, re-extracted"},
			{"newest of one call wins", []*article.Enriched{version("fourth version", base.Add(3*time.Hour)), version("third version", base.Add(2*time.Hour))}, "fourth version"},
			{"newer version updates", []*article.Enriched{version("fifth version", base.Add(4*time.Hour))}, "fifth version"},
		}
		for n, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				perDoc, err := b.Index(ctx, st.docs)
				if err != nil {
					t.Fatalf("Index: %v", err)
				}
				for i, e := range perDoc {
					if e != nil {
						t.Fatalf("doc %d: %v, want success (a skipped older version is not an error)", i, e)
					}
				}
				// A fresh document written after the step is a barrier for
				// backends that make writes visible asynchronously.
				barrier := version("barrier", base)
				barrier.ID = fmt.Sprintf("o-barrier-%d", n)
				mustIndexVisible(t, ctx, b, barrier, barrier.ID)
				d, err := b.Get(ctx, "o1")
				if err != nil {
					t.Fatalf("Get(o1): %v", err)
				}
				if d.Title != st.want {
					t.Errorf("stored title = %q, want %q", d.Title, st.want)
				}
			})
		}
	})
}

// mustIndexVisible indexes one document and waits until Get finds it.
func mustIndexVisible(t *testing.T, ctx context.Context, b index.Backend, doc *article.Enriched, id string) {
	t.Helper()
	perDoc, err := b.Index(ctx, []*article.Enriched{doc})
	if err != nil || perDoc[0] != nil {
		t.Fatalf("Index(%s) = %v, %v", id, perDoc, err)
	}
	waitFor(t, func() (bool, string) {
		res, err := b.Search(ctx, index.Request{Query: "", Size: index.MaxSize})
		if err != nil {
			return false, err.Error()
		}
		for _, h := range res.Hits {
			if h.ID == id {
				return true, ""
			}
		}
		return false, id + " not visible yet"
	})
}

func mustIndex(t *testing.T, ctx context.Context, b index.Backend, docs []*article.Enriched) {
	t.Helper()
	perDoc, err := b.Index(ctx, docs)
	if err != nil {
		t.Fatalf("Index: %v", err)
	}
	for i, e := range perDoc {
		if e != nil {
			t.Fatalf("Index doc %d: %v", i, e)
		}
	}
	waitFor(t, func() (bool, string) {
		res, err := b.Search(ctx, index.Request{Query: "", Size: 1})
		if err != nil {
			return false, err.Error()
		}
		return res.Total == len(docs), "indexed documents not visible yet"
	})
}

// waitFor polls fn until it reports true or 30 s pass.
func waitFor(t *testing.T, fn func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok, msg := fn()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out: %s", msg)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func search(t *testing.T, ctx context.Context, b index.Backend, req index.Request) *index.Result {
	t.Helper()
	res, err := b.Search(ctx, req)
	if err != nil {
		t.Fatalf("Search(%+v): %v", req, err)
	}
	return res
}

func ids(res *index.Result) []string {
	out := []string{}
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}
