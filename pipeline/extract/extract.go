package extract

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/stage"
)

// MaxTextBytes bounds the text analysed per article; longer texts are cut at
// a sentence-sized boundary, keeping the full text in the stored article.
const MaxTextBytes = 1 << 20

// MaxMessageBytes is the default Worker.MaxMessageBytes: 4 MiB, some forty
// times the longest news article, and half the 8 MB NATS max_payload that
// newswire's servers use, so that the enriched article still fits.
const MaxMessageBytes = 4 << 20

// ErrTooLarge reports a raw article message over Worker.MaxMessageBytes,
// or an enriched article bigger than the NATS server accepts. It comes
// wrapped with stage.ErrPermanent: the message is dead-lettered at once
// with a reason that says "too large".
var ErrTooLarge = errors.New("article too large")

// Worker turns raw articles into enriched ones. Safe for concurrent use.
type Worker struct {
	// MaxMessageBytes is the largest raw article message decoded; a larger
	// one fails with ErrTooLarge before it is decoded, so a huge message
	// costs no more memory than its own bytes. Default: MaxMessageBytes.
	// Set it before the first Handle.
	MaxMessageBytes int

	conn *bus.Conn
	p    *extractors.Pipeline
	log  *slog.Logger
}

// New returns a Worker publishing on conn.
func New(conn *bus.Conn, p *extractors.Pipeline, log *slog.Logger) *Worker {
	if log == nil {
		log = slog.Default()
	}
	return &Worker{conn: conn, p: p, log: log}
}

// Handle processes one raw article message; see package stage for how the
// returned error settles the message.
//
// Log lines about the article carry its ID: Handle logs with the logger the
// stage Runner puts in ctx (stage.Logger).
func (w *Worker) Handle(ctx context.Context, m jetstream.Msg) error {
	limit := w.MaxMessageBytes
	if limit <= 0 {
		limit = MaxMessageBytes
	}
	if n := len(m.Data()); n > limit {
		return fmt.Errorf("%w: %w: raw message of %d bytes, limit %d", stage.ErrPermanent, ErrTooLarge, n, limit)
	}
	a, err := article.DecodeArticle(m.Data())
	if err != nil {
		return err
	}
	log := stage.LoggerOr(ctx, w.log.With(stage.AttrArticleID, a.ID, stage.AttrURL, a.URL))
	if len(a.Text) > MaxTextBytes {
		log.Info("text cut for analysis", "bytes", len(a.Text), "analysed", MaxTextBytes)
	}
	e, err := Enrich(ctx, w.p, a)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	if _, err := w.conn.PublishJSON(ctx, bus.SubjectEnriched, e, jetstream.WithMsgID(MsgID(a))); err != nil {
		if errors.Is(err, nats.ErrMaxPayload) {
			return fmt.Errorf("%w: %w: enriched article over the server's max payload of %d bytes: %v",
				stage.ErrPermanent, ErrTooLarge, w.conn.NC.MaxPayload(), err)
		}
		return err
	}
	log.Debug("enriched", "people", len(e.People),
		"groups", len(e.Groups), "places", len(e.Places), "events", len(e.Events))
	return nil
}

// MsgID is the enriched message's ID for deduplication.
func MsgID(a *article.Article) string {
	h := a.ContentHash
	if len(h) > 16 {
		h = h[:16]
	}
	return "enriched:" + a.ID + ":" + h
}

// Enrich runs p on a, turning a panic inside an extractor into a permanent
// error so one bad article cannot stop the stage.
func Enrich(ctx context.Context, p *extractors.Pipeline, a *article.Article) (e *article.Enriched, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: extractor panic on %s: %v\n%s", stage.ErrPermanent, a.ID, r, debug.Stack())
		}
	}()
	in := a
	if len(a.Text) > MaxTextBytes {
		cut := *a
		cut.Text = truncateUTF8(a.Text, MaxTextBytes)
		in = &cut
	}
	e, err = p.Run(ctx, in)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: extract %s: %v", stage.ErrPermanent, a.ID, err)
	}
	e.Article.Text = a.Text
	return e, nil
}

func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
