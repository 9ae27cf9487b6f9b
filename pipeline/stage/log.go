package stage

import (
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
// no attributes (its dead letter says why).
func ArticleAttrs(m jetstream.Msg) []slog.Attr {
	var attrs []slog.Attr
	id := ""
	if h := m.Headers(); h != nil {
		id = h.Get(HeaderArticleID)
	}
	var v struct {
		ID  string `json:"id"`
		URL string `json:"url"`
	}
	// Unmarshalling into two strings allocates only them, whatever the
	// message's size.
	if json.Unmarshal(m.Data(), &v) == nil {
		if id == "" {
			id = v.ID
		}
	}
	if id != "" {
		attrs = append(attrs, slog.String(AttrArticleID, id))
	}
	if v.URL != "" {
		attrs = append(attrs, slog.String(AttrURL, v.URL))
	}
	return attrs
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
