package status

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/dlq"
)

// DurablePrefix prefixes the durable consumer of every newswire stage.
const DurablePrefix = "newswire-"

// Stage is the state of one durable consumer on a newswire stream.
type Stage struct {
	// Name is the stage: the durable name without DurablePrefix.
	Name string `json:"name"`
	// Durable consumer name and the stream it reads.
	Durable string `json:"durable"`
	Stream  string `json:"stream"`
	// Pending is the lag: messages in the stream not yet delivered.
	Pending uint64 `json:"pending"`
	// InFlight is delivered but not yet acknowledged.
	InFlight int `json:"in_flight"`
	// Redelivered is in-flight messages delivered more than once.
	Redelivered int `json:"redelivered"`
	// Waiting is pull requests waiting for messages: idle worker capacity.
	Waiting int `json:"waiting"`
	// Delivered is the stream sequence of the last message delivered.
	Delivered uint64 `json:"delivered_seq"`
	// LastDelivery is when a message was last delivered; nil if never.
	LastDelivery *time.Time `json:"last_delivery,omitempty"`
	// AckRate is messages settled (acked or terminated) per second over the
	// interval since the previous snapshot; nil on a first snapshot.
	AckRate *float64 `json:"ack_rate,omitempty"`
	// DeadLetters is how many messages of this stage are in NEWSWIRE_DLQ.
	DeadLetters uint64 `json:"dead_letters"`
	// Settled is the stream position of the last delivery less the
	// messages in flight: a counter whose change over time is AckRate.
	Settled uint64 `json:"settled"`
	// Paused is true when the consumer is paused on the server.
	Paused bool `json:"paused,omitempty"`
}

// Health is a one-word summary of a stage for the table.
func (s Stage) Health() string {
	switch {
	case s.Paused:
		return "paused"
	case s.Pending > 0 && s.InFlight == 0 && s.Waiting == 0:
		return "no workers"
	case s.Pending > 0:
		return "behind"
	case s.DeadLetters > 0:
		return "dead letters"
	default:
		return "ok"
	}
}

// Stream is the size of one newswire stream.
type Stream struct {
	Name      string `json:"name"`
	Messages  uint64 `json:"messages"`
	Bytes     uint64 `json:"bytes"`
	FirstSeq  uint64 `json:"first_seq"`
	LastSeq   uint64 `json:"last_seq"`
	Consumers int    `json:"consumers"`
	// Missing is true when the stream does not exist (nothing has started).
	Missing bool `json:"missing,omitempty"`
}

// Snapshot is the pipeline's state at one time.
type Snapshot struct {
	Time time.Time `json:"time"`
	// Interval is the time since the previous snapshot (for rates); 0 on
	// a first snapshot.
	Interval time.Duration `json:"interval_ns,omitempty"`
	Stages   []Stage       `json:"stages"`
	Streams  []Stream      `json:"streams"`
	// DeadLetters per stage token, including stages with no consumer.
	DeadLetters map[string]uint64 `json:"dead_letters"`
}

// Collect reads the state of every newswire stream, every durable consumer
// on them and the dead-letter counts. prev, when not nil, is the previous
// snapshot: AckRate is computed against it.
func Collect(ctx context.Context, conn *bus.Conn, prev *Snapshot) (*Snapshot, error) {
	return collect(ctx, conn, prev, nil)
}

// collect is Collect; with own not nil it reads only those consumers,
// one by one, instead of listing every consumer of the streams.
func collect(ctx context.Context, conn *bus.Conn, prev *Snapshot, own []jetstream.Consumer) (*Snapshot, error) {
	snap := &Snapshot{Time: time.Now(), DeadLetters: map[string]uint64{}}
	for _, cfg := range bus.StreamConfigs(bus.StreamOptions{}) {
		s, err := conn.JS.Stream(ctx, cfg.Name)
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			snap.Streams = append(snap.Streams, Stream{Name: cfg.Name, Missing: true})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("status: stream %s: %w", cfg.Name, err)
		}
		info, err := s.Info(ctx)
		if err != nil {
			return nil, fmt.Errorf("status: stream %s info: %w", cfg.Name, err)
		}
		st := info.State
		snap.Streams = append(snap.Streams, Stream{
			Name: cfg.Name, Messages: st.Msgs, Bytes: st.Bytes,
			FirstSeq: st.FirstSeq, LastSeq: st.LastSeq, Consumers: st.Consumers,
		})
		if own != nil {
			continue
		}
		lister := s.ListConsumers(ctx)
		for ci := range lister.Info() {
			if ci.Config.Durable == "" {
				continue // ephemeral: watchers, dlq listings
			}
			snap.Stages = append(snap.Stages, stageOf(ci))
		}
		if err := lister.Err(); err != nil {
			return nil, fmt.Errorf("status: consumers of %s: %w", cfg.Name, err)
		}
	}
	for _, c := range own {
		ci, err := c.Info(ctx)
		if err != nil {
			name := "?"
			if ci := c.CachedInfo(); ci != nil {
				name = ci.Stream + "/" + ci.Name
			}
			return nil, fmt.Errorf("status: consumer %s: %w", name, err)
		}
		snap.Stages = append(snap.Stages, stageOf(ci))
	}
	if !missing(snap, bus.StreamDLQ) {
		counts, err := dlq.Counts(ctx, conn)
		if err != nil {
			return nil, fmt.Errorf("status: %w", err)
		}
		snap.DeadLetters = counts
	}
	for i := range snap.Stages {
		snap.Stages[i].DeadLetters = snap.DeadLetters[bus.Token(snap.Stages[i].Name)]
	}
	sort.Slice(snap.Stages, func(i, j int) bool {
		a, b := snap.Stages[i], snap.Stages[j]
		if a.Stream != b.Stream {
			return streamOrder(a.Stream) < streamOrder(b.Stream)
		}
		return a.Name < b.Name
	})
	if prev != nil {
		rates(prev, snap)
	}
	return snap, nil
}

func missing(s *Snapshot, name string) bool {
	for _, st := range s.Streams {
		if st.Name == name {
			return st.Missing
		}
	}
	return true
}

// streamOrder sorts stages in pipeline order.
func streamOrder(name string) int {
	for i, cfg := range bus.StreamConfigs(bus.StreamOptions{}) {
		if cfg.Name == name {
			return i
		}
	}
	return 1 << 20
}

func stageOf(ci *jetstream.ConsumerInfo) Stage {
	s := Stage{
		Name:         strings.TrimPrefix(ci.Config.Durable, DurablePrefix),
		Durable:      ci.Config.Durable,
		Stream:       ci.Stream,
		Pending:      ci.NumPending,
		InFlight:     ci.NumAckPending,
		Redelivered:  ci.NumRedelivered,
		Waiting:      ci.NumWaiting,
		Delivered:    ci.Delivered.Stream,
		LastDelivery: ci.Delivered.Last,
		Paused:       ci.Paused,
	}
	// Delivered.Consumer counts redeliveries too, so use the stream
	// position: exact for a consumer of the whole stream, an upper bound
	// for a filtered one.
	if first := ci.Delivered.Stream; uint64(ci.NumAckPending) < first {
		s.Settled = first - uint64(ci.NumAckPending)
	}
	return s
}

// rates fills cur's AckRate and Interval from prev.
func rates(prev, cur *Snapshot) {
	cur.Interval = cur.Time.Sub(prev.Time)
	secs := cur.Interval.Seconds()
	if secs <= 0 {
		return
	}
	old := map[string]Stage{}
	for _, s := range prev.Stages {
		old[s.Stream+"/"+s.Durable] = s
	}
	for i := range cur.Stages {
		p, ok := old[cur.Stages[i].Stream+"/"+cur.Stages[i].Durable]
		if !ok || cur.Stages[i].Settled < p.Settled {
			continue // new or recreated consumer: no rate yet
		}
		r := float64(cur.Stages[i].Settled-p.Settled) / secs
		cur.Stages[i].AckRate = &r
	}
}
