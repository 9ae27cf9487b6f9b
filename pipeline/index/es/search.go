package es

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/index"
)

type obj = map[string]any

// Query translates a query tree to Elasticsearch query DSL.
func Query(n *index.Node) obj {
	switch n.Kind {
	case index.NodeAll:
		return obj{"match_all": obj{}}
	case index.NodeWord, index.NodePhrase:
		return obj{"bool": obj{"should": []any{
			obj{"match_phrase": obj{"title": obj{"query": n.Text, "boost": 2}}},
			obj{"match_phrase": obj{"text": obj{"query": n.Text}}},
		}, "minimum_should_match": 1}}
	case index.NodeField:
		field := map[index.Field]string{
			index.FieldPerson: "people_key", index.FieldGroup: "groups_key", index.FieldPlace: "places_key",
			index.FieldEvent: "event_types", index.FieldSource: "source", index.FieldLang: "lang",
		}[n.Field]
		vals := make([]string, len(n.Values))
		for i, v := range n.Values {
			vals[i] = strings.ToLower(v)
		}
		return obj{"terms": obj{field: vals}}
	case index.NodeDate:
		r := obj{}
		if n.From != nil {
			r["gte"] = n.From.UTC().Format(time.RFC3339)
		}
		if n.To != nil {
			r["lt"] = n.To.UTC().Format(time.RFC3339)
		}
		return obj{"range": obj{"published": r}}
	case index.NodeNot:
		return obj{"bool": obj{"must": []any{obj{"match_all": obj{}}}, "must_not": []any{Query(n.Children[0])}}}
	case index.NodeAnd:
		var must, not []any
		for _, c := range n.Children {
			if c.Kind == index.NodeNot {
				not = append(not, Query(c.Children[0]))
			} else {
				must = append(must, Query(c))
			}
		}
		b := obj{}
		if len(must) > 0 {
			b["must"] = must
		} else {
			b["must"] = []any{obj{"match_all": obj{}}}
		}
		if len(not) > 0 {
			b["must_not"] = not
		}
		return obj{"bool": b}
	case index.NodeOr:
		var should []any
		for _, c := range n.Children {
			should = append(should, Query(c))
		}
		return obj{"bool": obj{"should": should, "minimum_should_match": 1}}
	}
	return obj{"match_none": obj{}}
}

func sortFor(s index.Sort) []any {
	date := obj{"published": obj{"order": "desc", "missing": "_last"}}
	id := obj{"id": obj{"order": "asc"}}
	if s == index.SortDate {
		return []any{date, "_score", id}
	}
	return []any{"_score", date, id}
}

func facetFields() map[string]string {
	return map[string]string{
		index.FacetPeople: "people", index.FacetGroups: "groups", index.FacetPlaces: "places",
		index.FacetEventTypes: "event_types", index.FacetSources: "source",
	}
}

// SearchBody builds the search request body of a prepared request.
func SearchBody(req index.Request, q *index.Query) obj {
	body := obj{
		"query": Query(q.Root), "from": req.From, "size": req.Size, "track_total_hits": true,
		"sort": sortFor(req.Sort), "_source": []string{"hit"},
	}
	if req.Highlight {
		body["highlight"] = obj{
			"pre_tags": []string{"<mark>"}, "post_tags": []string{"</mark>"}, "encoder": "html",
			"fields": obj{"title": obj{"number_of_fragments": 0}, "text": obj{"fragment_size": 200, "number_of_fragments": 3}},
		}
	}
	if req.Facets {
		aggs := obj{}
		for name, field := range facetFields() {
			aggs[name] = obj{"terms": obj{"field": field, "size": req.FacetSize, "order": []any{obj{"_count": "desc"}, obj{"_key": "asc"}}}}
		}
		body["aggs"] = aggs
	}
	return body
}

type searchResponse struct {
	Hits struct {
		Total struct {
			Value int `json:"value"`
		} `json:"total"`
		Hits []struct {
			ID        string              `json:"_id"`
			Index     string              `json:"_index"`
			Score     *float64            `json:"_score"`
			Source    json.RawMessage     `json:"_source"`
			Highlight map[string][]string `json:"highlight"`
		} `json:"hits"`
	} `json:"hits"`
	Aggregations map[string]struct {
		Buckets []struct {
			Key      string `json:"key"`
			DocCount int    `json:"doc_count"`
		} `json:"buckets"`
	} `json:"aggregations"`
}

func (b *Backend) search(ctx context.Context, body obj) (*searchResponse, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("elasticsearch: encode search: %w", err)
	}
	res, err := b.client.Search(
		b.client.Search.WithContext(ctx), b.client.Search.WithIndex(b.prefix+"-*"),
		b.client.Search.WithBody(bytes.NewReader(raw)),
	)
	if err != nil {
		return nil, fmt.Errorf("elasticsearch search: %w", err)
	}
	defer res.Body.Close()
	if res.IsError() {
		msg, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
		return nil, fmt.Errorf("elasticsearch search: %s: %s", res.Status(), msg)
	}
	var sr searchResponse
	if err := json.NewDecoder(res.Body).Decode(&sr); err != nil {
		return nil, fmt.Errorf("elasticsearch search: decode: %w", err)
	}
	return &sr, nil
}

// Search implements index.Backend.
func (b *Backend) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	start := time.Now()
	req, q, err := index.Prepare(req)
	if err != nil {
		return nil, err
	}
	sr, err := b.search(ctx, SearchBody(req, q))
	if err != nil {
		return nil, err
	}
	res := &index.Result{Total: sr.Hits.Total.Value, Hits: make([]index.Hit, 0, len(sr.Hits.Hits))}
	for _, h := range sr.Hits.Hits {
		var src struct {
			Hit index.Hit `json:"hit"`
		}
		if err := json.Unmarshal(h.Source, &src); err != nil {
			return nil, fmt.Errorf("elasticsearch: decode hit %s: %w", h.ID, err)
		}
		hit := src.Hit
		hit.ID = h.ID
		if h.Score != nil {
			hit.Score = *h.Score
		}
		if req.Highlight {
			hit.Snippets = index.CleanSnippets(append(append([]string{}, h.Highlight["title"]...), h.Highlight["text"]...))
		}
		res.Hits = append(res.Hits, hit)
	}
	if req.Facets {
		res.Facets = map[string][]index.FacetValue{}
		for name := range facetFields() {
			vals := []index.FacetValue{}
			for _, bk := range sr.Aggregations[name].Buckets {
				vals = append(vals, index.FacetValue{Value: bk.Key, Count: bk.DocCount})
			}
			res.Facets[name] = vals
		}
	}
	if req.Events {
		body := obj{"query": Query(q.Root), "size": index.MaxEventArticles, "sort": sortFor(index.SortDate), "_source": []string{"hit", "events_raw"}}
		er, err := b.search(ctx, body)
		if err != nil {
			return nil, err
		}
		res.Events = []index.EventHit{}
		for _, h := range er.Hits.Hits {
			var src struct {
				Hit    index.Hit       `json:"hit"`
				Events []article.Event `json:"events_raw"`
			}
			if err := json.Unmarshal(h.Source, &src); err != nil {
				return nil, fmt.Errorf("elasticsearch: decode events of %s: %w", h.ID, err)
			}
			for _, e := range src.Events {
				res.Events = append(res.Events, index.EventHit{ArticleID: h.ID, Title: src.Hit.Title, URL: src.Hit.URL, Event: e})
			}
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

// Get implements index.Backend; it searches every index of the alias by ID.
func (b *Backend) Get(ctx context.Context, id string) (*article.Enriched, error) {
	sr, err := b.search(ctx, obj{"query": obj{"ids": obj{"values": []string{id}}}, "size": 1, "_source": []string{"article"}})
	if err != nil {
		return nil, err
	}
	if len(sr.Hits.Hits) == 0 {
		return nil, fmt.Errorf("%w: %s", index.ErrNotFound, id)
	}
	var src struct {
		Article article.Enriched `json:"article"`
	}
	if err := json.Unmarshal(sr.Hits.Hits[0].Source, &src); err != nil {
		return nil, fmt.Errorf("elasticsearch: decode article %s: %w", id, err)
	}
	return &src.Article, nil
}

// Count implements index.Backend.
func (b *Backend) Count(ctx context.Context) (int, error) {
	res, err := b.client.Count(b.client.Count.WithContext(ctx), b.client.Count.WithIndex(b.prefix+"-*"))
	if err != nil {
		return 0, fmt.Errorf("elasticsearch count: %w", err)
	}
	defer res.Body.Close()
	if res.IsError() {
		return 0, fmt.Errorf("elasticsearch count: %s", res.Status())
	}
	var c struct {
		Count int `json:"count"`
	}
	if err := json.NewDecoder(res.Body).Decode(&c); err != nil {
		return 0, fmt.Errorf("elasticsearch count: decode: %w", err)
	}
	return c.Count, nil
}

// Close implements index.Backend; the client holds no resources beyond idle
// HTTP connections.
func (b *Backend) Close(_ context.Context) error {
	if t, ok := b.cfg.Transport.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
	return nil
}
