package bus_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
)

// TestNATSNodeProcess is the child process of one cluster node for
// TestPublishThroughFailover; it skips in a normal run.
func TestNATSNodeProcess(t *testing.T) { bustest.RunNodeProcess(t) }

// TestPublishThroughFailover publishes a stream of messages to a
// replicas-3 stream on a three-node cluster, takes the stream's leader
// down in the middle, keeps publishing and restarts the node: PublishMsg
// must ride out the election, every message must be stored exactly once
// and a durable consumer must get every one. "stop" is a graceful
// shutdown (the leader hands off first); "kill" is SIGKILL of a node in its
// own process (no hand-off: the others elect a leader after their election
// timeout, several seconds).
func TestPublishThroughFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("three-node cluster")
	}
	for _, tc := range []struct {
		name string
		kill bool
	}{
		{"stop", false},
		{"kill", true},
	} {
		t.Run(tc.name, func(t *testing.T) { testPublishThroughFailover(t, tc.kill) })
	}
}

func testPublishThroughFailover(t *testing.T, kill bool) {
	const n = 2000
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	co := bustest.ClusterOptions{}
	if kill {
		co.NodeProcess = "TestNATSNodeProcess"
	}
	cl := bustest.NewClusterWith(t, co)
	conn := cl.Connect(t)
	bustest.CheckFor(t, 30*time.Second, 100*time.Millisecond, func() error {
		return conn.EnsureStreams(ctx, bus.StreamOptions{Replicas: 3})
	})
	bustest.CheckFor(t, 30*time.Second, 50*time.Millisecond, func() error {
		if cl.StreamLeader(bus.StreamRaw) < 0 {
			return errors.New("no stream leader")
		}
		return nil
	})
	cons, err := conn.JS.CreateOrUpdateConsumer(ctx, bus.StreamRaw, jetstream.ConsumerConfig{
		Durable: "newswire-check", AckPolicy: jetstream.AckExplicitPolicy, AckWait: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}

	// A consumer that records every message ID it gets.
	var mu sync.Mutex
	got := map[string]int{}
	cc, err := cons.Consume(func(m jetstream.Msg) {
		mu.Lock()
		got[m.Headers().Get(nats.MsgIdHdr)]++
		mu.Unlock()
		_ = m.Ack()
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Stop()

	victim := -1
	var slowest time.Duration
	for i := range n {
		if i == n/4 {
			victim = cl.StreamLeader(bus.StreamRaw)
			if victim < 0 {
				t.Fatal("no stream leader")
			}
			t.Logf("taking down %s (kill: %v), leader of %s, after %d messages", cl.Name(victim), kill, bus.StreamRaw, i)
			if kill {
				cl.Kill(victim)
			} else {
				cl.Stop(victim)
			}
		}
		if i == n*3/4 {
			t.Logf("restarting %s; new leader %d; slowest publish so far %s", cl.Name(victim), cl.StreamLeader(bus.StreamRaw), slowest)
			cl.Restart(victim)
		}
		m := &nats.Msg{Subject: bus.RawSubject("kill.test"), Data: fmt.Appendf(nil, `{"n":%d}`, i)}
		start := time.Now()
		if _, err := conn.PublishMsg(ctx, m, jetstream.WithMsgID(fmt.Sprintf("m-%d", i))); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		slowest = max(slowest, time.Since(start))
	}
	t.Logf("slowest publish: %s", slowest)

	bustest.CheckFor(t, time.Minute, 50*time.Millisecond, func() error {
		mu.Lock()
		defer mu.Unlock()
		if len(got) < n {
			return fmt.Errorf("consumer got %d of %d messages", len(got), n)
		}
		return nil
	})
	s, err := conn.JS.Stream(ctx, bus.StreamRaw)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != n || info.State.LastSeq != n {
		t.Errorf("stream holds %d messages, last sequence %d; want exactly %d", info.State.Msgs, info.State.LastSeq, n)
	}
	for i := range n {
		if id := fmt.Sprintf("m-%d", i); got[id] == 0 {
			t.Errorf("message %s never delivered", id)
		}
	}
	// The node rejoined and holds a current replica.
	bustest.CheckFor(t, time.Minute, 100*time.Millisecond, func() error {
		info, err := s.Info(ctx)
		if err != nil {
			return err
		}
		if info.Cluster.Leader == cl.Name(victim) {
			return nil
		}
		for _, r := range info.Cluster.Replicas {
			if r.Name == cl.Name(victim) && r.Current && !r.Offline {
				return nil
			}
		}
		return fmt.Errorf("%s not a current replica: %+v", cl.Name(victim), info.Cluster.Replicas)
	})
}
