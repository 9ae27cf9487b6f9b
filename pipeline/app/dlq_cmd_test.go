package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
	"github.com/newswire/newswire/pipeline/dlq"
	"github.com/newswire/newswire/pipeline/stage"
)

// dlqFixture is a NATS server listening on a free port, with an extract
// stage whose handler fails (permanently) until fixed, and dead letters
// made by the real stage Runner.
type dlqFixture struct {
	url     string
	conn    *bus.Conn
	broken  atomic.Bool
	handled sync.Map // article id -> true once handled successfully
}

func newDLQFixture(t *testing.T) *dlqFixture {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	srv, err := bus.StartEmbedded(ctx, bus.EmbeddedOptions{StoreDir: t.TempDir(), Listen: true, Port: -1})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := bus.Connect(ctx, "", srv, nil)
	if err != nil {
		bus.Shutdown(srv)
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.NC.Close(); bus.Shutdown(srv) })
	if err := conn.EnsureStreams(ctx, bus.StreamOptions{}); err != nil {
		t.Fatal(err)
	}
	f := &dlqFixture{url: srv.ClientURL(), conn: conn}
	f.broken.Store(true)

	rctx, rcancel := context.WithCancel(context.Background())
	r, err := stage.New(rctx, conn, stage.Config{Name: StageExtract, Stream: bus.StreamRaw, Workers: 2}, nil, prometheus.NewRegistry())
	if err != nil {
		rcancel()
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = r.Run(rctx, func(ctx context.Context, m jetstream.Msg) error {
			a, err := article.DecodeArticle(m.Data())
			if err != nil {
				return err
			}
			if f.broken.Load() {
				return fmt.Errorf("%w: mapping rejected article %s", stage.ErrPermanent, a.ID)
			}
			f.handled.Store(a.ID, true)
			return nil
		})
	}()
	t.Cleanup(func() { rcancel(); <-done })
	return f
}

// run executes the newswire command line against the fixture's server.
func (f *dlqFixture) run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := NewRootCommand()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(append([]string{"--nats", f.url, "--log-level", "error"}, args...))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := cmd.ExecuteContext(ctx)
	return out.String(), err
}

func (f *dlqFixture) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, err := f.run(t, args...)
	if err != nil {
		t.Fatalf("newswire %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (f *dlqFixture) deadLetters(t *testing.T) []dlq.Letter {
	t.Helper()
	var ls []dlq.Letter
	for _, line := range strings.Split(strings.TrimSpace(f.mustRun(t, "dlq", "list", "--json")), "\n") {
		if line == "" {
			continue
		}
		var l dlq.Letter
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("list --json line %q: %v", line, err)
		}
		ls = append(ls, l)
	}
	return ls
}

func TestDLQCommand(t *testing.T) {
	f := newDLQFixture(t)
	ctx := context.Background()
	ids := []string{"quay-1", "quay-2", "quay-3"}
	for _, id := range ids {
		a := &article.Article{SchemaVersion: article.SchemaVersion, ID: id, URL: "https://quay.example/" + id,
			Source: "quay.example", Title: "Harbour notice " + id, Text: "The harbour office posted a notice.", Fetched: time.Now().UTC()}
		if _, err := f.conn.PublishJSON(ctx, bus.RawSubject(a.Source), a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.conn.JS.Publish(ctx, bus.RawSubject("quay.example"), []byte("this is not JSON")); err != nil {
		t.Fatal(err)
	}
	var letters []dlq.Letter
	bustest.CheckFor(t, 20*time.Second, 20*time.Millisecond, func() error {
		letters = f.deadLetters(t)
		if len(letters) != 4 {
			return fmt.Errorf("%d dead letters, want 4", len(letters))
		}
		return nil
	})
	var notJSON dlq.Letter
	for _, l := range letters {
		if l.Stage != StageExtract || l.Subject != bus.RawSubject("quay.example") || l.Attempts != 1 {
			t.Errorf("dead letter %+v: want stage extract, the raw subject and 1 attempt", l)
		}
		if strings.Contains(l.Error, "decode article") {
			notJSON = l
		}
	}
	if notJSON.Seq == 0 {
		t.Fatalf("no dead letter for the message that is not JSON: %+v", letters)
	}

	t.Run("list table", func(t *testing.T) {
		out := f.mustRun(t, "dlq", "list")
		if !strings.Contains(out, "SEQ") || strings.Count(out, "mapping rejected article") != 3 || !strings.Contains(out, "decode article") {
			t.Errorf("list output:\n%s", out)
		}
	})
	t.Run("list limit", func(t *testing.T) {
		out := f.mustRun(t, "dlq", "list", "--limit", "2")
		if !strings.Contains(out, "2 of 4 shown") {
			t.Errorf("list --limit 2 output:\n%s", out)
		}
	})
	t.Run("list other stage", func(t *testing.T) {
		if out := f.mustRun(t, "dlq", "list", "--stage", StageIndex); !strings.Contains(out, "no dead letters") {
			t.Errorf("list --stage index output:\n%s", out)
		}
	})
	t.Run("show", func(t *testing.T) {
		seq := fmt.Sprint(letters[0].Seq)
		out := f.mustRun(t, "dlq", "show", seq)
		for _, want := range []string{"stage:     extract", "error:     ", "mapping rejected article", stage.HeaderAttempts, `"id": "quay-`} {
			if !strings.Contains(out, want) {
				t.Errorf("show %s lacks %q:\n%s", seq, want, out)
			}
		}
	})
	t.Run("show json", func(t *testing.T) {
		var got struct {
			dlq.Letter
			Data article.Article `json:"data"`
		}
		out := f.mustRun(t, "dlq", "show", "--json", fmt.Sprint(letters[0].Seq))
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("show --json: %v\n%s", err, out)
		}
		if got.Seq != letters[0].Seq || !strings.HasPrefix(got.Data.ID, "quay-") {
			t.Errorf("show --json = %+v", got)
		}
	})
	t.Run("show not JSON payload", func(t *testing.T) {
		out := f.mustRun(t, "dlq", "show", fmt.Sprint(notJSON.Seq))
		if !strings.Contains(out, "this is not JSON") {
			t.Errorf("show output lacks the payload:\n%s", out)
		}
	})
	t.Run("bad arguments", func(t *testing.T) {
		cases := []struct {
			name string
			args []string
		}{
			{"show not a number", []string{"dlq", "show", "abc"}},
			{"show zero", []string{"dlq", "show", "0"}},
			{"show missing", []string{"dlq", "show", "9999"}},
			{"replay nothing selected", []string{"dlq", "replay"}},
			{"replay two selections", []string{"dlq", "replay", "--all", "--stage", "extract"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if _, err := f.run(t, c.args...); err == nil {
					t.Errorf("newswire %s: no error", strings.Join(c.args, " "))
				}
			})
		}
	})

	// Fix the stage, then replay: first the mapping failures only.
	f.broken.Store(false)
	t.Run("replay after the fix", func(t *testing.T) {
		out := f.mustRun(t, "dlq", "replay", "--stage", StageExtract, "--error-contains", "mapping rejected")
		if !strings.Contains(out, "3 replayed") {
			t.Fatalf("replay output:\n%s", out)
		}
		bustest.CheckFor(t, 20*time.Second, 20*time.Millisecond, func() error {
			for _, id := range ids {
				if _, ok := f.handled.Load(id); !ok {
					return fmt.Errorf("%s not handled after replay", id)
				}
			}
			return nil
		})
		left := f.deadLetters(t)
		if len(left) != 1 || left[0].Seq != notJSON.Seq {
			t.Errorf("left after replay: %+v, want only the message that is not JSON", left)
		}
	})
	t.Run("replay by sequence", func(t *testing.T) {
		out := f.mustRun(t, "dlq", "replay", "--json", fmt.Sprint(notJSON.Seq))
		var r dlq.Replayed
		if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &r); err != nil {
			t.Fatalf("replay --json: %v\n%s", err, out)
		}
		if r.Seq != notJSON.Seq || r.Subject != bus.RawSubject("quay.example") || r.Stream != bus.StreamRaw {
			t.Errorf("replayed %+v", r)
		}
		// Still not JSON, so the stage dead-letters it again, naming the
		// letter it was replayed from.
		var again []dlq.Letter
		bustest.CheckFor(t, 20*time.Second, 20*time.Millisecond, func() error {
			again = f.deadLetters(t)
			if len(again) != 1 || again[0].Seq == notJSON.Seq {
				return fmt.Errorf("dead letters %+v, want one new one", again)
			}
			return nil
		})
		out = f.mustRun(t, "dlq", "show", fmt.Sprint(again[0].Seq))
		if !strings.Contains(out, dlq.HeaderReplayOf) {
			t.Errorf("the new dead letter does not name the replayed one:\n%s", out)
		}
	})
}
