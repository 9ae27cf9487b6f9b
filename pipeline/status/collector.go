package status

import (
	"context"
	"errors"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/pipeline/bus"
)

// Metric descriptions of the Collector. The consumer gauges carry the
// stage (durable name without DurablePrefix) and the stream it reads.
var (
	descPending = prometheus.NewDesc("newswire_consumer_pending_messages",
		"Messages in the stream not yet delivered to the stage's durable consumer: the lag.",
		[]string{"stage", "stream"}, nil)
	descAckPending = prometheus.NewDesc("newswire_consumer_ack_pending_messages",
		"Messages delivered to the stage and not yet acknowledged (in flight).",
		[]string{"stage", "stream"}, nil)
	descRedelivered = prometheus.NewDesc("newswire_consumer_redelivered_messages",
		"In-flight messages of the stage delivered more than once.",
		[]string{"stage", "stream"}, nil)
	descWaiting = prometheus.NewDesc("newswire_consumer_waiting_pulls",
		"Pull requests of the stage's workers waiting for messages: idle capacity.",
		[]string{"stage", "stream"}, nil)
	descStreamMsgs = prometheus.NewDesc("newswire_stream_messages",
		"Messages kept in the stream.", []string{"stream"}, nil)
	descStreamBytes = prometheus.NewDesc("newswire_stream_bytes",
		"Bytes kept in the stream.", []string{"stream"}, nil)
	descDeadLetters = prometheus.NewDesc("newswire_dead_letters",
		"Dead letters of the stage kept in NEWSWIRE_DLQ.", []string{"stage"}, nil)
	descUp = prometheus.NewDesc("newswire_status_up",
		"1 if the last scrape read the pipeline's state from NATS, 0 if it failed (the other newswire_consumer_*, newswire_stream_* and newswire_dead_letters series are then absent).",
		nil, nil)
	descDuration = prometheus.NewDesc("newswire_status_scrape_seconds",
		"How long reading the pipeline's state from NATS took.", nil, nil)
)

// errNoConn is a Collector built without a connection.
var errNoConn = errors.New("status: no NATS connection")

// collector reads a Snapshot on every scrape.
type collector struct {
	conn *bus.Conn
	o    CollectorOptions
}

// CollectorOptions configure NewCollectorWith. Zero values are defaults.
type CollectorOptions struct {
	// Timeout bounds one read of the state from NATS. Default: 5s.
	Timeout time.Duration
	// Consumers, when not nil, returns the durable consumers to report,
	// read one by one, instead of listing every consumer on the newswire
	// streams. A stage process passes its own: its NATS user may read its
	// consumer and the streams' info but not list consumers
	// (deploy/nats-accounts.conf). Default: nil, every durable consumer.
	Consumers func() []jetstream.Consumer
}

// NewCollector returns a Prometheus collector of every stage's lag; it is
// NewCollectorWith(conn, CollectorOptions{Timeout: timeout}).
func NewCollector(conn *bus.Conn, timeout time.Duration) prometheus.Collector {
	return NewCollectorWith(conn, CollectorOptions{Timeout: timeout})
}

// NewCollectorWith returns a Prometheus collector that reads the state of
// the newswire streams, the stages' durable consumers and the dead letters
// from NATS on every scrape (like Collect, bounded by o.Timeout) and
// exports them as gauges:
//
//	newswire_consumer_pending_messages{stage,stream}      lag: not yet delivered
//	newswire_consumer_ack_pending_messages{stage,stream}  in flight
//	newswire_consumer_redelivered_messages{stage,stream}  in flight, delivered more than once
//	newswire_consumer_waiting_pulls{stage,stream}         idle worker pulls
//	newswire_stream_messages{stream}, newswire_stream_bytes{stream}
//	newswire_dead_letters{stage}
//	newswire_status_up                                    1 if the read succeeded
//	newswire_status_scrape_seconds
//
// A failed read (NATS unreachable, no stream leader, not permitted) never
// fails the scrape: it exports newswire_status_up 0 and leaves the other
// series out. The values are the broker's, the same from every process
// that reports them: aggregate across scrape targets with max, not sum.
// Safe for concurrent use.
func NewCollectorWith(conn *bus.Conn, o CollectorOptions) prometheus.Collector {
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	return &collector{conn: conn, o: o}
}

// Describe implements prometheus.Collector.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descPending, descAckPending, descRedelivered, descWaiting,
		descStreamMsgs, descStreamBytes, descDeadLetters, descUp, descDuration} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.o.Timeout)
	defer cancel()
	start := time.Now()
	var snap *Snapshot
	var err error
	if c.conn == nil || c.conn.JS == nil {
		err = errNoConn
	} else {
		var own []jetstream.Consumer
		if c.o.Consumers != nil {
			own = c.o.Consumers()
			if own == nil {
				own = []jetstream.Consumer{}
			}
		}
		snap, err = collect(ctx, c.conn, nil, own)
	}
	ch <- prometheus.MustNewConstMetric(descDuration, prometheus.GaugeValue, time.Since(start).Seconds())
	if err != nil {
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 1)
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	seen := map[[2]string]bool{}
	for _, s := range snap.Stages {
		// Two durables named alike on one stream cannot exist; guard
		// anyway, a duplicate series would fail the whole scrape.
		key := [2]string{s.Name, s.Stream}
		if seen[key] {
			continue
		}
		seen[key] = true
		gauge(descPending, float64(s.Pending), s.Name, s.Stream)
		gauge(descAckPending, float64(s.InFlight), s.Name, s.Stream)
		gauge(descRedelivered, float64(s.Redelivered), s.Name, s.Stream)
		gauge(descWaiting, float64(s.Waiting), s.Name, s.Stream)
	}
	for _, s := range snap.Streams {
		if s.Missing {
			continue
		}
		gauge(descStreamMsgs, float64(s.Messages), s.Name)
		gauge(descStreamBytes, float64(s.Bytes), s.Name)
	}
	for stage, n := range snap.DeadLetters {
		gauge(descDeadLetters, float64(n), stage)
	}
}
