package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
	"github.com/newswire/newswire/pipeline/index/bleve"
	"github.com/newswire/newswire/pipeline/internal/logtest"
)

// clusterArticle is generated article i: distinct text, so each one is
// its own enriched message.
func clusterArticle(i int) article.Article {
	places := []string{"Lyon", "Kano", "Peshawar", "Mosul", "Vienna", "Mombasa", "Cali", "Izmir"}
	place := places[i%len(places)]
	text := fmt.Sprintf("Firefighters in %s rescued %d residents on Tuesday after a flood, the mayor said. "+
		"Minister John Roe-%d said rescue teams would stay for a week. "+
		"A gunman opened fire near the port of %s on Sunday, wounding %d people.", place, i%9+2, i, place, i%11+1)
	u := fmt.Sprintf("http://cluster.test/story-%d", i)
	return article.Article{SchemaVersion: 1, ID: article.IDFor(u), URL: u, CanonicalURL: u, Source: "cluster.test",
		Title: fmt.Sprintf("Flood in %s, story %d", place, i), Fetched: time.Now().UTC(), Text: text,
		ContentHash: article.HashText(text)}
}

// TestNATSNodeProcess is the child process of one cluster node for
// TestClusterFailover; it skips in a normal run.
func TestNATSNodeProcess(t *testing.T) { bustest.RunNodeProcess(t) }

// TestClusterFailover runs the extract and index stages against a
// three-node NATS cluster with replicas-3 streams, kills the node leading
// the enriched stream with SIGKILL in the middle of the stream of articles
// (each node runs as its own process; the others elect new leaders after
// their election timeout) while publishing goes on, and restarts it: every
// article must end up indexed exactly once, with no dead letter and no
// manual step. pipeline/bus tests a graceful stop too.
func TestClusterFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("three-node cluster")
	}
	const n = 500
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	cl := bustest.NewClusterWith(t, bustest.ClusterOptions{Nodes: 3, NodeProcess: "TestNATSNodeProcess"})
	pub := cl.Connect(t)
	bustest.CheckFor(t, 30*time.Second, 100*time.Millisecond, func() error {
		return pub.EnsureStreams(ctx, bus.StreamOptions{Replicas: 3})
	})
	bustest.CheckFor(t, 30*time.Second, 50*time.Millisecond, func() error {
		for _, s := range []string{bus.StreamRaw, bus.StreamEnriched, bus.StreamDLQ} {
			if cl.StreamLeader(s) < 0 {
				return fmt.Errorf("stream %s has no leader", s)
			}
		}
		return nil
	})

	var logs logtest.Buffer
	o := Options{NATS: cl.URLs(), Replicas: 3, LogLevel: "warn"}
	log := newLogger(&o, &logs)
	openStageEnv := func() *Env {
		o := o
		o.DataDir = t.TempDir()
		env, err := openEnvWith(ctx, o, log, false)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(env.Close)
		return env
	}
	extractEnv, indexEnv := openStageEnv(), openStageEnv()
	idx, err := bleve.Open(filepath.Join(t.TempDir(), "index"), bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close(context.Background())

	runCtx, stopStages := context.WithCancel(ctx)
	var wg sync.WaitGroup
	errc := make(chan error, 2)
	for _, run := range []func() error{
		func() error { return extractEnv.runExtractStage(runCtx, &stageFlags{workers: 2}) },
		func() error { return indexEnv.runIndexStage(runCtx, idx) },
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(); err != nil && !errors.Is(err, context.Canceled) {
				errc <- err
			}
		}()
	}
	defer func() { stopStages(); wg.Wait() }()

	fatalf := func(format string, args ...any) {
		t.Helper()
		t.Fatalf(format+"\nlogs:\n%s", append(args, tail(logs.String(), 4000))...)
	}
	indexed := func() int {
		c, err := idx.Count(ctx)
		if err != nil {
			return 0
		}
		return c
	}
	waitFor := func(what string, total time.Duration, cond func() error) {
		t.Helper()
		deadline := time.Now().Add(total)
		for {
			err := cond()
			if err == nil {
				return
			}
			select {
			case err := <-errc:
				fatalf("stage stopped while waiting for %s: %v", what, err)
			default:
			}
			if time.Now().After(deadline) {
				fatalf("timed out after %s waiting for %s: %v", total, what, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	victim := cl.StreamLeader(bus.StreamEnriched)
	if victim < 0 {
		fatalf("no leader for %s", bus.StreamEnriched)
	}
	// The harder case: the node to kill also leads the extract consumer, so
	// the extract worker's pending pull dies with it (Runner.Run's watchdog
	// pulls again after StallAfter). A stepdown moves the leadership to a
	// random other node: repeat until it lands on the victim. This is done
	// before publishing, so that the stream is still flowing at the kill.
	waitFor("the extract consumer led by the victim", time.Minute, func() error {
		if cl.ConsumerLeader(bus.StreamRaw, "newswire-"+StageExtract) == victim {
			return nil
		}
		_, err := pub.NC.Request("$JS.API.CONSUMER.LEADER.STEPDOWN."+bus.StreamRaw+".newswire-"+StageExtract, nil, 5*time.Second)
		return fmt.Errorf("extract consumer led by %d, not %s (stepdown: %v)", cl.ConsumerLeader(bus.StreamRaw, "newswire-"+StageExtract), cl.Name(victim), err)
	})
	// Publish on while a node goes down and comes back: the publisher
	// rides out the failover on its own (bus.PublishMsg retries).
	pubErr := make(chan error, 1)
	go func() {
		for i := range n {
			a := clusterArticle(i)
			if _, err := pub.PublishJSON(ctx, bus.RawSubject(a.Source), a, jetstream.WithMsgID(a.ID)); err != nil {
				pubErr <- fmt.Errorf("article %d: %w", i, err)
				return
			}
		}
		pubErr <- nil
	}()

	waitFor("a quarter indexed", 2*time.Minute, func() error {
		if got := indexed(); got < n/4 {
			return fmt.Errorf("%d indexed", got)
		}
		return nil
	})
	if l := cl.StreamLeader(bus.StreamEnriched); l != victim {
		t.Logf("leader of %s moved from %s to %d before the kill", bus.StreamEnriched, cl.Name(victim), l)
		if l >= 0 {
			victim = l
		}
	}
	before := indexed()
	t.Logf("killing %s, leader of %s (raw: %s), with %d of %d indexed", cl.Name(victim), bus.StreamEnriched,
		cl.Name(max(cl.StreamLeader(bus.StreamRaw), 0)), before, n)
	stopped := time.Now()
	cl.Kill(victim)
	waitFor("a new leader", time.Minute, func() error {
		if l := cl.StreamLeader(bus.StreamEnriched); l < 0 || l == victim {
			return fmt.Errorf("leader %d", l)
		}
		return nil
	})
	t.Logf("new leader of %s: %s after %s", bus.StreamEnriched, cl.Name(cl.StreamLeader(bus.StreamEnriched)), time.Since(stopped).Round(time.Millisecond))
	// The pipeline goes on with two of three nodes.
	waitFor("progress with a node down", 2*time.Minute, func() error {
		if got := indexed(); got < min(before+n/10, n) {
			return fmt.Errorf("%d indexed, %d before the stop", got, before)
		}
		return nil
	})
	t.Logf("%d indexed with %s down; restarting it", indexed(), cl.Name(victim))
	cl.Restart(victim)

	select {
	case err := <-pubErr:
		if err != nil {
			fatalf("publish: %v", err)
		}
	case <-ctx.Done():
		fatalf("publisher did not finish")
	}
	consumerDone := func(stream, durable string) error {
		c, err := pub.JS.Consumer(ctx, stream, durable)
		if err != nil {
			return err
		}
		info, err := c.Info(ctx)
		if err != nil {
			return err
		}
		if info.NumPending > 0 || info.NumAckPending > 0 {
			return fmt.Errorf("%s: %d pending, %d in flight", durable, info.NumPending, info.NumAckPending)
		}
		return nil
	}
	// A message whose delivery or ack was lost with the killed node is
	// redelivered after the stage's AckWait (a minute): allow for it.
	lastLog := time.Now()
	waitFor("every article indexed", 3*time.Minute, func() error {
		if time.Since(lastLog) > 10*time.Second {
			lastLog = time.Now()
			for _, d := range [][2]string{{bus.StreamRaw, "newswire-" + StageExtract}, {bus.StreamEnriched, "newswire-" + StageIndex}} {
				if c, err := pub.JS.Consumer(ctx, d[0], d[1]); err == nil {
					if info, err := c.Info(ctx); err == nil {
						t.Logf("%s: %d pending, %d in flight; %d indexed", d[1], info.NumPending, info.NumAckPending, indexed())
					}
				}
			}
		}
		if got := indexed(); got < n {
			return fmt.Errorf("%d of %d indexed", got, n)
		}
		if err := consumerDone(bus.StreamRaw, "newswire-"+StageExtract); err != nil {
			return err
		}
		return consumerDone(bus.StreamEnriched, "newswire-"+StageIndex)
	})
	t.Logf("all %d indexed %s after the kill; the extract stage pulled again %d times after a stall", n,
		time.Since(stopped).Round(time.Millisecond), strings.Count(logs.String(), "pulling again"))

	if got := indexed(); got != n {
		fatalf("index holds %d articles, want exactly %d", got, n)
	}
	for _, want := range []struct {
		stream string
		msgs   uint64
	}{
		{bus.StreamRaw, n},      // the publisher's retries were deduplicated
		{bus.StreamEnriched, n}, // so were the extract stage's redeliveries
		{bus.StreamDLQ, 0},      // a failover is transient: no dead letter
	} {
		s, err := pub.JS.Stream(ctx, want.stream)
		if err != nil {
			t.Fatal(err)
		}
		info, err := s.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info.State.Msgs != want.msgs {
			t.Errorf("%s holds %d messages, want %d", want.stream, info.State.Msgs, want.msgs)
		}
		if info.Config.Replicas != 3 {
			t.Errorf("%s has %d replicas, want 3", want.stream, info.Config.Replicas)
		}
	}
	// Each stage process reports its own lag on /metrics.
	for _, c := range []struct {
		env   *Env
		stage string
	}{{extractEnv, StageExtract}, {indexEnv, StageIndex}} {
		want := fmt.Sprintf(`
# HELP newswire_consumer_pending_messages Messages in the stream not yet delivered to the stage's durable consumer: the lag.
# TYPE newswire_consumer_pending_messages gauge
newswire_consumer_pending_messages{stage=%q,stream=%q} 0
# HELP newswire_status_up 1 if the last scrape read the pipeline's state from NATS, 0 if it failed (the other newswire_consumer_*, newswire_stream_* and newswire_dead_letters series are then absent).
# TYPE newswire_status_up gauge
newswire_status_up 1
`, c.stage, map[string]string{StageExtract: bus.StreamRaw, StageIndex: bus.StreamEnriched}[c.stage])
		if err := testutil.GatherAndCompare(c.env.Reg, strings.NewReader(want), "newswire_consumer_pending_messages", "newswire_status_up"); err != nil {
			t.Errorf("%s metrics: %v", c.stage, err)
		}
	}
	// The restarted node caught up: it holds a current replica again.
	waitFor("the restarted node to catch up", time.Minute, func() error {
		s, err := pub.JS.Stream(ctx, bus.StreamEnriched)
		if err != nil {
			return err
		}
		info, err := s.Info(ctx)
		if err != nil {
			return err
		}
		if info.Cluster == nil {
			return errors.New("no cluster info")
		}
		if info.Cluster.Leader == cl.Name(victim) {
			return nil
		}
		for _, r := range info.Cluster.Replicas {
			if r.Name == cl.Name(victim) && r.Current && !r.Offline {
				return nil
			}
		}
		return fmt.Errorf("%s is not a current replica: %+v", cl.Name(victim), info.Cluster.Replicas)
	})
}
