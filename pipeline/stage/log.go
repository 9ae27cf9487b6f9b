package stage

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"

	"github.com/nats-io/nats.go/jetstream"
)

// HeaderArticleID is a message header a publisher may set to the article's
// ID; ArticleAttrs reads it before decoding the message.
const HeaderArticleID = "Newswire-Article-Id"

// Log attribute keys for the message being handled.
const (
	AttrArticleID = "article_id"
	AttrURL       = "url"
)

// ArticleAttrs is the default Config.LogAttrs: the article ID from the
// HeaderArticleID header or else the JSON "id" field of the message, and
// the JSON "url" field when there is one. A message that is not JSON gets
// no attributes (its dead letter says why). It reads the message only up
// to those fields, so its cost does not grow with the article's text.
func ArticleAttrs(m jetstream.Msg) []slog.Attr {
	var attrs []slog.Attr
	id := ""
	if h := m.Headers(); h != nil {
		id = h.Get(HeaderArticleID)
	}
	jid, url := idURL(m.Data())
	if id == "" {
		id = jid
	}
	if id != "" {
		attrs = append(attrs, slog.String(AttrArticleID, id))
	}
	if url != "" {
		attrs = append(attrs, slog.String(AttrURL, url))
	}
	return attrs
}

// idURL reads the "id" and "url" string fields of a JSON object. It stops
// as soon as it has both, so that a large article, whose text comes after
// them, costs no more than its first few hundred bytes.
func idURL(data []byte) (id, url string) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", ""
	}
	for dec.More() && (id == "" || url == "") {
		t, err := dec.Token()
		if err != nil {
			return id, url
		}
		var dst any = new(json.RawMessage)
		var s string
		switch t {
		case "id", "url":
			dst = &s
		}
		if err := dec.Decode(dst); err != nil {
			return id, url
		}
		switch t {
		case "id":
			id = s
		case "url":
			url = s
		}
	}
	return id, url
}

type loggerKey struct{}

// WithLogger returns a copy of ctx carrying log. The Runner calls it for
// every message, with a logger that has the message's attributes.
func WithLogger(ctx context.Context, log *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, log)
}

// Logger returns the logger the Runner put in ctx for the message being
// handled (with "stage", "article_id" and "url" attributes), or
// slog.Default() outside a Runner. Handlers log with it so that every line
// about an article carries its ID.
func Logger(ctx context.Context) *slog.Logger {
	return LoggerOr(ctx, slog.Default())
}

// LoggerOr is Logger with fallback instead of slog.Default() when ctx
// carries no logger.
func LoggerOr(ctx context.Context, fallback *slog.Logger) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok && l != nil {
		return l
	}
	return fallback
}

// msgLogger returns the Runner's logger with m's attributes.
func (r *Runner) msgLogger(m jetstream.Msg) *slog.Logger {
	attrs := r.cfg.LogAttrs(m)
	if len(attrs) == 0 {
		return r.log
	}
	args := make([]any, len(attrs))
	for i, a := range attrs {
		args[i] = a
	}
	return r.log.With(args...)
}
