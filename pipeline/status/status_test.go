package status_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
	"github.com/newswire/newswire/pipeline/stage"
	"github.com/newswire/newswire/pipeline/status"
)

func findStage(s *status.Snapshot, name string) (status.Stage, error) {
	for _, st := range s.Stages {
		if st.Name == name {
			return st, nil
		}
	}
	return status.Stage{}, fmt.Errorf("no stage %q in %+v", name, s.Stages)
}

func TestCollect(t *testing.T) {
	conn := bustest.NewTestConn(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// A stage that holds every message until released, and dead-letters
	// the ones marked bad.
	release := make(chan struct{})
	var once sync.Once
	releaseAll := func() { once.Do(func() { close(release) }) }
	r, err := stage.New(ctx, conn, stage.Config{Name: "extract", Stream: bus.StreamRaw, Workers: 2, MaxAckPending: 2}, nil, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	runCtx, stop := context.WithCancel(ctx)
	go func() {
		defer wg.Done()
		_ = r.Run(runCtx, func(ctx context.Context, m jetstream.Msg) error {
			if strings.Contains(string(m.Data()), "bad") {
				return fmt.Errorf("decode: %w", stage.ErrPermanent)
			}
			select {
			case <-release:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	defer func() { releaseAll(); stop(); wg.Wait() }()
	// A second durable with no worker at all, on another stream.
	if _, err := conn.JS.CreateOrUpdateConsumer(ctx, bus.StreamEnriched, jetstream.ConsumerConfig{
		Durable: "newswire-index", AckPolicy: jetstream.AckExplicitPolicy,
	}); err != nil {
		t.Fatal(err)
	}

	if _, err := conn.JS.Publish(ctx, bus.RawSubject("x"), []byte(`bad`)); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := conn.JS.Publish(ctx, bus.RawSubject("x"), fmt.Appendf(nil, `{"n":%d}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		if _, err := conn.JS.Publish(ctx, bus.SubjectEnriched, fmt.Appendf(nil, `{"n":%d}`, i)); err != nil {
			t.Fatal(err)
		}
	}

	var first *status.Snapshot
	bustest.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		s, err := status.Collect(ctx, conn, nil)
		if err != nil {
			return err
		}
		ex, err := findStage(s, "extract")
		if err != nil {
			return err
		}
		if ex.InFlight != 2 || ex.Pending != 3 || ex.DeadLetters != 1 {
			return fmt.Errorf("extract %+v", ex)
		}
		first = s
		return nil
	})
	t.Run("stages", func(t *testing.T) {
		ex, _ := findStage(first, "extract")
		if ex.Durable != "newswire-extract" || ex.Stream != bus.StreamRaw || ex.Health() != "behind" || ex.AckRate != nil {
			t.Errorf("extract %+v health %s", ex, ex.Health())
		}
		ix, err := findStage(first, "index")
		if err != nil {
			t.Fatal(err)
		}
		if ix.Pending != 3 || ix.InFlight != 0 || ix.Health() != "no workers" || ix.LastDelivery != nil {
			t.Errorf("index %+v health %s", ix, ix.Health())
		}
		if first.Stages[0].Name != "extract" {
			t.Errorf("stages not in pipeline order: %+v", first.Stages)
		}
	})
	t.Run("streams", func(t *testing.T) {
		want := map[string]uint64{bus.StreamRaw: 6, bus.StreamEnriched: 3, bus.StreamAlerts: 0, bus.StreamDLQ: 1}
		for _, st := range first.Streams {
			if st.Messages != want[st.Name] || st.Missing {
				t.Errorf("stream %+v, want %d messages", st, want[st.Name])
			}
		}
		if len(first.Streams) != len(want) {
			t.Errorf("streams %+v", first.Streams)
		}
	})
	t.Run("ack rate", func(t *testing.T) {
		releaseAll()
		bustest.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
			s, err := status.Collect(ctx, conn, first)
			if err != nil {
				return err
			}
			ex, _ := findStage(s, "extract")
			if ex.Pending != 0 || ex.InFlight != 0 {
				return fmt.Errorf("extract %+v", ex)
			}
			if ex.AckRate == nil || *ex.AckRate <= 0 || s.Interval <= 0 {
				return fmt.Errorf("no rate: %+v", ex)
			}
			want := float64(ex.Settled-mustStage(t, first, "extract").Settled) / s.Interval.Seconds()
			if *ex.AckRate != want {
				return fmt.Errorf("rate %v, want %v", *ex.AckRate, want)
			}
			if ex.Health() != "dead letters" {
				return fmt.Errorf("health %s", ex.Health())
			}
			return nil
		})
	})
	t.Run("table", func(t *testing.T) {
		var buf bytes.Buffer
		if err := status.WriteTable(&buf, first); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"STAGE", "extract", "NEWSWIRE_RAW", "no workers", "behind"} {
			if !strings.Contains(buf.String(), want) {
				t.Errorf("table lacks %q:\n%s", want, buf.String())
			}
		}
	})
}

func mustStage(t *testing.T, s *status.Snapshot, name string) status.Stage {
	t.Helper()
	st, err := findStage(s, name)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestCollectEmpty(t *testing.T) {
	conn := bustest.NewTestConn(t)
	s, err := status.Collect(context.Background(), conn, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Stages) != 0 || len(s.Streams) != 4 {
		t.Errorf("snapshot %+v", s)
	}
}
