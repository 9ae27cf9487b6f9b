package stage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/pipeline/bus"
)

// Dead-letter headers. The dead letter's data is the original message.
const (
	HeaderStage    = "Newswire-Stage"
	HeaderError    = "Newswire-Error"
	HeaderAttempts = "Newswire-Attempts"
	HeaderSubject  = "Newswire-Subject"
	HeaderStream   = "Newswire-Stream"
	HeaderSeq      = "Newswire-Stream-Seq"
	HeaderTime     = "Newswire-Dead-Time"
)

// Config configures a stage. Zero values take the documented defaults.
type Config struct {
	// Name is the stage name; it names the durable consumer, the metrics
	// label and the dead-letter subject newswire.dlq.<Name>. Required.
	Name string
	// Stream to consume. Required.
	Stream string
	// Durable consumer name. Default: "newswire-" + Name.
	Durable string
	// FilterSubjects narrows the stream. Default: all its subjects.
	FilterSubjects []string
	// Workers is how many messages are processed at once. Default: NumCPU.
	Workers int
	// AckWait must exceed the p99 processing time; long work is kept alive
	// with InProgress. Default: 30s.
	AckWait time.Duration
	// MaxDeliver bounds deliveries before a transient failure is
	// dead-lettered. Default: 6.
	MaxDeliver int
	// Backoff are the redelivery delays after the 1st, 2nd... failure; the
	// last repeats. Default: 1s, 5s, 15s, 60s, 120s.
	Backoff []time.Duration
	// MaxAckPending caps messages in flight across all replicas.
	// Default: 4 x Workers, at least 64.
	MaxAckPending int
	// StallAfter is how long Run waits for a message, while the consumer
	// has messages to deliver, before it pulls again (the node that served
	// its pull may have died). FetchWait is how often it checks, and the
	// time allowed for that check. Defaults: 10s and 2s.
	StallAfter time.Duration
	FetchWait  time.Duration
	// BatchSize and BatchWait configure RunBatch: up to BatchSize messages,
	// waiting at most BatchWait. Defaults: 256 and 500ms.
	BatchSize int
	BatchWait time.Duration
	// Permanent lists extra sentinel errors to treat as permanent.
	Permanent []error
	// DeliverNew starts a new durable at new messages instead of the
	// stream's start. Default: false (process everything kept).
	DeliverNew bool
	// LogAttrs derives the log attributes of one message, such as the
	// article ID and URL. They go on every line the Runner logs about the
	// message and on the logger handlers get from Logger(ctx).
	// Default: ArticleAttrs.
	LogAttrs func(m jetstream.Msg) []slog.Attr
}

func (c *Config) fill() error {
	if c.Name == "" || c.Stream == "" {
		return errors.New("stage: Name and Stream are required")
	}
	if c.Durable == "" {
		c.Durable = "newswire-" + bus.Token(c.Name)
	}
	if c.FetchWait <= 0 {
		c.FetchWait = 2 * time.Second
	}
	if c.StallAfter <= 0 {
		c.StallAfter = 10 * time.Second
	}
	if c.Workers <= 0 {
		c.Workers = runtime.NumCPU()
	}
	if c.AckWait <= 0 {
		c.AckWait = 30 * time.Second
	}
	if c.MaxDeliver <= 0 {
		c.MaxDeliver = 6
	}
	if len(c.Backoff) == 0 {
		c.Backoff = []time.Duration{time.Second, 5 * time.Second, 15 * time.Second, time.Minute, 2 * time.Minute}
	}
	if c.MaxAckPending <= 0 {
		c.MaxAckPending = max(4*c.Workers, 64)
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 256
	}
	if c.BatchWait <= 0 {
		c.BatchWait = 500 * time.Millisecond
	}
	if c.LogAttrs == nil {
		c.LogAttrs = ArticleAttrs
	}
	return nil
}

// Handler processes one message. See the package doc for the ack policy.
type Handler func(ctx context.Context, m jetstream.Msg) error

// BatchHandler processes a batch and returns one error per message, in
// order; a nil slice with a non-nil err fails the whole batch transiently.
type BatchHandler func(ctx context.Context, ms []jetstream.Msg) ([]error, error)

// Runner consumes one stage's messages.
type Runner struct {
	cfg  Config
	conn *bus.Conn
	log  *slog.Logger
	cons jetstream.Consumer
	m    *metrics
}

// New creates or updates the stage's durable consumer. It is idempotent, so
// every replica of a stage calls it at start-up and they share the consumer.
func New(ctx context.Context, conn *bus.Conn, cfg Config, log *slog.Logger, reg prometheus.Registerer) (*Runner, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	log = log.With("stage", cfg.Name)
	cc := jetstream.ConsumerConfig{
		Durable:       cfg.Durable,
		Description:   "newswire stage " + cfg.Name,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       cfg.AckWait,
		MaxDeliver:    cfg.MaxDeliver,
		MaxAckPending: cfg.MaxAckPending,
	}
	if cfg.DeliverNew {
		cc.DeliverPolicy = jetstream.DeliverNewPolicy
	}
	switch len(cfg.FilterSubjects) {
	case 0:
	case 1:
		cc.FilterSubject = cfg.FilterSubjects[0]
	default:
		cc.FilterSubjects = cfg.FilterSubjects
	}
	cons, err := conn.JS.CreateOrUpdateConsumer(ctx, cfg.Stream, cc)
	if err != nil {
		return nil, fmt.Errorf("stage %s: consumer %s on %s: %w", cfg.Name, cfg.Durable, cfg.Stream, err)
	}
	m, err := newMetrics(cfg.Name, reg)
	if err != nil {
		return nil, fmt.Errorf("stage %s: metrics: %w", cfg.Name, err)
	}
	return &Runner{cfg: cfg, conn: conn, log: log, cons: cons, m: m}, nil
}

// Consumer returns the stage's JetStream consumer (for lag and status).
func (r *Runner) Consumer() jetstream.Consumer { return r.cons }

// Run consumes messages one by one with up to Workers in flight until ctx
// is cancelled, then stops fetching, lets in-flight messages finish (each
// bounded by AckWait) and returns.
func (r *Runner) Run(ctx context.Context, h Handler) error {
	sem := make(chan struct{}, r.cfg.Workers)
	var wg sync.WaitGroup
	for ctx.Err() == nil {
		if err := r.consume(ctx, h, sem, &wg); err != nil {
			if ctx.Err() != nil {
				break
			}
			r.log.Warn("consume", "err", err)
			sleepCtx(ctx, r.cfg.FetchWait)
		}
	}
	wg.Wait()
	return nil
}

// consume runs one Messages iterator until ctx ends or the iterator stalls.
// A long-lived pull keeps a large message that is slow to arrive (a Fetch
// that expires meanwhile loses it until AckWait). But when the node leading
// the consumer dies, the iterator's pending pull dies with it and the
// iterator waited minutes before pulling again; so a watchdog restarts it
// when it has waited StallAfter for a message while the consumer has
// messages to deliver.
func (r *Runner) consume(ctx context.Context, h Handler, sem chan struct{}, wg *sync.WaitGroup) error {
	it, err := r.cons.Messages(jetstream.PullMaxMessages(r.cfg.Workers))
	if err != nil {
		return fmt.Errorf("stage %s: consume: %w", r.cfg.Name, err)
	}
	stop := context.AfterFunc(ctx, it.Drain)
	defer stop()
	var waiting atomic.Int64 // when Next was called, in Unix nanoseconds; 0 when not waiting
	done := make(chan struct{})
	defer close(done)
	go r.watch(ctx, it, &waiting, done)
	for {
		waiting.Store(time.Now().UnixNano())
		m, err := it.Next()
		waiting.Store(0)
		if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
			return nil
		}
		if err != nil {
			r.log.Warn("next message", "err", err)
			continue
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			r.process(ctx, m, h)
		}()
	}
}

// watch stops it when Next has waited StallAfter while the consumer has
// undelivered messages.
func (r *Runner) watch(ctx context.Context, it jetstream.MessagesContext, waiting *atomic.Int64, done <-chan struct{}) {
	t := time.NewTicker(r.cfg.FetchWait)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-ctx.Done():
			return
		case <-t.C:
		}
		since := waiting.Load()
		if since == 0 || time.Since(time.Unix(0, since)) < r.cfg.StallAfter {
			continue
		}
		ictx, cancel := context.WithTimeout(ctx, r.cfg.FetchWait)
		info, err := r.cons.Info(ictx)
		cancel()
		if err != nil || info.NumPending == 0 {
			continue
		}
		r.log.Warn("no message delivered while the consumer has some; pulling again",
			"waited", time.Since(time.Unix(0, since)).Round(time.Second), "pending", info.NumPending)
		it.Stop()
		return
	}
}

// process runs h on m with a context that outlives the stage context by at
// most AckWait, so a shutdown lets in-flight work finish or fail cleanly.
func (r *Runner) process(ctx context.Context, m jetstream.Msg, h Handler) {
	hctx, cancel := r.handlerContext(ctx)
	defer cancel()
	log := r.msgLogger(m)
	hctx = WithLogger(hctx, log)
	stopKeepAlive := r.keepAlive(hctx, []jetstream.Msg{m})
	start := time.Now()
	err := h(hctx, m)
	stopKeepAlive()
	r.m.latency.Observe(time.Since(start).Seconds())
	r.settle(hctx, log, m, err)
}

func (r *Runner) handlerContext(ctx context.Context) (context.Context, context.CancelFunc) {
	hctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(r.cfg.AckWait, cancel)
		context.AfterFunc(hctx, func() { t.Stop() })
	})
	return hctx, func() { stop(); cancel() }
}

// keepAlive sends InProgress for msgs every AckWait/3 until stopped.
func (r *Runner) keepAlive(ctx context.Context, msgs []jetstream.Msg) func() {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(r.cfg.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				for _, m := range msgs {
					_ = m.InProgress()
				}
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done) }) }
}

// RunBatch consumes messages in batches of up to BatchSize (waiting at most
// BatchWait for a batch to fill) until ctx is cancelled. Batches are handled
// one at a time, so updates of one document keep their order.
func (r *Runner) RunBatch(ctx context.Context, h BatchHandler) error {
	for ctx.Err() == nil {
		batch, err := r.cons.Fetch(r.cfg.BatchSize, jetstream.FetchMaxWait(r.cfg.BatchWait))
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			r.log.Warn("fetch", "err", err)
			sleepCtx(ctx, r.cfg.BatchWait)
			continue
		}
		var msgs []jetstream.Msg
		for m := range batch.Messages() {
			msgs = append(msgs, m)
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && ctx.Err() == nil {
			r.log.Debug("fetch batch", "err", err)
		}
		if len(msgs) == 0 {
			continue
		}
		r.processBatch(ctx, msgs, h)
	}
	return nil
}

// processBatch handles one batch. A batch-wide failure (the backend is
// unreachable) does not count against the messages' deliveries: the stage
// pauses, keeping the messages in progress, and retries the same batch with
// backoff until it gets per-message results or ctx ends. So an outage
// pauses indexing instead of dead-lettering messages for a transient fault.
func (r *Runner) processBatch(ctx context.Context, msgs []jetstream.Msg, h BatchHandler) {
	hctx, cancel := r.handlerContext(ctx)
	defer cancel()
	stopKeepAlive := r.keepAlive(hctx, msgs)
	start := time.Now()
	errs, err := h(hctx, msgs)
	for attempt := 1; err != nil && ctx.Err() == nil; attempt++ {
		delay := r.backoff(attempt)
		r.log.Warn("batch failed, pausing", "err", err, "messages", len(msgs), "attempt", attempt, "retry_in", delay)
		r.m.paused.Inc()
		sleepCtx(ctx, delay)
		if ctx.Err() != nil {
			break
		}
		errs, err = h(hctx, msgs)
	}
	stopKeepAlive()
	elapsed := time.Since(start).Seconds() / float64(len(msgs))
	for i, m := range msgs {
		r.m.latency.Observe(elapsed)
		e := err
		if err == nil {
			if i < len(errs) {
				e = errs[i]
			} else {
				e = fmt.Errorf("batch handler returned %d results for %d messages", len(errs), len(msgs))
			}
		}
		r.settle(hctx, r.msgLogger(m), m, e)
	}
}

// settle acks, naks or dead-letters m according to err, logging with log.
func (r *Runner) settle(ctx context.Context, log *slog.Logger, m jetstream.Msg, err error) {
	meta, merr := m.Metadata()
	delivered := uint64(1)
	if merr == nil {
		delivered = meta.NumDelivered
	}
	if delivered > 1 {
		r.m.redelivered.Inc()
	}
	if err == nil {
		// Wait for the server to confirm the ack, retrying through a
		// consumer leader election: an ack lost with a failed broker node
		// would hold the message until AckWait and redo its work.
		if aerr := bus.Retry(ctx, m.DoubleAck); aerr != nil {
			log.Warn("ack", "err", aerr)
		}
		r.m.processed.WithLabelValues("ok").Inc()
		return
	}
	permanent := IsPermanent(err, r.cfg.Permanent...)
	if !permanent && int(delivered) < r.cfg.MaxDeliver {
		delay := r.backoff(int(delivered))
		log.Warn("retrying", "err", err, "attempt", delivered, "delay", delay, "subject", m.Subject())
		r.m.processed.WithLabelValues("retry").Inc()
		if nerr := m.NakWithDelay(delay); nerr != nil {
			log.Warn("nak", "err", nerr)
		}
		return
	}
	reason := err.Error()
	if !permanent {
		reason = fmt.Sprintf("gave up after %d deliveries: %s", delivered, reason)
	}
	if derr := r.deadLetter(ctx, m, reason, delivered); derr != nil {
		// Never drop: leave it for redelivery and try again.
		log.Error("dead letter failed, will retry", "err", derr, "reason", reason)
		_ = m.NakWithDelay(r.backoff(int(delivered)))
		return
	}
	log.Error("dead-lettered", "reason", reason, "attempt", delivered, "subject", m.Subject())
	r.m.processed.WithLabelValues("dead_letter").Inc()
	if terr := m.TermWithReason(truncate(reason, 200)); terr != nil {
		log.Warn("term", "err", terr)
	}
}

func (r *Runner) backoff(delivered int) time.Duration {
	i := min(max(delivered-1, 0), len(r.cfg.Backoff)-1)
	return r.cfg.Backoff[i]
}

// deadLetter publishes the original message to newswire.dlq.<stage> with
// the reason, the attempt count and where it came from.
func (r *Runner) deadLetter(ctx context.Context, m jetstream.Msg, reason string, attempts uint64) error {
	dl := nats.NewMsg(bus.DLQSubject(r.cfg.Name))
	dl.Data = m.Data()
	for k, vs := range m.Headers() {
		if k == nats.MsgIdHdr {
			continue
		}
		for _, v := range vs {
			dl.Header.Add(k, v)
		}
	}
	dl.Header.Set(HeaderStage, r.cfg.Name)
	dl.Header.Set(HeaderError, truncate(reason, 4000))
	dl.Header.Set(HeaderAttempts, strconv.FormatUint(attempts, 10))
	dl.Header.Set(HeaderSubject, m.Subject())
	dl.Header.Set(HeaderTime, time.Now().UTC().Format(time.RFC3339Nano))
	if meta, err := m.Metadata(); err == nil {
		dl.Header.Set(HeaderStream, meta.Stream)
		seq := strconv.FormatUint(meta.Sequence.Stream, 10)
		dl.Header.Set(HeaderSeq, seq)
		// Redelivery of the same message after a crash dead-letters it once.
		dl.Header.Set(nats.MsgIdHdr, r.cfg.Name+":"+meta.Stream+":"+seq)
	}
	// Retried through a failover and given time by size (bus.PublishMsg):
	// the message id keeps a retry from storing it twice.
	if _, err := r.conn.PublishMsg(ctx, dl); err != nil {
		return fmt.Errorf("publish dead letter: %w", err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
