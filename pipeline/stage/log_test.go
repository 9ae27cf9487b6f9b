package stage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
	"github.com/newswire/newswire/pipeline/internal/logtest"
	"github.com/newswire/newswire/pipeline/stage"
)

// TestLogLinesCarryArticleID: every line the Runner and a handler log
// about a message carries the article ID (from the JSON id field or the
// Newswire-Article-Id header) and the URL when the message has one.
func TestLogLinesCarryArticleID(t *testing.T) {
	conn := bustest.NewTestConn(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out logtest.Buffer
	log := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r, err := stage.New(ctx, conn, stage.Config{
		Name: "logs", Stream: bus.StreamEnriched, Workers: 2, MaxDeliver: 2,
		Backoff: []time.Duration{10 * time.Millisecond},
	}, log, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	var handled atomic.Int32
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = r.Run(ctx, func(ctx context.Context, m jetstream.Msg) error {
			handled.Add(1)
			stage.Logger(ctx).Info("handling")
			switch {
			case bytes.Contains(m.Data(), []byte("fail")):
				return errors.New("backend busy") // retried, then dead-lettered
			case bytes.Contains(m.Data(), []byte("bad")):
				return fmt.Errorf("mapping: %w", stage.ErrPermanent)
			}
			return nil
		})
	}()
	cases := []struct {
		name, data, header, wantID, wantURL string
		calls                               int32
	}{
		{name: "ok", data: `{"id":"a1","url":"https://x.example/1"}`, wantID: "a1", wantURL: "https://x.example/1", calls: 1},
		{name: "retried", data: `{"id":"a2","url":"https://x.example/2","text":"fail"}`, wantID: "a2", wantURL: "https://x.example/2", calls: 2},
		{name: "permanent", data: `{"id":"a3","text":"bad"}`, wantID: "a3", calls: 1},
		{name: "header", data: `not json but bad`, header: "a4", wantID: "a4", calls: 1},
	}
	var want int32
	for _, c := range cases {
		m := nats.NewMsg(bus.SubjectEnriched)
		m.Data = []byte(c.data)
		if c.header != "" {
			m.Header.Set(stage.HeaderArticleID, c.header)
		}
		if _, err := conn.JS.PublishMsg(ctx, m); err != nil {
			t.Fatal(err)
		}
		want += c.calls
	}
	bustest.CheckFor(t, 15*time.Second, 10*time.Millisecond, func() error {
		info, err := r.Consumer().Info(ctx)
		if err != nil {
			return err
		}
		if handled.Load() < want || info.NumAckPending != 0 || info.NumPending != 0 {
			return fmt.Errorf("handled %d of %d, pending %d", handled.Load(), want, info.NumAckPending+int(info.NumPending))
		}
		return nil
	})
	cancel()
	wg.Wait()

	byID := map[string][]map[string]any{}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		id, _ := m[stage.AttrArticleID].(string)
		if id == "" {
			t.Errorf("log line without %s: %s", stage.AttrArticleID, l)
			continue
		}
		byID[id] = append(byID[id], m)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines := byID[c.wantID]
			if len(lines) == 0 {
				t.Fatalf("no log lines for %s", c.wantID)
			}
			for _, l := range lines {
				if l["stage"] != "logs" {
					t.Errorf("line without the stage: %v", l)
				}
				if c.wantURL != "" && l[stage.AttrURL] != c.wantURL {
					t.Errorf("line without url %s: %v", c.wantURL, l)
				}
			}
		})
	}
}

func TestArticleAttrs(t *testing.T) {
	cases := []struct {
		name, data, header string
		want               []string // article_id, url
	}{
		{"id and url", `{"schema_version":1,"id":"a1","url":"https://x.example/1","text":"long"}`, "", []string{"a1", "https://x.example/1"}},
		{"fields after nested values", `{"meta":{"id":"inner"},"list":[1,{"url":"no"}],"url":"u","id":"a2"}`, "", []string{"a2", "u"}},
		{"id only", `{"id":"a3"}`, "", []string{"a3", ""}},
		{"header wins", `{"id":"a4"}`, "h4", []string{"h4", ""}},
		{"not json", `<html>`, "", []string{"", ""}},
		{"not an object", `["id","a5"]`, "", []string{"", ""}},
		{"id not a string", `{"id":5,"url":"u6"}`, "", []string{"", ""}},
		{"truncated", `{"id":"a7","url":"htt`, "", []string{"a7", ""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := fakeMsg{data: []byte(c.data), h: nats.Header{}}
			if c.header != "" {
				m.h.Set(stage.HeaderArticleID, c.header)
			}
			got := map[string]string{}
			for _, a := range stage.ArticleAttrs(m) {
				got[a.Key] = a.Value.String()
			}
			if got[stage.AttrArticleID] != c.want[0] || got[stage.AttrURL] != c.want[1] {
				t.Errorf("attrs = %v, want id %q url %q", got, c.want[0], c.want[1])
			}
		})
	}
}

type fakeMsg struct {
	jetstream.Msg
	data []byte
	h    nats.Header
}

func (m fakeMsg) Data() []byte         { return m.data }
func (m fakeMsg) Headers() nats.Header { return m.h }

// TestBatchLogLinesCarryArticleID: RunBatch settles each message with its
// own article ID on the log line.
func TestBatchLogLinesCarryArticleID(t *testing.T) {
	conn := bustest.NewTestConn(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out logtest.Buffer
	log := slog.New(slog.NewJSONHandler(&out, nil))
	r, err := stage.New(ctx, conn, stage.Config{
		Name: "batchlogs", Stream: bus.StreamEnriched, BatchSize: 8, BatchWait: 20 * time.Millisecond,
	}, log, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	var done sync.WaitGroup
	done.Add(1)
	go func() {
		defer done.Done()
		_ = r.RunBatch(ctx, func(ctx context.Context, ms []jetstream.Msg) ([]error, error) {
			errs := make([]error, len(ms))
			for i, m := range ms {
				if bytes.Contains(m.Data(), []byte("bad")) {
					errs[i] = fmt.Errorf("mapping: %w", stage.ErrPermanent)
				}
			}
			return errs, nil
		})
	}()
	for _, d := range []string{`{"id":"b1","url":"u1"}`, `{"id":"b2","url":"u2","text":"bad"}`, `{"id":"b3","url":"u3","text":"bad"}`} {
		if _, err := conn.JS.Publish(ctx, bus.SubjectEnriched, []byte(d)); err != nil {
			t.Fatal(err)
		}
	}
	bustest.CheckFor(t, 15*time.Second, 10*time.Millisecond, func() error {
		if n := strings.Count(out.String(), `"msg":"dead-lettered"`); n != 2 {
			return fmt.Errorf("%d dead-lettered lines, want 2", n)
		}
		return nil
	})
	cancel()
	done.Wait()
	seen := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		if m["msg"] != "dead-lettered" {
			continue
		}
		id, _ := m[stage.AttrArticleID].(string)
		seen[id] = true
		if want := "u" + strings.TrimPrefix(id, "b"); m[stage.AttrURL] != want {
			t.Errorf("line %v: url want %s", m, want)
		}
	}
	if !seen["b2"] || !seen["b3"] {
		t.Errorf("dead-lettered lines for %v, want b2 and b3", seen)
	}
}

// FuzzArticleAttrs: ArticleAttrs never panics on any message, and on a JSON
// object with one "id" and one "url" string it returns them.
func FuzzArticleAttrs(f *testing.F) {
	for _, s := range []string{`{"schema_version":1,"id":"a1","url":"https://x.example/1","text":"long"}`,
		`{"meta":{"id":"inner"},"url":"u","id":"a2"}`, `["id"]`, `{"id":5}`, `{"id":"a7","url":"htt`, ``, `{`, `{"id":"\u00e9\ud800"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := map[string]string{}
		for _, a := range stage.ArticleAttrs(fakeMsg{data: data}) {
			got[a.Key] = a.Value.String()
		}
		var v map[string]any
		if json.Unmarshal(data, &v) != nil || bytes.Count(data, []byte(`"id"`)) != 1 || bytes.Count(data, []byte(`"url"`)) != 1 {
			return
		}
		id, ok1 := v["id"].(string)
		url, ok2 := v["url"].(string)
		if ok1 && ok2 && (got[stage.AttrArticleID] != id || got[stage.AttrURL] != url) {
			t.Fatalf("attrs %v, want id %q url %q", got, id, url)
		}
	})
}
