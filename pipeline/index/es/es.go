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
	"slices"
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
// alias. Per-item 400s (mapping errors) wrap index.ErrPermanent; 429 and 5xx
// items are transient. Bulk requests refused with 429 or 5xx are retried by
// the client with backoff.
//
// Rollover: before writing, Index looks the IDs up across every index of the
// prefix, and an article already stored in an older index is updated there,
// not written again through the alias into the newest one (which would
// duplicate it). Copies that an earlier version left in more than one index
// are deleted in the same bulk request, keeping the newest index's copy.
// The look-up is a search, so it sees documents once the index has
// refreshed (1 s by default): an article first written less than a refresh
// interval before a rollover can still be duplicated.
//
// Ordering: a document with a Fetched time is written with external
// versioning (version_type external_gte, version = Fetched in Unix
// milliseconds), so a redelivered older update never overwrites a newer
// one; Elasticsearch's version conflict for it counts as success. The same
// fetched time updates (re-extraction of one fetch).
func (b *Backend) Index(ctx context.Context, docs []*article.Enriched) ([]error, error) {
	perDoc := make([]error, len(docs))
	var ids []string
	for i, doc := range docs {
		if doc == nil || doc.ID == "" {
			perDoc[i] = fmt.Errorf("%w: document without id", index.ErrPermanent)
			continue
		}
		ids = append(ids, doc.ID)
	}
	where, err := b.locate(ctx, ids)
	if err != nil {
		return nil, err
	}
	var fatal error
	bi, err := esutil.NewBulkIndexer(esutil.BulkIndexerConfig{
		Client: b.client, Index: b.prefix, NumWorkers: 1, FlushBytes: b.cfg.FlushBytes,
		FlushInterval: time.Hour, // Close flushes
	})
	if err != nil {
		return nil, fmt.Errorf("elasticsearch bulk indexer: %w", err)
	}
	deleted := map[string]bool{} // id+index of duplicates already deleted in this call
	for i, doc := range docs {
		if perDoc[i] != nil {
			continue
		}
		body, err := json.Marshal(Document(doc))
		if err != nil {
			perDoc[i] = fmt.Errorf("%w: encode %s: %v", index.ErrPermanent, doc.ID, err)
			continue
		}
		item := esutil.BulkIndexerItem{Action: "index", DocumentID: doc.ID, Body: bytes.NewReader(body)}
		if in := where[doc.ID]; len(in) > 0 {
			item.Index = in[len(in)-1] // the newest index that holds it
		}
		if !doc.Fetched.IsZero() {
			v := max(doc.Fetched.UnixMilli(), 0)
			item.Version, item.VersionType = &v, "external_gte"
		}
		i := i
		perDoc[i] = errors.New("elasticsearch: no bulk response for document")
		item.OnSuccess = func(context.Context, esutil.BulkIndexerItem, esutil.BulkIndexerResponseItem) {
			if perDoc[i] != nil && !errors.Is(perDoc[i], errDuplicateLeft) {
				perDoc[i] = nil
			}
		}
		item.OnFailure = func(_ context.Context, it esutil.BulkIndexerItem, r esutil.BulkIndexerResponseItem, err error) {
			switch {
			case err != nil:
				fatal = err
				perDoc[i] = err
			case r.Status == http.StatusConflict && it.Version != nil:
				// The stored version is newer: this update is obsolete.
				if !errors.Is(perDoc[i], errDuplicateLeft) {
					perDoc[i] = nil
				}
			default:
				perDoc[i] = itemError(r)
			}
		}
		if err := bi.Add(ctx, item); err != nil {
			bi.Close(ctx)
			return nil, fmt.Errorf("elasticsearch bulk add: %w", err)
		}
		for _, old := range where[doc.ID][:max(len(where[doc.ID])-1, 0)] {
			if deleted[old+"\x00"+doc.ID] {
				continue
			}
			deleted[old+"\x00"+doc.ID] = true
			err := bi.Add(ctx, esutil.BulkIndexerItem{
				Action: "delete", Index: old, DocumentID: doc.ID,
				OnFailure: func(_ context.Context, _ esutil.BulkIndexerItem, r esutil.BulkIndexerResponseItem, err error) {
					if err == nil && r.Status == http.StatusNotFound {
						return // already gone
					}
					if err != nil {
						fatal = err
					}
					// Retry the document, so the duplicate is deleted then.
					perDoc[i] = fmt.Errorf("%w: %s in %s: %d %s", errDuplicateLeft, doc.ID, old, r.Status, r.Error.Reason)
				},
			})
			if err != nil {
				bi.Close(ctx)
				return nil, fmt.Errorf("elasticsearch bulk add: %w", err)
			}
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

// errDuplicateLeft is the transient per-document error when a copy of the
// article in an older index could not be deleted.
var errDuplicateLeft = errors.New("elasticsearch: could not delete the copy of a rolled-over article")

// lookupChunk is how many IDs one look-up search asks for.
const lookupChunk = 1000

// locate returns, for each of ids that is stored, the indices holding it,
// oldest first (index names sort by their rollover counter).
func (b *Backend) locate(ctx context.Context, ids []string) (map[string][]string, error) {
	where := make(map[string][]string, len(ids))
	for start := 0; start < len(ids); start += lookupChunk {
		chunk := ids[start:min(start+lookupChunk, len(ids))]
		sr, err := b.search(ctx, obj{
			"query": obj{"ids": obj{"values": chunk}}, "size": index.MaxPageDepth,
			"_source": false, "track_total_hits": false,
		})
		if err != nil {
			return nil, fmt.Errorf("elasticsearch: look up stored articles: %w", err)
		}
		for _, h := range sr.Hits.Hits {
			if h.Index != "" && !slices.Contains(where[h.ID], h.Index) {
				where[h.ID] = append(where[h.ID], h.Index)
			}
		}
	}
	for _, in := range where {
		slices.Sort(in)
	}
	return where, nil
}

func itemError(r esutil.BulkIndexerResponseItem) error {
	msg := fmt.Sprintf("elasticsearch: index %s: %d %s: %s", r.DocumentID, r.Status, r.Error.Type, r.Error.Reason)
	if r.Error.Cause.Reason != "" {
		msg += " (" + r.Error.Cause.Reason + ")"
	}
	if r.Status == http.StatusTooManyRequests || r.Status == http.StatusConflict || r.Status >= 500 || r.Status == 0 {
		return errors.New(msg)
	}
	return fmt.Errorf("%w: %s", index.ErrPermanent, msg)
}
