package indexer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/index"
	"github.com/newswire/newswire/pipeline/indexer"
	"github.com/newswire/newswire/pipeline/stage"
)

// fakeMsg carries only data; the handler reads nothing else.
type fakeMsg struct {
	jetstream.Msg
	data []byte
}

func (m fakeMsg) Data() []byte { return m.data }

// memBackend records what it was asked to index.
type memBackend struct {
	index.Backend
	docs    map[string]*article.Enriched
	calls   int
	failAll error
	perDoc  map[string]error
}

func (b *memBackend) Index(_ context.Context, docs []*article.Enriched) ([]error, error) {
	b.calls++
	if b.failAll != nil {
		return nil, b.failAll
	}
	errs := make([]error, len(docs))
	for i, d := range docs {
		if err := b.perDoc[d.ID]; err != nil {
			errs[i] = err
			continue
		}
		b.docs[d.ID] = d
	}
	return errs, nil
}

func msg(t *testing.T, id, title string) jetstream.Msg {
	t.Helper()
	e := article.Enriched{Article: article.Article{SchemaVersion: 1, ID: id, URL: "http://x/" + id, Title: title}}
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return fakeMsg{data: data}
}

func TestHandler(t *testing.T) {
	cases := []struct {
		name      string
		msgs      func(t *testing.T) []jetstream.Msg
		perDoc    map[string]error
		failAll   error
		wantDocs  map[string]string // id -> title
		wantErrs  []string          // "", "permanent", "transient"
		wantBatch bool
	}{
		{
			name:     "all indexed",
			msgs:     func(t *testing.T) []jetstream.Msg { return []jetstream.Msg{msg(t, "a", "A"), msg(t, "b", "B")} },
			wantDocs: map[string]string{"a": "A", "b": "B"},
			wantErrs: []string{"", ""},
		},
		{
			name:     "later version of one article wins",
			msgs:     func(t *testing.T) []jetstream.Msg { return []jetstream.Msg{msg(t, "a", "old"), msg(t, "a", "new")} },
			wantDocs: map[string]string{"a": "new"},
			wantErrs: []string{"", ""},
		},
		{
			name: "garbage is permanent, rest indexed",
			msgs: func(t *testing.T) []jetstream.Msg {
				return []jetstream.Msg{fakeMsg{data: []byte("not json")}, msg(t, "b", "B"), fakeMsg{data: []byte(`{"schema_version":99,"id":"z","url":"u"}`)}}
			},
			wantDocs: map[string]string{"b": "B"},
			wantErrs: []string{"permanent", "", "permanent"},
		},
		{
			name: "per-document mapping error and 429",
			msgs: func(t *testing.T) []jetstream.Msg {
				return []jetstream.Msg{msg(t, "a", "A"), msg(t, "b", "B"), msg(t, "c", "C")}
			},
			perDoc:   map[string]error{"a": fmt.Errorf("mapper_parsing_exception: %w", index.ErrPermanent), "c": errors.New("429 too many requests")},
			wantDocs: map[string]string{"b": "B"},
			wantErrs: []string{"permanent", "", "transient"},
		},
		{
			name:      "backend down fails the batch",
			msgs:      func(t *testing.T) []jetstream.Msg { return []jetstream.Msg{msg(t, "a", "A")} },
			failAll:   errors.New("connection refused"),
			wantDocs:  map[string]string{},
			wantBatch: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := &memBackend{docs: map[string]*article.Enriched{}, perDoc: tc.perDoc, failAll: tc.failAll}
			errs, err := indexer.Handler(b)(context.Background(), tc.msgs(t))
			if tc.wantBatch {
				if err == nil || errs != nil {
					t.Fatalf("want a batch error, got errs=%v err=%v", errs, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(b.docs) != len(tc.wantDocs) {
				t.Errorf("indexed %d docs, want %d", len(b.docs), len(tc.wantDocs))
			}
			for id, title := range tc.wantDocs {
				if d := b.docs[id]; d == nil || d.Title != title {
					t.Errorf("doc %s = %+v, want title %q", id, d, title)
				}
			}
			for i, want := range tc.wantErrs {
				got := ""
				switch {
				case errs[i] == nil:
				case stage.IsPermanent(errs[i]):
					got = "permanent"
				default:
					got = "transient"
				}
				if got != want {
					t.Errorf("msg %d: outcome %q (%v), want %q", i, got, errs[i], want)
				}
			}
		})
	}
}
