package stage_test

import (
	"context"
	"errors"
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
	"github.com/newswire/newswire/pipeline/stage"
)

func TestRunnerAckPolicy(t *testing.T) {
	cases := []struct {
		name       string
		failTimes  int   // transient failures before success; -1 = always
		failErr    error // error to return
		wantCalls  int
		wantDLQ    bool
		wantReason string
	}{
		{name: "ok acks once", failTimes: 0, wantCalls: 1},
		{name: "transient retried then ok", failTimes: 2, failErr: errors.New("backend busy"), wantCalls: 3},
		{name: "permanent dead-lettered at once", failTimes: -1, failErr: fmt.Errorf("mapping: %w", stage.ErrPermanent), wantCalls: 1, wantDLQ: true, wantReason: "mapping"},
		{name: "invalid message dead-lettered", failTimes: -1, failErr: fmt.Errorf("decode: %w", article.ErrInvalid), wantCalls: 1, wantDLQ: true, wantReason: "invalid message"},
		{name: "transient exhausted MaxDeliver", failTimes: -1, failErr: errors.New("still down"), wantCalls: 3, wantDLQ: true, wantReason: "gave up after 3 deliveries"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			conn := bustest.NewTestConn(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r, err := stage.New(ctx, conn, stage.Config{
				Name: "test", Stream: bus.StreamEnriched, Workers: 2, MaxDeliver: 3,
				Backoff: []time.Duration{10 * time.Millisecond},
			}, nil, prometheus.NewRegistry())
			if err != nil {
				t.Fatal(err)
			}
			var calls atomic.Int32
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = r.Run(ctx, func(ctx context.Context, m jetstream.Msg) error {
					n := int(calls.Add(1))
					if tc.failTimes < 0 || n <= tc.failTimes {
						return tc.failErr
					}
					return nil
				})
			}()
			if _, err := conn.JS.Publish(ctx, bus.SubjectEnriched, []byte(`{"x":1}`)); err != nil {
				t.Fatal(err)
			}
			bustest.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
				info, err := r.Consumer().Info(ctx)
				if err != nil {
					return err
				}
				if info.NumAckPending != 0 || info.NumPending != 0 || int(calls.Load()) < tc.wantCalls {
					return fmt.Errorf("pending %d ack-pending %d calls %d", info.NumPending, info.NumAckPending, calls.Load())
				}
				return nil
			})
			cancel()
			wg.Wait()
			if got := int(calls.Load()); got != tc.wantCalls {
				t.Errorf("calls = %d, want %d", got, tc.wantCalls)
			}
			dlq, err := conn.JS.Stream(context.Background(), bus.StreamDLQ)
			if err != nil {
				t.Fatal(err)
			}
			info, _ := dlq.Info(context.Background())
			if got := info.State.Msgs == 1; got != tc.wantDLQ {
				t.Fatalf("dead letters = %d, want dlq %v", info.State.Msgs, tc.wantDLQ)
			}
			if tc.wantDLQ {
				m, err := dlq.GetLastMsgForSubject(context.Background(), bus.DLQSubject("test"))
				if err != nil {
					t.Fatal(err)
				}
				if string(m.Data) != `{"x":1}` {
					t.Errorf("dead letter data = %q, want the original", m.Data)
				}
				reason := m.Header.Get(stage.HeaderError)
				if !strings.Contains(reason, tc.wantReason) {
					t.Errorf("reason %q does not mention %q", reason, tc.wantReason)
				}
				if m.Header.Get(stage.HeaderAttempts) == "" || m.Header.Get(stage.HeaderSubject) != bus.SubjectEnriched {
					t.Errorf("dead letter headers incomplete: %v", m.Header)
				}
			}
		})
	}
}

func TestRunBatchSettlesEachMessage(t *testing.T) {
	conn := bustest.NewTestConn(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := stage.New(ctx, conn, stage.Config{
		Name: "batch", Stream: bus.StreamEnriched, BatchSize: 10, BatchWait: 50 * time.Millisecond,
		MaxDeliver: 2, Backoff: []time.Duration{10 * time.Millisecond},
	}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := conn.JS.Publish(ctx, bus.SubjectEnriched, []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	var seen sync.Map
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = r.RunBatch(ctx, func(ctx context.Context, ms []jetstream.Msg) ([]error, error) {
			errs := make([]error, len(ms))
			for i, m := range ms {
				seen.Store(string(m.Data()), true)
				if string(m.Data()) == "3" {
					errs[i] = fmt.Errorf("bad doc: %w", stage.ErrPermanent)
				}
			}
			return errs, nil
		})
	}()
	bustest.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		info, err := r.Consumer().Info(ctx)
		if err != nil {
			return err
		}
		if info.NumAckPending != 0 || info.NumPending != 0 {
			return fmt.Errorf("pending %d/%d", info.NumPending, info.NumAckPending)
		}
		return nil
	})
	cancel()
	<-done
	dlq, _ := conn.JS.Stream(context.Background(), bus.StreamDLQ)
	info, _ := dlq.Info(context.Background())
	if info.State.Msgs != 1 {
		t.Fatalf("dead letters = %d, want 1", info.State.Msgs)
	}
}

// TestRunBatchOutagePauses: a backend down for longer than MaxDeliver
// attempts must not dead-letter anything; the batch is retried in place.
func TestRunBatchOutagePauses(t *testing.T) {
	conn := bustest.NewTestConn(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := stage.New(ctx, conn, stage.Config{
		Name: "outage", Stream: bus.StreamEnriched, BatchSize: 10, BatchWait: 50 * time.Millisecond,
		MaxDeliver: 2, Backoff: []time.Duration{5 * time.Millisecond},
	}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := conn.JS.Publish(ctx, bus.SubjectEnriched, []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	var calls atomic.Int32
	var delivered sync.Map
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = r.RunBatch(ctx, func(ctx context.Context, ms []jetstream.Msg) ([]error, error) {
			if calls.Add(1) <= 5 {
				return nil, errors.New("connection refused")
			}
			for _, m := range ms {
				delivered.Store(string(m.Data()), true)
			}
			return make([]error, len(ms)), nil
		})
	}()
	bustest.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		info, err := r.Consumer().Info(ctx)
		if err != nil {
			return err
		}
		if info.NumAckPending != 0 || info.NumPending != 0 || calls.Load() < 6 {
			return fmt.Errorf("pending %d/%d calls %d", info.NumPending, info.NumAckPending, calls.Load())
		}
		return nil
	})
	cancel()
	<-done
	for i := 0; i < 3; i++ {
		if _, ok := delivered.Load(fmt.Sprint(i)); !ok {
			t.Errorf("message %d never indexed", i)
		}
	}
	dlq, _ := conn.JS.Stream(context.Background(), bus.StreamDLQ)
	info, _ := dlq.Info(context.Background())
	if info.State.Msgs != 0 {
		t.Fatalf("dead letters = %d after a transient outage, want 0", info.State.Msgs)
	}
}
