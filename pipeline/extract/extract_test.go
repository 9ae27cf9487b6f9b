package extract_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
	"github.com/newswire/newswire/pipeline/extract"
	"github.com/newswire/newswire/pipeline/internal/logtest"
	"github.com/newswire/newswire/pipeline/stage"
)

// bigServer starts an in-process JetStream server that accepts messages of
// up to 64 MB (the NATS maximum), so that a 50 MB article can reach the
// extract stage, and returns a connection with newswire's streams.
func bigServer(t *testing.T) *bus.Conn {
	t.Helper()
	s, err := server.NewServer(&server.Options{
		JetStream: true, StoreDir: t.TempDir(), DontListen: true, NoSigs: true, NoLog: true,
		// A 50 MB message to a consumer under -race on a loaded machine
		// can take longer than the default write deadline (10 s).
		MaxPayload: 64 << 20, WriteDeadline: 2 * time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats not ready")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	c, err := bus.Connect(ctx, "", s, nil)
	if err != nil {
		bus.Shutdown(s)
		t.Fatal(err)
	}
	t.Cleanup(func() { c.NC.Close(); bus.Shutdown(s) })
	if err := c.EnsureStreams(ctx, bus.StreamOptions{Memory: true}); err != nil {
		t.Fatal(err)
	}
	return c
}

// runStage runs the extract stage on conn until the test ends.
func runStage(t *testing.T, conn *bus.Conn, w *extract.Worker, log *slog.Logger) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	// The default MaxDeliver: on a loaded machine a publish can time out
	// after JetStream stored it, and the retry must find the duplicate
	// rather than give up and dead-letter a good article.
	r, err := stage.New(ctx, conn, stage.Config{Name: "extract", Stream: bus.StreamRaw, Workers: 2, AckWait: time.Minute,
		Backoff: []time.Duration{100 * time.Millisecond}}, log, prometheus.NewRegistry())
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = r.Run(ctx, w.Handle) }()
	t.Cleanup(func() { cancel(); <-done })
}

func rawArticle(id, text string) *article.Article {
	return &article.Article{SchemaVersion: article.SchemaVersion, ID: id, URL: "https://harbour.example/news/" + id,
		CanonicalURL: "https://harbour.example/news/" + id, Source: "harbour.example", Title: "Ferry news " + id,
		Fetched: time.Now().UTC(), Language: "en", Text: text, ContentHash: article.HashText(text)}
}

func streamMsgs(ctx context.Context, conn *bus.Conn, stream string) (uint64, error) {
	s, err := conn.JS.Stream(ctx, stream)
	if err != nil {
		return 0, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return 0, err
	}
	return info.State.Msgs, nil
}

func lastMsg(ctx context.Context, conn *bus.Conn, stream, subject string) (*jetstream.RawStreamMsg, error) {
	s, err := conn.JS.Stream(ctx, stream)
	if err != nil {
		return nil, err
	}
	return s.GetLastMsgForSubject(ctx, subject)
}

// TestHandleHugeMessage: a 50 MB raw article that bypassed the crawler is
// dead-lettered as too large before it is decoded, with its article ID on
// the log line, and the articles after it are enriched.
func TestHandleHugeMessage(t *testing.T) {
	conn := bigServer(t)
	p, err := extractors.NewPipeline(extractors.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var logs logtest.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	runStage(t, conn, extract.New(conn, p, log), log)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs:\n%s", logs.String())
		}
	})

	ctx := context.Background()
	sentence := "The harbour master said the ferry would sail again on Friday. "
	huge := rawArticle("huge", strings.Repeat(sentence, 50<<20/len(sentence)))
	if _, err := conn.PublishJSON(ctx, bus.RawSubject("harbour.example"), huge, jetstream.WithMsgID("huge")); err != nil {
		t.Fatal(err)
	}
	huge = nil
	for _, id := range []string{"next-1", "next-2"} {
		if _, err := conn.PublishJSON(ctx, bus.RawSubject("harbour.example"), rawArticle(id, "Mara Quill, the harbour master, said the ferry to Tollan would sail on Friday.")); err != nil {
			t.Fatal(err)
		}
	}
	bustest.CheckFor(t, 60*time.Second, 20*time.Millisecond, func() error {
		enriched, err := streamMsgs(ctx, conn, bus.StreamEnriched)
		if err != nil {
			return err
		}
		dead, err := streamMsgs(ctx, conn, bus.StreamDLQ)
		if err != nil {
			return err
		}
		if enriched != 2 || dead != 1 {
			return fmt.Errorf("%d enriched, %d dead letters; want 2 and 1", enriched, dead)
		}
		return nil
	})
	// The JetStream API cannot return a 50 MB message (it base64-encodes
	// it), so read the dead letter with a consumer.
	cons, err := conn.JS.OrderedConsumer(ctx, bus.StreamDLQ, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	dl, err := cons.Next(jetstream.FetchMaxWait(30 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if reason := dl.Headers().Get(stage.HeaderError); !strings.Contains(reason, "too large") {
		t.Errorf("dead-letter reason %q does not say too large", reason)
	}
	if len(dl.Data()) < 50<<20 {
		t.Errorf("dead letter holds %d bytes, want the original message", len(dl.Data()))
	}
	found := false
	for _, l := range logs.JSONLines(t) {
		if l["msg"] == "dead-lettered" {
			found = true
			if l[stage.AttrArticleID] != "huge" || !strings.Contains(fmt.Sprint(l["reason"]), "too large") {
				t.Errorf("dead-letter log line %v lacks the article ID or the reason", l)
			}
		}
	}
	if !found {
		t.Error("no log line for the dead letter")
	}
}

// TestHandleLongText: an article whose text is over MaxTextBytes but under
// MaxMessageBytes is analysed on its first MaxTextBytes only, and published
// enriched with its full text, on the default 8 MB bus.
func TestHandleLongText(t *testing.T) {
	conn := bustest.NewTestConn(t)
	var analysed atomic.Int64
	p := extractors.NewPipelineOf(measure{&analysed})
	var logs logtest.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	runStage(t, conn, extract.New(conn, p, log), log)
	ctx := context.Background()
	sentence := "Mara Quill said the ferry to Tollan would sail on Friday. "
	text := strings.Repeat(sentence, 3*extract.MaxTextBytes/len(sentence))
	if _, err := conn.PublishJSON(ctx, bus.RawSubject("harbour.example"), rawArticle("long", text)); err != nil {
		t.Fatal(err)
	}
	var e *article.Enriched
	bustest.CheckFor(t, 60*time.Second, 20*time.Millisecond, func() error {
		m, err := lastMsg(ctx, conn, bus.StreamEnriched, bus.SubjectEnriched)
		if err != nil {
			return err
		}
		e, err = article.DecodeEnriched(m.Data)
		return err
	})
	if e.Text != text {
		t.Errorf("enriched text is %d bytes, want the full %d", len(e.Text), len(text))
	}
	if n := analysed.Load(); n == 0 || n > extract.MaxTextBytes {
		t.Errorf("analysed %d bytes, want 1..%d", n, extract.MaxTextBytes)
	}
	cut := false
	for _, l := range logs.JSONLines(t) {
		if l["msg"] == "text cut for analysis" && l[stage.AttrArticleID] == "long" {
			cut = true
		}
	}
	if !cut {
		t.Error("no log line saying the text was cut for analysis")
	}
}

// measure is an extractor that records how much text it was given.
type measure struct{ n *atomic.Int64 }

func (measure) Name() string { return "measure" }
func (x measure) Extract(_ context.Context, d *extractors.Document) error {
	x.n.Store(int64(len(d.Article.Text)))
	return nil
}

// TestHandleTooLargeLimit: Worker.MaxMessageBytes is honoured.
func TestHandleTooLargeLimit(t *testing.T) {
	conn := bustest.NewTestConn(t)
	p := extractors.NewPipelineOf()
	w := extract.New(conn, p, nil)
	w.MaxMessageBytes = 1000
	ctx := context.Background()
	cases := []struct {
		name   string
		text   string
		tooBig bool
	}{
		{"under", "short", false},
		{"over", strings.Repeat("x", 2000), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data, err := json.Marshal(rawArticle(c.name, c.text))
			if err != nil {
				t.Fatal(err)
			}
			err = w.Handle(ctx, fakeMsg{data: data})
			if got := err != nil && strings.Contains(err.Error(), "too large"); got != c.tooBig {
				t.Fatalf("err = %v, want too large: %v", err, c.tooBig)
			}
			if c.tooBig && !stage.IsPermanent(err) {
				t.Errorf("too large is not permanent: %v", err)
			}
		})
	}
}

// fakeMsg is a jetstream.Msg with data only, for calling Handle directly.
type fakeMsg struct {
	jetstream.Msg
	data []byte
}

func (m fakeMsg) Data() []byte { return m.data }

// TestHandleBadMessages: messages that are not JSON, lack required fields
// or have a newer schema version are dead-lettered with the reason, and the
// stage goes on with the next article.
func TestHandleBadMessages(t *testing.T) {
	conn := bustest.NewTestConn(t)
	var logs logtest.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	runStage(t, conn, extract.New(conn, extractors.NewPipelineOf(), log), log)
	ctx := context.Background()
	newer := rawArticle("newer", "Text.")
	newer.SchemaVersion = article.SchemaVersion + 1
	newerJSON, err := json.Marshal(newer)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, data, reason string
	}{
		{"not json", "<html>not json</html>", "decode article"},
		{"truncated json", `{"schema_version":1,"id":"cut","url":"https://harbour.example/cut","text":"The ferry`, "decode article"},
		{"no url", `{"schema_version":1,"id":"nourl"}`, "missing url"},
		{"newer schema", string(newerJSON), "version"},
		{"invalid utf-8", "{\"schema_version\":1,\"id\":\"\xff\xfe\",\"url\":", "decode article"},
	}
	for _, c := range cases {
		if _, err := conn.JS.Publish(ctx, bus.RawSubject("harbour.example"), []byte(c.data)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.PublishJSON(ctx, bus.RawSubject("harbour.example"), rawArticle("good", "The ferry sailed.")); err != nil {
		t.Fatal(err)
	}
	bustest.CheckFor(t, 30*time.Second, 20*time.Millisecond, func() error {
		enriched, err := streamMsgs(ctx, conn, bus.StreamEnriched)
		if err != nil {
			return err
		}
		dead, err := streamMsgs(ctx, conn, bus.StreamDLQ)
		if err != nil {
			return err
		}
		if enriched != 1 || dead != uint64(len(cases)) {
			return fmt.Errorf("%d enriched, %d dead letters; want 1 and %d", enriched, dead, len(cases))
		}
		return nil
	})
	cons, err := conn.JS.OrderedConsumer(ctx, bus.StreamDLQ, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for range cases {
		m, err := cons.Next(jetstream.FetchMaxWait(10 * time.Second))
		if err != nil {
			t.Fatal(err)
		}
		reasons[string(m.Data())] = m.Headers().Get(stage.HeaderError)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, ok := reasons[c.data]
			if !ok {
				t.Fatal("no dead letter with the original message")
			}
			if !strings.Contains(r, c.reason) {
				t.Errorf("reason %q, want it to say %q", r, c.reason)
			}
		})
	}
}
