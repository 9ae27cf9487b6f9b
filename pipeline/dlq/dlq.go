package dlq

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/stage"
)

// HeaderReplayOf is set on a replayed message: the sequence of the dead
// letter it came from, so a message that fails again can be traced.
const HeaderReplayOf = "Newswire-Replay-Of"

// deadHeaders are the headers a stage adds when it dead-letters a message;
// Replay strips them so the replayed message looks like the original.
var deadHeaders = []string{
	stage.HeaderStage, stage.HeaderError, stage.HeaderAttempts, stage.HeaderSubject,
	stage.HeaderStream, stage.HeaderSeq, stage.HeaderTime, HeaderReplayOf,
	nats.MsgIdHdr,
}

// Letter describes one dead letter without its payload.
type Letter struct {
	// Seq is the dead letter's sequence in NEWSWIRE_DLQ: the handle for
	// Show and Replay.
	Seq uint64 `json:"seq"`
	// Stage that gave up on the message.
	Stage string `json:"stage"`
	// Subject the original message was published to; Replay sends it there.
	Subject string `json:"subject"`
	// Stream and StreamSeq locate the original message.
	Stream    string `json:"stream,omitempty"`
	StreamSeq uint64 `json:"stream_seq,omitempty"`
	// Error is the reason the stage gave.
	Error string `json:"error"`
	// Attempts is how many times the stage received the message.
	Attempts int `json:"attempts"`
	// Time the message was dead-lettered.
	Time time.Time `json:"time"`
	// Size of the original payload in bytes.
	Size int `json:"size"`
}

// Message is a dead letter with its original payload and all its headers.
type Message struct {
	Letter
	Header nats.Header `json:"header"`
	Data   []byte      `json:"data"`
}

// Filter selects the dead letters to replay: Seqs when set, else every dead
// letter of Stage, else all of them when All is true. ErrorContains, when
// set, further keeps only letters whose reason contains it.
type Filter struct {
	Seqs          []uint64
	Stage         string
	All           bool
	ErrorContains string
}

// Replayed reports the replay of one dead letter.
type Replayed struct {
	// Seq is the dead letter's sequence (now deleted).
	Seq uint64 `json:"seq"`
	// Subject it was republished to.
	Subject string `json:"subject"`
	// Stream and StreamSeq locate the republished message.
	Stream    string `json:"stream"`
	StreamSeq uint64 `json:"stream_seq"`
	// Duplicate is true when JetStream had already stored this replay (an
	// earlier replay was interrupted before it deleted the dead letter).
	Duplicate bool `json:"duplicate,omitempty"`
}

// subjectFor is the DLQ subject of stage, or all of them for "".
func subjectFor(stageName string) string {
	if stageName == "" {
		return bus.SubjectDLQPrefix + ">"
	}
	return bus.DLQSubject(stageName)
}

// Counts returns the number of dead letters per stage.
func Counts(ctx context.Context, conn *bus.Conn) (map[string]uint64, error) {
	s, err := conn.JS.Stream(ctx, bus.StreamDLQ)
	if err != nil {
		return nil, fmt.Errorf("dlq: stream %s: %w", bus.StreamDLQ, err)
	}
	info, err := s.Info(ctx, jetstream.WithSubjectFilter(subjectFor("")))
	if err != nil {
		return nil, fmt.Errorf("dlq: stream info: %w", err)
	}
	out := make(map[string]uint64, len(info.State.Subjects))
	for subj, n := range info.State.Subjects {
		out[strings.TrimPrefix(subj, bus.SubjectDLQPrefix)] += n
	}
	return out, nil
}

// List returns up to limit dead letters of stage ("" for every stage),
// oldest first, without their payloads. A limit of 0 or less lists all.
func List(ctx context.Context, conn *bus.Conn, stageName string, limit int) ([]Letter, error) {
	var out []Letter
	err := scan(ctx, conn, stageName, true, func(m jetstream.Msg) bool {
		l, err := letterOf(m)
		if err != nil {
			return true
		}
		out = append(out, l)
		return limit <= 0 || len(out) < limit
	})
	return out, err
}

// scan delivers the dead letters of stage in order to fn until fn returns
// false or none are left. It reads with an ephemeral ordered consumer.
func scan(ctx context.Context, conn *bus.Conn, stageName string, headersOnly bool, fn func(jetstream.Msg) bool) error {
	subj := subjectFor(stageName)
	s, err := conn.JS.Stream(ctx, bus.StreamDLQ)
	if err != nil {
		return fmt.Errorf("dlq: stream %s: %w", bus.StreamDLQ, err)
	}
	info, err := s.Info(ctx, jetstream.WithSubjectFilter(subj))
	if err != nil {
		return fmt.Errorf("dlq: stream info: %w", err)
	}
	var total uint64
	for _, n := range info.State.Subjects {
		total += n
	}
	if total == 0 {
		return nil
	}
	cons, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{subj},
		HeadersOnly:    headersOnly,
	})
	if err != nil {
		return fmt.Errorf("dlq: read %s: %w", subj, err)
	}
	var seen uint64
	for seen < total {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch, err := cons.Fetch(256, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return fmt.Errorf("dlq: fetch %s: %w", subj, err)
		}
		got := 0
		for m := range batch.Messages() {
			got++
			seen++
			if !fn(m) {
				return nil
			}
			if meta, err := m.Metadata(); err == nil && meta.NumPending == 0 {
				return nil
			}
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) {
			return fmt.Errorf("dlq: fetch %s: %w", subj, err)
		}
		if got == 0 {
			// Letters counted by the stream info were deleted meanwhile
			// (a concurrent replay or MaxAge): nothing more to read.
			return nil
		}
	}
	return nil
}

// letterOf reads a dead letter's description from a consumed message.
func letterOf(m jetstream.Msg) (Letter, error) {
	meta, err := m.Metadata()
	if err != nil {
		return Letter{}, fmt.Errorf("dlq: metadata: %w", err)
	}
	h := m.Headers()
	size := len(m.Data())
	if v := h.Get(nats.MsgSize); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			size = n
		}
	}
	return describe(meta.Sequence.Stream, m.Subject(), h, meta.Timestamp, size), nil
}

// describe builds a Letter from a dead letter's headers; stored is the time
// the DLQ stream stored it, used when the header lacks one.
func describe(seq uint64, subject string, h nats.Header, stored time.Time, size int) Letter {
	l := Letter{
		Seq:     seq,
		Stage:   h.Get(stage.HeaderStage),
		Subject: h.Get(stage.HeaderSubject),
		Stream:  h.Get(stage.HeaderStream),
		Error:   h.Get(stage.HeaderError),
		Time:    stored.UTC(),
		Size:    size,
	}
	if l.Stage == "" {
		l.Stage = strings.TrimPrefix(subject, bus.SubjectDLQPrefix)
	}
	if n, err := strconv.Atoi(h.Get(stage.HeaderAttempts)); err == nil {
		l.Attempts = n
	}
	if n, err := strconv.ParseUint(h.Get(stage.HeaderSeq), 10, 64); err == nil {
		l.StreamSeq = n
	}
	if t, err := time.Parse(time.RFC3339Nano, h.Get(stage.HeaderTime)); err == nil {
		l.Time = t.UTC()
	}
	return l
}

// Show returns the dead letter at seq with its original payload.
func Show(ctx context.Context, conn *bus.Conn, seq uint64) (*Message, error) {
	s, err := conn.JS.Stream(ctx, bus.StreamDLQ)
	if err != nil {
		return nil, fmt.Errorf("dlq: stream %s: %w", bus.StreamDLQ, err)
	}
	return get(ctx, s, seq)
}

func get(ctx context.Context, s jetstream.Stream, seq uint64) (*Message, error) {
	raw, err := s.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil, fmt.Errorf("dlq: seq %d: %w", seq, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("dlq: get seq %d: %w", seq, err)
	}
	if !strings.HasPrefix(raw.Subject, bus.SubjectDLQPrefix) {
		return nil, fmt.Errorf("dlq: seq %d is on %s: %w", seq, raw.Subject, ErrNotDeadLetter)
	}
	return &Message{
		Letter: describe(raw.Sequence, raw.Subject, raw.Header, raw.Time, len(raw.Data)),
		Header: raw.Header,
		Data:   raw.Data,
	}, nil
}

// Replay republishes the selected dead letters to their original subjects
// and deletes each one once JetStream has acknowledged its republish. It
// goes on after a failure and returns what it replayed together with every
// failure (joined); a dead letter that failed stays where it was.
func Replay(ctx context.Context, conn *bus.Conn, f Filter) ([]Replayed, error) {
	seqs := append([]uint64(nil), f.Seqs...)
	if len(seqs) == 0 {
		if f.Stage == "" && !f.All {
			return nil, ErrNoFilter
		}
		stageName := f.Stage
		if f.All {
			stageName = ""
		}
		letters, err := List(ctx, conn, stageName, 0)
		if err != nil {
			return nil, err
		}
		for _, l := range letters {
			seqs = append(seqs, l.Seq)
		}
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	s, err := conn.JS.Stream(ctx, bus.StreamDLQ)
	if err != nil {
		return nil, fmt.Errorf("dlq: stream %s: %w", bus.StreamDLQ, err)
	}
	var out []Replayed
	var errs []error
	for i, seq := range seqs {
		if i > 0 && seq == seqs[i-1] {
			continue
		}
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		m, err := get(ctx, s, seq)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if f.ErrorContains != "" && !strings.Contains(m.Error, f.ErrorContains) {
			continue
		}
		r, err := replayOne(ctx, conn, s, m)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, r)
	}
	return out, errors.Join(errs...)
}

// MsgID is the Nats-Msg-Id a replay of m is published with: new to the
// duplicate window, yet the same for two replays of the same dead letter.
func MsgID(m *Message) string {
	return "replay:" + strconv.FormatUint(m.Seq, 10) + ":" + strconv.FormatInt(m.Time.UnixNano(), 10)
}

func replayOne(ctx context.Context, conn *bus.Conn, s jetstream.Stream, m *Message) (Replayed, error) {
	subj := m.Subject
	if subj == "" || strings.ContainsAny(subj, "*> \t") || strings.HasPrefix(subj, bus.SubjectDLQPrefix) {
		return Replayed{}, fmt.Errorf("dlq: seq %d: original subject %q: %w", m.Seq, subj, ErrNotDeadLetter)
	}
	out := nats.NewMsg(subj)
	out.Data = m.Data
	for k, vs := range m.Header {
		for _, v := range vs {
			out.Header.Add(k, v)
		}
	}
	for _, k := range deadHeaders {
		out.Header.Del(k)
	}
	out.Header.Set(nats.MsgIdHdr, MsgID(m))
	out.Header.Set(HeaderReplayOf, strconv.FormatUint(m.Seq, 10))
	ack, err := conn.JS.PublishMsg(ctx, out)
	if err != nil {
		return Replayed{}, fmt.Errorf("dlq: seq %d: republish to %s: %w", m.Seq, subj, err)
	}
	if err := s.DeleteMsg(ctx, m.Seq); err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
		return Replayed{}, fmt.Errorf("dlq: seq %d: republished to %s (seq %d) but not deleted, replaying it again is safe within the duplicate window: %w",
			m.Seq, subj, ack.Sequence, err)
	}
	return Replayed{Seq: m.Seq, Subject: subj, Stream: ack.Stream, StreamSeq: ack.Sequence, Duplicate: ack.Duplicate}, nil
}
