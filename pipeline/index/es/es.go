package es

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"
	"github.com/elastic/go-elasticsearch/v8/esutil"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/index"
)

//go:embed template.json
var templateJSON string

// Config configures the backend. Zero values mean defaults.
type Config struct {
	// Addresses are the cluster's URLs. Default http://localhost:9200.
	Addresses []string
	// Username and Password for basic authentication; APIKey (base64)
	// overrides them.
	Username, Password, APIKey string
	// IndexPrefix names the template, the write alias and the indices
	// (PREFIX-000001, ...). Default "newswire".
	IndexPrefix string
	// Transport replaces the HTTP transport, for tests.
	Transport http.RoundTripper
	// FlushBytes is the bulk request size. Default 5 MB.
	FlushBytes int
}

// Backend is the Elasticsearch backend. Safe for concurrent use.
type Backend struct {
	client *elasticsearch.Client
	prefix string
	cfg    Config
}

var _ index.Backend = (*Backend)(nil)

// Template returns the index template body for indices named PREFIX-*.
func Template(prefix string) string {
	return strings.ReplaceAll(templateJSON, "{{PREFIX}}", prefix)
}

// New connects, installs the index template and creates the write alias
// when missing.
func New(ctx context.Context, cfg Config) (*Backend, error) {
	if cfg.IndexPrefix == "" {
		cfg.IndexPrefix = "newswire"
	}
	if len(cfg.Addresses) == 0 {
		cfg.Addresses = []string{"http://localhost:9200"}
	}
	if cfg.FlushBytes <= 0 {
		cfg.FlushBytes = 5 << 20
	}
	client, err := elasticsearch.NewClient(elasticsearch.Config{
		Addresses: cfg.Addresses, Username: cfg.Username, Password: cfg.Password, APIKey: cfg.APIKey,
		Transport: cfg.Transport, RetryOnStatus: []int{429, 502, 503, 504}, MaxRetries: 3,
		RetryBackoff: func(n int) time.Duration { return time.Duration(n) * 100 * time.Millisecond },
	})
	if err != nil {
		return nil, fmt.Errorf("elasticsearch client: %w", err)
	}
	b := &Backend{client: client, prefix: cfg.IndexPrefix, cfg: cfg}
	if err := b.setup(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *Backend) setup(ctx context.Context) error {
	res, err := b.client.Indices.PutIndexTemplate(b.prefix, strings.NewReader(Template(b.prefix)), b.client.Indices.PutIndexTemplate.WithContext(ctx))
	if err := check(res, err, "put index template"); err != nil {
		return err
	}
	res, err = b.client.Indices.ExistsAlias([]string{b.prefix}, b.client.Indices.ExistsAlias.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("elasticsearch: check alias %s: %w", b.prefix, err)
	}
	res.Body.Close()
	if res.StatusCode == http.StatusOK {
		return nil
	}
	body := fmt.Sprintf(`{"aliases":{%q:{"is_write_index":true}}}`, b.prefix)
	res, err = b.client.Indices.Create(b.prefix+"-000001", b.client.Indices.Create.WithBody(strings.NewReader(body)), b.client.Indices.Create.WithContext(ctx))
	if err == nil && res.StatusCode == http.StatusBadRequest {
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if bytes.Contains(raw, []byte("resource_already_exists_exception")) {
			return nil // another worker won the race
		}
		return fmt.Errorf("elasticsearch: create index %s-000001: %s", b.prefix, raw)
	}
	return check(res, err, "create index "+b.prefix+"-000001")
}

// check turns a failed call into an error and closes the body.
func check(res *esapi.Response, err error, what string) error {
	if err != nil {
		return fmt.Errorf("elasticsearch: %s: %w", what, err)
	}
	defer res.Body.Close()
	if res.IsError() {
		raw, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
		return fmt.Errorf("elasticsearch: %s: %s: %s", what, res.Status(), raw)
	}
	return nil
}

type esEvent struct {
	Type        string          `json:"type"`
	Date        *string         `json:"date,omitempty"`
	Place       *string         `json:"place,omitempty"`
	CountryCode *string         `json:"country_code,omitempty"`
	Location    *map[string]any `json:"location,omitempty"`
	Killed      *int            `json:"killed,omitempty"`
	Injured     *int            `json:"injured,omitempty"`
}

type esEntity struct {
	Kind    string   `json:"kind"`
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
}

// Document is the Elasticsearch source of an article.
func Document(doc *article.Enriched) map[string]any {
	h := index.HitFor(doc)
	people, groups, places := index.Keys(doc)
	var ents []esEntity
	for _, e := range doc.People {
		ents = append(ents, esEntity{"person", e.ID, e.Name, e.Aliases})
	}
	for _, e := range doc.Groups {
		ents = append(ents, esEntity{"group", e.ID, e.Name, e.Aliases})
	}
	for _, p := range doc.Places {
		ents = append(ents, esEntity{"place", p.ID, p.Name, p.Aliases})
	}
	var evs []esEvent
	for _, e := range doc.Events {
		ev := esEvent{Type: e.Type, Date: e.Date, Place: e.Place, CountryCode: e.CountryCode, Killed: e.Killed, Injured: e.Injured}
		if e.Lat != nil && e.Lon != nil {
			ev.Location = &map[string]any{"lat": *e.Lat, "lon": *e.Lon}
		}
		evs = append(evs, ev)
	}
	d := map[string]any{
		"id": doc.ID, "url": doc.URL, "title": doc.Title, "text": doc.Text,
		"source": index.NormSource(doc.Source), "lang": strings.ToLower(doc.Language),
		"people": h.People, "groups": h.Groups, "places": h.Places,
		"people_key": people, "groups_key": groups, "places_key": places,
		"event_types": h.EventTypes, "entities": ents, "events": evs,
		"hit": h, "events_raw": doc.Events, "article": doc,
	}
	if doc.Published != nil {
		d["published"] = doc.Published.UTC().Format(time.RFC3339Nano)
	}
	return d
}

// Index implements index.Backend through esutil.BulkIndexer on the write
// alias. Per-item 400s (mapping errors) wrap index.ErrPermanent; 429, 409
// and 5xx items are transient. Bulk requests refused with 429 or 5xx are
// retried by the client with backoff.
func (b *Backend) Index(ctx context.Context, docs []*article.Enriched) ([]error, error) {
	perDoc := make([]error, len(docs))
	var fatal error
	bi, err := esutil.NewBulkIndexer(esutil.BulkIndexerConfig{
		Client: b.client, Index: b.prefix, NumWorkers: 1, FlushBytes: b.cfg.FlushBytes,
		FlushInterval: time.Hour, // Close flushes
	})
	if err != nil {
		return nil, fmt.Errorf("elasticsearch bulk indexer: %w", err)
	}
	for i, doc := range docs {
		if doc == nil || doc.ID == "" {
			perDoc[i] = fmt.Errorf("%w: document without id", index.ErrPermanent)
			continue
		}
		body, err := json.Marshal(Document(doc))
		if err != nil {
			perDoc[i] = fmt.Errorf("%w: encode %s: %v", index.ErrPermanent, doc.ID, err)
			continue
		}
		i := i
		perDoc[i] = errors.New("elasticsearch: no bulk response for document")
		err = bi.Add(ctx, esutil.BulkIndexerItem{
			Action: "index", DocumentID: doc.ID, Body: bytes.NewReader(body),
			OnSuccess: func(context.Context, esutil.BulkIndexerItem, esutil.BulkIndexerResponseItem) { perDoc[i] = nil },
			OnFailure: func(_ context.Context, _ esutil.BulkIndexerItem, r esutil.BulkIndexerResponseItem, err error) {
				if err != nil {
					fatal = err
					perDoc[i] = err
					return
				}
				perDoc[i] = itemError(r)
			},
		})
		if err != nil {
			bi.Close(ctx)
			return nil, fmt.Errorf("elasticsearch bulk add: %w", err)
		}
	}
	if err := bi.Close(ctx); err != nil {
		return nil, fmt.Errorf("elasticsearch bulk: %w", err)
	}
	if fatal != nil {
		return nil, fmt.Errorf("elasticsearch bulk: %w", fatal)
	}
	return perDoc, nil
}

func itemError(r esutil.BulkIndexerResponseItem) error {
	msg := fmt.Sprintf("elasticsearch: index %s: %d %s: %s", r.DocumentID, r.Status, r.Error.Type, r.Error.Reason)
	if r.Error.Cause.Reason != "" {
		msg += " (" + r.Error.Cause.Reason + ")"
	}
	if r.Status == http.StatusTooManyRequests || r.Status == http.StatusConflict || r.Status >= 500 {
		return errors.New(msg)
	}
	return fmt.Errorf("%w: %s", index.ErrPermanent, msg)
}
