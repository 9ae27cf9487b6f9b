package dlq_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
	"github.com/newswire/newswire/pipeline/dlq"
	"github.com/newswire/newswire/pipeline/stage"
)

// worker is a real stage.Runner whose handler fails permanently while
// broken is set and records what it processed otherwise.
type worker struct {
	broken atomic.Bool
	mu     sync.Mutex
	got    map[string]int // payload -> times processed
}

func (w *worker) handle(_ context.Context, m jetstream.Msg) error {
	if w.broken.Load() {
		return fmt.Errorf("decode %s: %w", m.Subject(), stage.ErrPermanent)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.got[string(m.Data())]++
	return nil
}

func (w *worker) count(payload string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.got[payload]
}

func startWorker(ctx context.Context, t *testing.T, conn *bus.Conn, name, stream string) *worker {
	t.Helper()
	ctx, stop := context.WithCancel(ctx)
	r, err := stage.New(ctx, conn, stage.Config{
		Name: name, Stream: stream, Workers: 1, MaxDeliver: 2, // one worker: letters in stream order
		Backoff: []time.Duration{10 * time.Millisecond},
	}, nil, prometheus.NewRegistry())
	if err != nil {
		stop()
		t.Fatal(err)
	}
	w := &worker{got: map[string]int{}}
	w.broken.Store(true)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = r.Run(ctx, w.handle) }()
	t.Cleanup(func() { stop(); wg.Wait() })
	return w
}

func waitCounts(t *testing.T, ctx context.Context, conn *bus.Conn, want map[string]uint64) {
	t.Helper()
	bustest.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		got, err := dlq.Counts(ctx, conn)
		if err != nil {
			return err
		}
		for k, v := range want {
			if got[k] != v {
				return fmt.Errorf("counts %v, want %v", got, want)
			}
		}
		for k, v := range got {
			if want[k] != v {
				return fmt.Errorf("counts %v, want %v", got, want)
			}
		}
		return nil
	})
}

// setup dead-letters three raw articles in "extract" and one enriched
// article in "index".
func setup(t *testing.T) (context.Context, *bus.Conn, *worker, *worker) {
	t.Helper()
	conn := bustest.NewTestConn(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ex := startWorker(ctx, t, conn, "extract", bus.StreamRaw)
	ix := startWorker(ctx, t, conn, "index", bus.StreamEnriched)
	for i, src := range []string{"a.example", "b.example", "a.example"} {
		m := nats.NewMsg(bus.RawSubject(src))
		m.Data = []byte(fmt.Sprintf(`{"id":"raw-%d"}`, i))
		m.Header.Set(nats.MsgIdHdr, fmt.Sprintf("raw-%d:hash", i))
		m.Header.Set("Newswire-Trace", fmt.Sprintf("t%d", i))
		if _, err := conn.JS.PublishMsg(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.JS.Publish(ctx, bus.SubjectEnriched, []byte(`{"id":"enriched-0"}`)); err != nil {
		t.Fatal(err)
	}
	waitCounts(t, ctx, conn, map[string]uint64{"extract": 3, "index": 1})
	return ctx, conn, ex, ix
}

func TestList(t *testing.T) {
	ctx, conn, _, _ := setup(t)
	cases := []struct {
		name      string
		stage     string
		limit     int
		wantN     int
		wantStage string
	}{
		{name: "all stages", stage: "", wantN: 4},
		{name: "one stage", stage: "extract", wantN: 3, wantStage: "extract"},
		{name: "other stage", stage: "index", wantN: 1, wantStage: "index"},
		{name: "limit", stage: "", limit: 2, wantN: 2},
		{name: "stage without letters", stage: "alert", wantN: 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ls, err := dlq.List(ctx, conn, tc.stage, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(ls) != tc.wantN {
				t.Fatalf("got %d letters, want %d: %+v", len(ls), tc.wantN, ls)
			}
			for i, l := range ls {
				if i > 0 && l.Seq <= ls[i-1].Seq {
					t.Errorf("not oldest first: %d after %d", l.Seq, ls[i-1].Seq)
				}
				if tc.wantStage != "" && l.Stage != tc.wantStage {
					t.Errorf("stage %q, want %q", l.Stage, tc.wantStage)
				}
				if l.Attempts != 1 || l.Size == 0 || l.Time.IsZero() || l.StreamSeq == 0 {
					t.Errorf("incomplete letter %+v", l)
				}
				if l.Stage == "extract" && (l.Stream != bus.StreamRaw || l.Error == "") {
					t.Errorf("extract letter %+v", l)
				}
			}
		})
	}
}

func TestShow(t *testing.T) {
	ctx, conn, _, _ := setup(t)
	ls, err := dlq.List(ctx, conn, "extract", 1)
	if err != nil || len(ls) != 1 {
		t.Fatalf("list: %v %v", ls, err)
	}
	m, err := dlq.Show(ctx, conn, ls[0].Seq)
	if err != nil {
		t.Fatal(err)
	}
	if string(m.Data) != `{"id":"raw-0"}` {
		t.Errorf("payload %q", m.Data)
	}
	if m.Subject != "newswire.articles.raw.a_example" || m.Header.Get("Newswire-Trace") != "t0" {
		t.Errorf("subject %q headers %v", m.Subject, m.Header)
	}
	if m.Size != len(m.Data) || m.Letter.Error != ls[0].Error {
		t.Errorf("letter %+v vs listed %+v", m.Letter, ls[0])
	}
	if _, err := dlq.Show(ctx, conn, 999); !errors.Is(err, dlq.ErrNotFound) {
		t.Errorf("missing seq: err %v, want ErrNotFound", err)
	}
}

func TestReplay(t *testing.T) {
	ctx, conn, ex, ix := setup(t)
	ex.broken.Store(false)
	ix.broken.Store(false)
	ls, err := dlq.List(ctx, conn, "extract", 0)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("by seq", func(t *testing.T) {
		res, err := dlq.Replay(ctx, conn, dlq.Filter{Seqs: []uint64{ls[1].Seq}})
		if err != nil || len(res) != 1 || res[0].Subject != "newswire.articles.raw.b_example" || res[0].Duplicate {
			t.Fatalf("replay: %+v %v", res, err)
		}
		bustest.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
			if n := ex.count(`{"id":"raw-1"}`); n != 1 {
				return fmt.Errorf("processed %d times", n)
			}
			return nil
		})
		waitCounts(t, ctx, conn, map[string]uint64{"extract": 2, "index": 1})
	})

	t.Run("missing seq fails alone", func(t *testing.T) {
		res, err := dlq.Replay(ctx, conn, dlq.Filter{Seqs: []uint64{ls[1].Seq}})
		if !errors.Is(err, dlq.ErrNotFound) || len(res) != 0 {
			t.Fatalf("replay of a replayed letter: %+v %v", res, err)
		}
		waitCounts(t, ctx, conn, map[string]uint64{"extract": 2, "index": 1})
	})

	t.Run("interrupted replay is not doubled", func(t *testing.T) {
		// A replay that published but crashed before deleting.
		m, err := dlq.Show(ctx, conn, ls[0].Seq)
		if err != nil {
			t.Fatal(err)
		}
		pm := nats.NewMsg(m.Subject)
		pm.Data = m.Data
		pm.Header.Set(nats.MsgIdHdr, dlq.MsgID(m))
		if _, err := conn.JS.PublishMsg(ctx, pm); err != nil {
			t.Fatal(err)
		}
		bustest.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
			if n := ex.count(`{"id":"raw-0"}`); n != 1 {
				return fmt.Errorf("processed %d times", n)
			}
			return nil
		})
		res, err := dlq.Replay(ctx, conn, dlq.Filter{Seqs: []uint64{ls[0].Seq}})
		if err != nil || len(res) != 1 || !res[0].Duplicate {
			t.Fatalf("replay: %+v %v", res, err)
		}
		waitCounts(t, ctx, conn, map[string]uint64{"extract": 1, "index": 1})
	})

	t.Run("error filter", func(t *testing.T) {
		res, err := dlq.Replay(ctx, conn, dlq.Filter{All: true, ErrorContains: "no such reason"})
		if err != nil || len(res) != 0 {
			t.Fatalf("replay: %+v %v", res, err)
		}
	})

	t.Run("all", func(t *testing.T) {
		res, err := dlq.Replay(ctx, conn, dlq.Filter{All: true})
		if err != nil || len(res) != 2 {
			t.Fatalf("replay: %+v %v", res, err)
		}
		waitCounts(t, ctx, conn, map[string]uint64{})
		bustest.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
			for _, p := range []string{`{"id":"raw-2"}`} {
				if n := ex.count(p); n != 1 {
					return fmt.Errorf("%s processed %d times", p, n)
				}
			}
			if n := ix.count(`{"id":"enriched-0"}`); n != 1 {
				return fmt.Errorf("enriched processed %d times", n)
			}
			if n := ex.count(`{"id":"raw-0"}`); n != 1 {
				return fmt.Errorf("raw-0 processed %d times", n)
			}
			return nil
		})
	})

	t.Run("no filter", func(t *testing.T) {
		if _, err := dlq.Replay(ctx, conn, dlq.Filter{}); !errors.Is(err, dlq.ErrNoFilter) {
			t.Fatalf("err %v, want ErrNoFilter", err)
		}
	})
}

func TestReplayFailsAgain(t *testing.T) {
	ctx, conn, _, _ := setup(t)
	// The cause is not fixed: the replayed message is dead-lettered again,
	// with a trace to the letter it came from.
	ls, err := dlq.List(ctx, conn, "index", 0)
	if err != nil || len(ls) != 1 {
		t.Fatalf("list: %v %v", ls, err)
	}
	if _, err := dlq.Replay(ctx, conn, dlq.Filter{Stage: "index"}); err != nil {
		t.Fatal(err)
	}
	var again []dlq.Letter
	bustest.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		again, err = dlq.List(ctx, conn, "index", 0)
		if err != nil {
			return err
		}
		if len(again) != 1 || again[0].Seq == ls[0].Seq {
			return fmt.Errorf("letters %+v", again)
		}
		return nil
	})
	m, err := dlq.Show(ctx, conn, again[0].Seq)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Header.Get(dlq.HeaderReplayOf); got != fmt.Sprint(ls[0].Seq) {
		t.Errorf("%s = %q, want %d", dlq.HeaderReplayOf, got, ls[0].Seq)
	}
	if string(m.Data) != `{"id":"enriched-0"}` || m.Subject != bus.SubjectEnriched {
		t.Errorf("letter %+v data %q", m.Letter, m.Data)
	}
}
