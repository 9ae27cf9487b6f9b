package status_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
	"github.com/newswire/newswire/pipeline/status"
)

func TestCollector(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv, err := bus.StartEmbedded(ctx, bus.EmbeddedOptions{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Shutdown(srv)
	conn, err := bus.Connect(ctx, "", srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.NC.Close()
	if err := conn.EnsureStreams(ctx, bus.StreamOptions{}); err != nil {
		t.Fatal(err)
	}

	// extract has taken two of five raw articles and not acked them; index
	// has no worker yet; one extract message and two webhook deliveries
	// were dead-lettered.
	for _, d := range []struct{ stream, durable string }{
		{bus.StreamRaw, "newswire-extract"}, {bus.StreamEnriched, "newswire-index"},
	} {
		if _, err := conn.JS.CreateOrUpdateConsumer(ctx, d.stream, jetstream.ConsumerConfig{
			Durable: d.durable, AckPolicy: jetstream.AckExplicitPolicy, AckWait: time.Minute,
		}); err != nil {
			t.Fatal(err)
		}
	}
	publish := func(subject string, n int) {
		t.Helper()
		for i := range n {
			if _, err := conn.JS.Publish(ctx, subject, fmt.Appendf(nil, `{"n":%d}`, i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	publish(bus.RawSubject("example.org"), 5)
	publish(bus.SubjectEnriched, 3)
	publish(bus.DLQSubject("extract"), 1)
	publish(bus.DLQSubject("webhook"), 2)
	ex, err := conn.JS.Consumer(ctx, bus.StreamRaw, "newswire-extract")
	if err != nil {
		t.Fatal(err)
	}
	batch, err := ex.Fetch(2, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for range batch.Messages() {
		got++
	}
	if got != 2 {
		t.Fatalf("fetched %d messages, want 2", got)
	}

	c := status.NewCollector(conn, 5*time.Second)
	names := []string{
		"newswire_consumer_pending_messages", "newswire_consumer_ack_pending_messages",
		"newswire_consumer_redelivered_messages", "newswire_dead_letters", "newswire_status_up",
	}
	t.Run("up", func(t *testing.T) {
		want := `
# HELP newswire_consumer_ack_pending_messages Messages delivered to the stage and not yet acknowledged (in flight).
# TYPE newswire_consumer_ack_pending_messages gauge
newswire_consumer_ack_pending_messages{stage="extract",stream="NEWSWIRE_RAW"} 2
newswire_consumer_ack_pending_messages{stage="index",stream="NEWSWIRE_ENRICHED"} 0
# HELP newswire_consumer_pending_messages Messages in the stream not yet delivered to the stage's durable consumer: the lag.
# TYPE newswire_consumer_pending_messages gauge
newswire_consumer_pending_messages{stage="extract",stream="NEWSWIRE_RAW"} 3
newswire_consumer_pending_messages{stage="index",stream="NEWSWIRE_ENRICHED"} 3
# HELP newswire_consumer_redelivered_messages In-flight messages of the stage delivered more than once.
# TYPE newswire_consumer_redelivered_messages gauge
newswire_consumer_redelivered_messages{stage="extract",stream="NEWSWIRE_RAW"} 0
newswire_consumer_redelivered_messages{stage="index",stream="NEWSWIRE_ENRICHED"} 0
# HELP newswire_dead_letters Dead letters of the stage kept in NEWSWIRE_DLQ.
# TYPE newswire_dead_letters gauge
newswire_dead_letters{stage="extract"} 1
newswire_dead_letters{stage="webhook"} 2
# HELP newswire_status_up 1 if the last scrape read the pipeline's state from NATS, 0 if it failed (the other newswire_consumer_*, newswire_stream_* and newswire_dead_letters series are then absent).
# TYPE newswire_status_up gauge
newswire_status_up 1
`
		if err := testutil.CollectAndCompare(c, strings.NewReader(want), names...); err != nil {
			t.Error(err)
		}
	})
	t.Run("streams", func(t *testing.T) {
		reg := prometheus.NewPedanticRegistry()
		reg.MustRegister(c)
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		msgs := map[string]float64{}
		for _, mf := range mfs {
			if mf.GetName() != "newswire_stream_messages" {
				continue
			}
			for _, m := range mf.GetMetric() {
				msgs[m.GetLabel()[0].GetValue()] = m.GetGauge().GetValue()
			}
		}
		want := map[string]float64{bus.StreamRaw: 5, bus.StreamEnriched: 3, bus.StreamAlerts: 0, bus.StreamDLQ: 3}
		if fmt.Sprint(msgs) != fmt.Sprint(want) {
			t.Errorf("newswire_stream_messages %v, want %v", msgs, want)
		}
		if n, err := testutil.GatherAndCount(reg, "newswire_stream_bytes"); err != nil || n != 4 {
			t.Errorf("%d newswire_stream_bytes series (%v), want 4", n, err)
		}
	})
	t.Run("own consumers", func(t *testing.T) {
		own := status.NewCollectorWith(conn, status.CollectorOptions{
			Consumers: func() []jetstream.Consumer { return []jetstream.Consumer{ex} },
		})
		want := `
# HELP newswire_consumer_pending_messages Messages in the stream not yet delivered to the stage's durable consumer: the lag.
# TYPE newswire_consumer_pending_messages gauge
newswire_consumer_pending_messages{stage="extract",stream="NEWSWIRE_RAW"} 3
# HELP newswire_status_up 1 if the last scrape read the pipeline's state from NATS, 0 if it failed (the other newswire_consumer_*, newswire_stream_* and newswire_dead_letters series are then absent).
# TYPE newswire_status_up gauge
newswire_status_up 1
`
		if err := testutil.CollectAndCompare(own, strings.NewReader(want), "newswire_consumer_pending_messages", "newswire_status_up"); err != nil {
			t.Error(err)
		}
		// No stage in this process: streams and dead letters only.
		none := status.NewCollectorWith(conn, status.CollectorOptions{Consumers: func() []jetstream.Consumer { return nil }})
		reg := registryWith(none)
		if n, err := testutil.GatherAndCount(reg, "newswire_consumer_pending_messages"); err != nil || n != 0 {
			t.Errorf("%d lag series (%v) without stages, want 0", n, err)
		}
		if n, err := testutil.GatherAndCount(reg, "newswire_dead_letters"); err != nil || n != 2 {
			t.Errorf("%d dead-letter series (%v), want 2", n, err)
		}
	})
	t.Run("lint", func(t *testing.T) {
		problems, err := testutil.CollectAndLint(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("lint %s: %s", p.Metric, p.Text)
		}
	})
	t.Run("down", func(t *testing.T) {
		bus.Shutdown(srv)
		down := status.NewCollector(conn, 300*time.Millisecond)
		want := `
# HELP newswire_status_up 1 if the last scrape read the pipeline's state from NATS, 0 if it failed (the other newswire_consumer_*, newswire_stream_* and newswire_dead_letters series are then absent).
# TYPE newswire_status_up gauge
newswire_status_up 0
`
		if err := testutil.CollectAndCompare(down, strings.NewReader(want), names...); err != nil {
			t.Error(err)
		}
		// The scrape still succeeds, with no lag series.
		reg := prometheus.NewPedanticRegistry()
		reg.MustRegister(down)
		if n, err := testutil.GatherAndCount(reg); err != nil || n != 2 {
			t.Errorf("gathered %d series (%v), want up and scrape duration only", n, err)
		}
	})
	t.Run("no connection", func(t *testing.T) {
		if v := testutil.ToFloat64(onlyUp{status.NewCollector(nil, 0)}); v != 0 {
			t.Errorf("newswire_status_up %v without a connection, want 0", v)
		}
	})
}

// onlyUp narrows a status collector to newswire_status_up.
type onlyUp struct{ prometheus.Collector }

func (o onlyUp) Collect(ch chan<- prometheus.Metric) {
	all := make(chan prometheus.Metric)
	go func() { o.Collector.Collect(all); close(all) }()
	for m := range all {
		if strings.Contains(m.Desc().String(), `"newswire_status_up"`) {
			ch <- m
		}
	}
}

// The bustest helper works with the collector too.
func TestCollectorTestConn(t *testing.T) {
	conn := bustest.NewTestConn(t)
	n, err := testutil.GatherAndCount(registryWith(status.NewCollector(conn, 0)), "newswire_stream_messages")
	if err != nil || n != 4 {
		t.Errorf("%d stream series (%v), want 4", n, err)
	}
}

func registryWith(c prometheus.Collector) *prometheus.Registry {
	r := prometheus.NewPedanticRegistry()
	r.MustRegister(c)
	return r
}
