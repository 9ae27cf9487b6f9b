package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Conn is a NATS connection with its JetStream context.
type Conn struct {
	NC *nats.Conn
	JS jetstream.JetStream
}

// Connect connects to url, or in-process to srv when url is "". url may
// list every node of a cluster, comma-separated ("nats://a:4222,nats://b:4222"):
// the client starts with a random one, learns the others from the cluster
// and, when its server goes away, reconnects to another. Clients reconnect
// forever with backoff and jitter, buffer up to 64 MB of publishes while
// disconnected, and ping every 20s so a dead peer is noticed within a
// minute. JetStream publishes ride out leader elections: see PublishMsg.
func Connect(ctx context.Context, url string, srv *server.Server, log *slog.Logger) (*Conn, error) {
	if log == nil {
		log = slog.Default()
	}
	opts := []nats.Option{
		nats.Name("newswire"),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.ReconnectJitter(100*time.Millisecond, time.Second),
		nats.ReconnectBufSize(64 << 20),
		nats.PingInterval(20 * time.Second),
		nats.MaxPingsOutstanding(3),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			// Slow consumers and permission violations: the client drops
			// messages (JetStream redelivers them after AckWait).
			subject := ""
			if sub != nil {
				subject = sub.Subject
			}
			log.Warn("nats async error", "err", err, "subject", subject)
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) { log.Info("nats reconnected", "url", nc.ConnectedUrl()) }),
	}
	if url == "" {
		if srv == nil {
			return nil, errors.New("nats connect: no url and no embedded server")
		}
		url = srv.ClientURL()
		opts = append(opts, nats.InProcessServer(srv))
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("nats connect %s: %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	return &Conn{NC: nc, JS: js}, nil
}

// Close drains the connection: pending publishes are flushed and
// subscriptions finish what they have.
func (c *Conn) Close() {
	if c == nil || c.NC == nil {
		return
	}
	if err := c.NC.Drain(); err != nil {
		c.NC.Close()
		return
	}
	for i := 0; i < 100 && !c.NC.IsClosed(); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	c.NC.Close()
}

// PublishJSON encodes v and publishes it to JetStream, waiting for the ack.
// It retries transient failures like PublishMsg.
func (c *Conn) PublishJSON(ctx context.Context, subject string, v any, opts ...jetstream.PublishOpt) (*jetstream.PubAck, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode for %s: %w", subject, err)
	}
	return c.PublishMsg(ctx, &nats.Msg{Subject: subject, Data: data}, opts...)
}

// Retry bounds: an operation that fails transiently (see IsTransient) is
// retried with exponential backoff and jitter from RetryMin up to RetryMax
// between attempts, each attempt bounded by RetryAttemptTimeout, until
// RetryFor has passed or ctx ends. That rides out a JetStream leader
// election (a few seconds) and a client reconnect.
const (
	RetryMin            = 50 * time.Millisecond
	RetryMax            = 2 * time.Second
	RetryAttemptTimeout = 5 * time.Second
	RetryFor            = 30 * time.Second
)

// PublishMsg publishes m to JetStream and waits for the ack, retrying
// transient failures (no stream leader during a failover, a timeout while
// reconnecting) as Retry does, with a second more per MiB of m for each
// attempt. Publish with jetstream.WithMsgID so that a
// retry of a publish whose ack was lost is dropped by the stream's
// duplicate window instead of stored twice.
func (c *Conn) PublishMsg(ctx context.Context, m *nats.Msg, opts ...jetstream.PublishOpt) (*jetstream.PubAck, error) {
	var ack *jetstream.PubAck
	err := retry(ctx, attemptTimeout(len(m.Data)), func(ctx context.Context) error {
		var err error
		ack, err = c.JS.PublishMsg(ctx, m, opts...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("publish %s: %w", m.Subject, err)
	}
	return ack, nil
}

// Retry runs op until it succeeds, returns an error that is not transient
// (IsTransient), ctx ends or RetryFor has passed, and returns op's last
// error. Each attempt's context is bounded by RetryAttemptTimeout. Use it
// for JetStream requests that must survive a leader change: publishes with
// a message ID, and acknowledgements confirmed by the server
// (jetstream.Msg.DoubleAck), which are idempotent.
func Retry(ctx context.Context, op func(ctx context.Context) error) error {
	return retry(ctx, RetryAttemptTimeout, op)
}

// attemptTimeout bounds one publish attempt of a message of n bytes:
// RetryAttemptTimeout, plus a second per MiB, so that a large message on a
// loaded machine is not cut off (and then stored twice by the retry) while it
// is still being written.
func attemptTimeout(n int) time.Duration {
	return RetryAttemptTimeout + time.Duration(n>>20)*time.Second
}

func retry(ctx context.Context, attemptTimeout time.Duration, op func(ctx context.Context) error) error {
	start := time.Now()
	wait := RetryMin
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, attemptTimeout)
		err := op(actx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil || !IsTransient(err) || time.Since(start)+wait > max(RetryFor, 2*attemptTimeout) {
			if attempt > 1 {
				return fmt.Errorf("%w (after %d attempts)", err, attempt)
			}
			return err
		}
		// Jitter keeps many clients from retrying in step.
		t := time.NewTimer(wait/2 + rand.N(wait/2+1))
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w (then %w)", err, ctx.Err())
		case <-t.C:
		}
		wait = min(2*wait, RetryMax)
	}
}

// IsTransient reports whether a JetStream publish or API error is worth
// retrying: no responders or no stream leader (an election is under way),
// a timeout, or the cluster reporting itself temporarily unavailable.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, nats.ErrNoResponders) || errors.Is(err, jetstream.ErrNoStreamResponse) ||
		errors.Is(err, nats.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, nats.ErrConnectionReconnecting) || errors.Is(err, nats.ErrDisconnected) {
		return true
	}
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode {
		case jsErrClusterIncomplete, jsErrClusterNotAvail, jsErrClusterNotLeader:
			return true
		}
	}
	return false
}

// JetStream API error codes that mean "try again" (nats-server
// jetstream_errors_generated.go).
const (
	jsErrClusterIncomplete jetstream.ErrorCode = 10004
	jsErrClusterNotAvail   jetstream.ErrorCode = 10008
	jsErrClusterNotLeader  jetstream.ErrorCode = 10009
)
