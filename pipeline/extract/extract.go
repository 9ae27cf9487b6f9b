package extract

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/stage"
)

// MaxTextBytes bounds the text analysed per article; longer texts are cut at
// a sentence-sized boundary, keeping the full text in the stored article.
const MaxTextBytes = 1 << 20

// Worker turns raw articles into enriched ones. Safe for concurrent use.
type Worker struct {
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
func (w *Worker) Handle(ctx context.Context, m jetstream.Msg) error {
	a, err := article.DecodeArticle(m.Data())
	if err != nil {
		return err
	}
	e, err := Enrich(ctx, w.p, a)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	if _, err := w.conn.PublishJSON(ctx, bus.SubjectEnriched, e, jetstream.WithMsgID(MsgID(a))); err != nil {
		return err
	}
	w.log.Debug("enriched", "article", a.ID, "url", a.URL, "people", len(e.People),
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
