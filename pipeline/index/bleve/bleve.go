package bleve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/index"
)

// Options configures the Bleve backend. The zero value is valid.
type Options struct {
	// BatchSize is the most documents written in one Bleve batch.
	// Default 500.
	BatchSize int
}

// Index is the Bleve backend. It implements index.Backend and is safe for
// concurrent use.
type Index struct {
	idx  blevesearch.Index
	opts Options
	// writeMu makes the look-up of stored versions and the batch that
	// follows it one step, so concurrent Index calls cannot reorder updates.
	writeMu sync.Mutex
}

var _ index.Backend = (*Index)(nil)

// Open opens the index at path, creating it with newswire's mapping when it
// does not exist. An empty path opens an index in memory.
func Open(path string, opts Options) (*Index, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("bleve mapping: %w", err)
	}
	var idx blevesearch.Index
	switch {
	case path == "":
		idx, err = blevesearch.NewMemOnly(m)
	default:
		if _, statErr := os.Stat(path); statErr == nil {
			idx, err = blevesearch.Open(path)
		} else {
			idx, err = blevesearch.New(path, m)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("bleve open %q: %w", path, err)
	}
	return &Index{idx: idx, opts: opts}, nil
}

// document is what Bleve indexes for one article.
func document(doc *article.Enriched) (map[string]any, error) {
	hit, err := json.Marshal(index.HitFor(doc))
	if err != nil {
		return nil, err
	}
	events, err := json.Marshal(doc.Events)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	people, groups, places := index.Keys(doc)
	h := index.HitFor(doc)
	d := map[string]any{
		fTitle:      doc.Title,
		fText:       doc.Text,
		fSource:     index.NormSource(doc.Source),
		fLang:       strings.ToLower(doc.Language),
		fPeople:     h.People,
		fGroups:     h.Groups,
		fPlaces:     h.Places,
		fPeopleKey:  people,
		fGroupsKey:  groups,
		fPlacesKey:  places,
		fEventTypes: h.EventTypes,
		fHit:        string(hit),
		fEvents:     string(events),
		fRaw:        string(raw),
	}
	if doc.Published != nil {
		d[fPublished] = doc.Published.UTC()
	}
	if !doc.Fetched.IsZero() {
		d[fFetched] = doc.Fetched.UTC().Format(time.RFC3339Nano)
	}
	return d, nil
}

// Index implements index.Backend. Documents are written in batches of
// Options.BatchSize; a document that cannot be encoded gets an error wrapping
// index.ErrPermanent. On return without error the batches are persisted.
//
// Updates never go back in time: a document whose Fetched time is older than
// that of the stored version of its article (a redelivery of an old update
// after a newer one succeeded) is skipped and reported as a success, like an
// Elasticsearch external version conflict. Of several documents with one ID
// in a call, the newest is written. A document without a Fetched time is
// always written.
func (b *Index) Index(ctx context.Context, docs []*article.Enriched) ([]error, error) {
	perDoc := make([]error, len(docs))
	b.writeMu.Lock()
	defer b.writeMu.Unlock()
	for start := 0; start < len(docs); start += b.opts.BatchSize {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		end := min(start+b.opts.BatchSize, len(docs))
		// newest[id] is the index, within docs, of the version to write.
		newest := map[string]int{}
		for i := start; i < end; i++ {
			doc := docs[i]
			if doc == nil || doc.ID == "" {
				perDoc[i] = fmt.Errorf("%w: document without id", index.ErrPermanent)
				continue
			}
			if j, ok := newest[doc.ID]; !ok || !doc.Fetched.Before(docs[j].Fetched) {
				newest[doc.ID] = i
			}
		}
		stored, err := b.storedFetched(ctx, newest)
		if err != nil {
			return nil, err
		}
		batch := b.idx.NewBatch()
		for i := start; i < end; i++ {
			doc := docs[i]
			if perDoc[i] != nil || newest[doc.ID] != i {
				continue // no id, or an older copy of a document in this call
			}
			if st, ok := stored[doc.ID]; ok && !doc.Fetched.IsZero() && doc.Fetched.Before(st) {
				continue // the index holds a newer version
			}
			d, err := document(doc)
			if err == nil {
				err = batch.Index(doc.ID, d)
			}
			if err != nil {
				perDoc[i] = fmt.Errorf("%w: index %s: %v", index.ErrPermanent, doc.ID, err)
			}
		}
		if batch.Size() == 0 {
			continue
		}
		if err := b.idx.Batch(batch); err != nil {
			return nil, fmt.Errorf("bleve batch: %w", err)
		}
	}
	return perDoc, nil
}

// storedFetched returns the Fetched times of the stored versions of ids
// (those that are stored and have one).
func (b *Index) storedFetched(ctx context.Context, ids map[string]int) (map[string]time.Time, error) {
	out := make(map[string]time.Time, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	sr := blevesearch.NewSearchRequestOptions(blevesearch.NewDocIDQuery(list), len(list), 0, false)
	sr.Fields = []string{fFetched}
	sres, err := b.idx.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("bleve: look up stored versions: %w", err)
	}
	var old []string // stored before the fetched field existed
	for _, h := range sres.Hits {
		s, _ := h.Fields[fFetched].(string)
		if s == "" {
			old = append(old, h.ID)
			continue
		}
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			out[h.ID] = t
		}
	}
	if len(old) == 0 {
		return out, nil
	}
	sr = blevesearch.NewSearchRequestOptions(blevesearch.NewDocIDQuery(old), len(old), 0, false)
	sr.Fields = []string{fRaw}
	if sres, err = b.idx.SearchInContext(ctx, sr); err != nil {
		return nil, fmt.Errorf("bleve: look up stored versions: %w", err)
	}
	for _, h := range sres.Hits {
		var a struct {
			Fetched time.Time `json:"fetched"`
		}
		if s, _ := h.Fields[fRaw].(string); json.Unmarshal([]byte(s), &a) == nil && !a.Fetched.IsZero() {
			out[h.ID] = a.Fetched
		}
	}
	return out, nil
}

// Search implements index.Backend.
func (b *Index) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	start := time.Now()
	req, q, err := index.Prepare(req)
	if err != nil {
		return nil, err
	}
	bq := translate(q.Root)
	sr := blevesearch.NewSearchRequestOptions(bq, req.Size, req.From, false)
	sr.SortByCustom(sortOrder(req.Sort))
	sr.Fields = []string{fHit}
	if req.Highlight {
		sr.Highlight = blevesearch.NewHighlight()
		sr.Highlight.AddField(fTitle)
		sr.Highlight.AddField(fText)
	}
	if req.Facets {
		for name, field := range facetFields() {
			sr.AddFacet(name, blevesearch.NewFacetRequest(field, req.FacetSize))
		}
	}
	sres, err := b.idx.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("bleve search: %w", err)
	}
	res := &index.Result{Total: int(sres.Total), Hits: make([]index.Hit, 0, len(sres.Hits))}
	for _, dm := range sres.Hits {
		var h index.Hit
		if s, ok := dm.Fields[fHit].(string); ok {
			if err := json.Unmarshal([]byte(s), &h); err != nil {
				return nil, fmt.Errorf("bleve: decode stored hit %s: %w", dm.ID, err)
			}
		}
		h.ID = dm.ID
		h.Score = dm.Score
		if req.Highlight {
			h.Snippets = index.CleanSnippets(append(append([]string{}, dm.Fragments[fTitle]...), dm.Fragments[fText]...))
		}
		res.Hits = append(res.Hits, h)
	}
	if req.Facets {
		res.Facets = map[string][]index.FacetValue{}
		for name := range facetFields() {
			vals := []index.FacetValue{}
			if fr := sres.Facets[name]; fr != nil && fr.Terms != nil {
				for _, t := range fr.Terms.Terms() {
					vals = append(vals, index.FacetValue{Value: t.Term, Count: t.Count})
				}
			}
			sort.SliceStable(vals, func(i, j int) bool {
				if vals[i].Count != vals[j].Count {
					return vals[i].Count > vals[j].Count
				}
				return vals[i].Value < vals[j].Value
			})
			res.Facets[name] = vals
		}
	}
	if req.Events {
		if res.Events, err = b.events(ctx, bq); err != nil {
			return nil, err
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

// events returns the events of the newest MaxEventArticles matching articles.
func (b *Index) events(ctx context.Context, bq query.Query) ([]index.EventHit, error) {
	sr := blevesearch.NewSearchRequestOptions(bq, index.MaxEventArticles, 0, false)
	sr.SortByCustom(sortOrder(index.SortDate))
	sr.Fields = []string{fHit, fEvents}
	sres, err := b.idx.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("bleve events search: %w", err)
	}
	out := []index.EventHit{}
	for _, dm := range sres.Hits {
		s, _ := dm.Fields[fEvents].(string)
		if s == "" || s == "null" || s == "[]" {
			continue
		}
		var evs []article.Event
		var h index.Hit
		if err := json.Unmarshal([]byte(s), &evs); err != nil {
			return nil, fmt.Errorf("bleve: decode stored events %s: %w", dm.ID, err)
		}
		if hs, ok := dm.Fields[fHit].(string); ok {
			_ = json.Unmarshal([]byte(hs), &h)
		}
		for _, e := range evs {
			out = append(out, index.EventHit{ArticleID: dm.ID, Title: h.Title, URL: h.URL, Event: e})
		}
	}
	return out, nil
}

func facetFields() map[string]string {
	return map[string]string{
		index.FacetPeople:     fPeople,
		index.FacetGroups:     fGroups,
		index.FacetPlaces:     fPlaces,
		index.FacetEventTypes: fEventTypes,
		index.FacetSources:    fSource,
	}
}

func sortOrder(s index.Sort) search.SortOrder {
	score := &search.SortScore{Desc: true}
	date := &search.SortField{Field: fPublished, Desc: true, Type: search.SortFieldAsDate, Missing: search.SortFieldMissingLast}
	id := &search.SortDocID{}
	if s == index.SortDate {
		return search.SortOrder{date, score, id}
	}
	return search.SortOrder{score, date, id}
}

// translate turns the query tree into a Bleve query.
func translate(n *index.Node) query.Query {
	switch n.Kind {
	case index.NodeAll:
		return blevesearch.NewMatchAllQuery()
	case index.NodeWord, index.NodePhrase:
		title := blevesearch.NewMatchPhraseQuery(n.Text)
		title.SetField(fTitle)
		title.Analyzer = analyzerName
		title.SetBoost(2)
		text := blevesearch.NewMatchPhraseQuery(n.Text)
		text.SetField(fText)
		text.Analyzer = analyzerName
		return blevesearch.NewDisjunctionQuery(title, text)
	case index.NodeField:
		field := map[index.Field]string{
			index.FieldPerson: fPeopleKey, index.FieldGroup: fGroupsKey, index.FieldPlace: fPlacesKey,
			index.FieldEvent: fEventTypes, index.FieldSource: fSource, index.FieldLang: fLang,
		}[n.Field]
		qs := make([]query.Query, 0, len(n.Values))
		for _, v := range n.Values {
			tq := blevesearch.NewTermQuery(strings.ToLower(v))
			tq.SetField(field)
			qs = append(qs, tq)
		}
		if len(qs) == 1 {
			return qs[0]
		}
		return blevesearch.NewDisjunctionQuery(qs...)
	case index.NodeDate:
		var from, to time.Time
		if n.From != nil {
			from = *n.From
		}
		if n.To != nil {
			to = *n.To
		}
		incl, excl := true, false
		dq := blevesearch.NewDateRangeInclusiveQuery(from, to, &incl, &excl)
		dq.SetField(fPublished)
		return dq
	case index.NodeNot:
		bq := blevesearch.NewBooleanQuery()
		bq.AddMust(blevesearch.NewMatchAllQuery())
		bq.AddMustNot(translate(n.Children[0]))
		return bq
	case index.NodeAnd:
		var must, not []query.Query
		for _, c := range n.Children {
			if c.Kind == index.NodeNot {
				not = append(not, translate(c.Children[0]))
			} else {
				must = append(must, translate(c))
			}
		}
		if len(must) == 0 {
			must = append(must, blevesearch.NewMatchAllQuery())
		}
		if len(not) == 0 {
			return blevesearch.NewConjunctionQuery(must...)
		}
		bq := blevesearch.NewBooleanQuery()
		bq.AddMust(must...)
		bq.AddMustNot(not...)
		return bq
	case index.NodeOr:
		qs := make([]query.Query, 0, len(n.Children))
		for _, c := range n.Children {
			qs = append(qs, translate(c))
		}
		return blevesearch.NewDisjunctionQuery(qs...)
	}
	return blevesearch.NewMatchNoneQuery()
}

// Get implements index.Backend.
func (b *Index) Get(ctx context.Context, id string) (*article.Enriched, error) {
	sr := blevesearch.NewSearchRequestOptions(blevesearch.NewDocIDQuery([]string{id}), 1, 0, false)
	sr.Fields = []string{fRaw}
	sres, err := b.idx.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("bleve get %s: %w", id, err)
	}
	if len(sres.Hits) == 0 {
		return nil, fmt.Errorf("%w: %s", index.ErrNotFound, id)
	}
	raw, _ := sres.Hits[0].Fields[fRaw].(string)
	var doc article.Enriched
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		return nil, fmt.Errorf("bleve get %s: decode: %w", id, err)
	}
	return &doc, nil
}

// Count implements index.Backend.
func (b *Index) Count(ctx context.Context) (int, error) {
	n, err := b.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("bleve count: %w", err)
	}
	return int(n), nil
}

// Close implements index.Backend. When ctx ends first, Close returns its
// error and the index finishes closing in the background.
func (b *Index) Close(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- b.idx.Close() }()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, blevesearch.ErrorIndexClosed) {
			return fmt.Errorf("bleve close: %w", err)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
