package alert

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/stage"
)

// WebhookStage names the webhook deliverer in dead letters:
// newswire.dlq.alert-webhook.
const WebhookStage = "alert-webhook"

// HeaderWebhook carries the webhook URL (without its query) on a dead letter.
const HeaderWebhook = "Newswire-Webhook"

// HeaderSignature carries a webhook body's HMAC; see WebhookConfig.Secret.
const HeaderSignature = "Newswire-Signature"

// Sign returns the Newswire-Signature value for a webhook body:
// "sha256=" and the hex HMAC-SHA256 of body keyed with secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// WebhookConfig configures webhook delivery. Zero fields take the defaults.
type WebhookConfig struct {
	// Default is the URL for alerts whose rule and rules file name none
	// (e.g. from a command-line flag). Default: "", such alerts are not
	// delivered.
	Default string
	// Client sends the requests. Default: a client with a 10s timeout.
	Client *http.Client
	// Secret, when set, signs each delivery: the header
	// Newswire-Signature is "sha256=" and the hex HMAC-SHA256 of the body
	// with this key, so receivers can check the sender. Default: unsigned.
	Secret string
	// Attempts is how many times a delivery is tried before it is
	// dead-lettered. Default: 5.
	Attempts int
	// Backoff is the wait after the first failure; it doubles after each
	// further one up to MaxBackoff. Defaults: 500ms and 30s.
	Backoff, MaxBackoff time.Duration
}

// Webhooks delivers alerts by HTTP POST to the URL of their rule (or the
// rules file's default), retrying with backoff; a delivery that keeps failing
// goes to the dead-letter subject bus.DLQSubject(WebhookStage) with the
// reason. Safe for concurrent use.
type Webhooks struct {
	conn  *bus.Conn
	rules Source
	cfg   WebhookConfig
	log   *slog.Logger

	delivered *prometheus.CounterVec
}

// NewWebhooks returns a deliverer for the webhooks named in rules. reg
// receives its metrics (nil: not exported).
func NewWebhooks(conn *bus.Conn, rules Source, cfg WebhookConfig, log *slog.Logger, reg prometheus.Registerer) (*Webhooks, error) {
	if conn == nil || conn.JS == nil {
		return nil, errors.New("alert webhooks: no bus connection")
	}
	if rules == nil {
		return nil, errors.New("alert webhooks: no rules")
	}
	if cfg.Default != "" {
		if err := checkURL(cfg.Default); err != nil {
			return nil, fmt.Errorf("alert webhooks: default URL: %w", err)
		}
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = 5
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 500 * time.Millisecond
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 30 * time.Second
	}
	if log == nil {
		log = slog.Default()
	}
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	reg = prometheus.WrapRegistererWith(prometheus.Labels{"component": "alert"}, reg)
	return &Webhooks{
		conn: conn, rules: rules, cfg: cfg, log: log.With("component", "alert-webhook"),
		delivered: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newswire_alert_webhook_deliveries_total",
			Help: "Webhook deliveries, by outcome (ok, retry, dead_letter).",
		}, []string{"outcome"})),
	}, nil
}

// Run delivers every alert of the alerts stream that has a webhook, through
// a durable consumer of that name so no alert is skipped across restarts,
// until ctx ends.
func (h *Webhooks) Run(ctx context.Context, durable string) error {
	if durable == "" {
		durable = WebhookStage
	}
	return Watch(ctx, h.conn, nil, durable, func(a Alert) error {
		u := h.rules.Current().Webhook(a.Rule)
		if u == "" {
			u = h.cfg.Default
		}
		if u == "" {
			return nil
		}
		return h.Deliver(ctx, u, a)
	})
}

// Deliver posts a to url as JSON, retrying failures (network errors, 5xx,
// 408 and 429) with backoff. After Attempts failures, or at once for other
// 4xx answers, it publishes a dead letter and returns nil: the alert is in
// the dead-letter stream, not lost. It returns an error only when ctx ends
// or the dead letter cannot be published.
func (h *Webhooks) Deliver(ctx context.Context, url string, a Alert) error {
	body, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("%w: encode alert %s: %v", ErrPermanent, a.AlertID, err)
	}
	wait := h.cfg.Backoff
	var last error
	attempts := 0
	for attempts < h.cfg.Attempts {
		attempts++
		retry, err := h.post(ctx, url, a, body)
		if err == nil {
			h.delivered.WithLabelValues("ok").Inc()
			return nil
		}
		last = err
		if ctx.Err() != nil {
			return fmt.Errorf("webhook %s: %w", redact(url), ctx.Err())
		}
		if !retry {
			break
		}
		if attempts == h.cfg.Attempts {
			break
		}
		h.delivered.WithLabelValues("retry").Inc()
		h.log.Warn("webhook delivery failed; retrying", "url", redact(url), "alert_id", a.AlertID, "article_id", a.ArticleID, "attempt", attempts, "wait", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("webhook %s: %w", redact(url), ctx.Err())
		case <-t.C:
		}
		wait = min(2*wait, h.cfg.MaxBackoff)
	}
	h.log.Error("webhook delivery failed; dead-lettered", "url", redact(url), "alert_id", a.AlertID, "article_id", a.ArticleID, "attempts", attempts, "err", last)
	return h.deadLetter(ctx, url, a, body, last, attempts)
}

// post sends one request; retry says whether a failure is worth retrying.
func (h *Webhooks) post(ctx context.Context, url string, a Alert, body []byte) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return false, fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "newswire-alerts")
	req.Header.Set("Newswire-Alert-Id", a.AlertID)
	req.Header.Set("Newswire-Rule", a.Rule)
	// Receivers can dedup retries on this key.
	req.Header.Set("Idempotency-Key", a.AlertID+"."+a.ArticleID)
	if h.cfg.Secret != "" {
		req.Header.Set(HeaderSignature, Sign(h.cfg.Secret, body))
	}
	resp, err := h.cfg.Client.Do(req)
	if err != nil {
		return true, fmt.Errorf("webhook post: %w", err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return false, nil
	}
	err = fmt.Errorf("webhook answered %s: %s", resp.Status, bytes.TrimSpace(snippet))
	retry = resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooManyRequests
	return retry, err
}

func (h *Webhooks) deadLetter(ctx context.Context, url string, a Alert, body []byte, reason error, attempts int) error {
	m := nats.NewMsg(bus.DLQSubject(WebhookStage))
	m.Data = body
	m.Header.Set(stage.HeaderStage, WebhookStage)
	m.Header.Set(stage.HeaderError, fmt.Sprint(reason))
	m.Header.Set(stage.HeaderAttempts, strconv.Itoa(attempts))
	m.Header.Set(stage.HeaderSubject, bus.AlertSubject(a.Rule))
	m.Header.Set(stage.HeaderTime, time.Now().UTC().Format(time.RFC3339Nano))
	m.Header.Set(HeaderWebhook, redact(url))
	m.Header.Set(nats.MsgIdHdr, WebhookStage+":"+a.AlertID+"."+a.ArticleID)
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := h.conn.JS.PublishMsg(pctx, m); err != nil {
		return fmt.Errorf("webhook dead letter for alert %s: %w", a.AlertID, err)
	}
	h.delivered.WithLabelValues("dead_letter").Inc()
	return nil
}

// redact drops the query and user info from a URL, where tokens live.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable url)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}
