package crawl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/nats-io/nats.go/jetstream"
)

const ctxJob = "newswire.job"

// job is one frontier message being fetched; done runs once.
type job struct {
	msg  jetstream.Msg
	once sync.Once
	done func()
	// failed marks work that must be done again (an article not
	// published).
	failed atomic.Bool
}

// finish settles the frontier message behind a request, if any: ack when
// the work is done, nak when it failed or was cut short by shutdown.
func (r *round) finish(ctx *colly.Context) {
	if ctx == nil {
		return
	}
	if j, ok := ctx.GetAny(ctxJob).(*job); ok {
		j.once.Do(func() {
			var err error
			switch {
			case r.ctx.Err() != nil:
				// Cut short: the work was not done.
				err = j.msg.Nak()
			case j.failed.Load():
				err = j.msg.NakWithDelay(r.c.cfg.RetryBase)
			default:
				err = j.msg.Ack()
			}
			if err != nil {
				r.c.log.Warn("frontier settle", "err", err)
			}
			j.done()
		})
	}
}

// markFailed marks the frontier message behind a request for another try.
func markFailed(ctx *colly.Context) {
	if j, ok := ctx.GetAny(ctxJob).(*job); ok {
		j.failed.Store(true)
	}
}

// maxInFlight bounds the frontier messages a worker holds at once.
const maxInFlight = 64

func (c *Crawler) runFrontier(ctx context.Context) error {
	f := c.cfg.Frontier
	// Work in flight when ctx ends may finish within ShutdownGrace, so that
	// a page already fetched is not fetched again by the next worker.
	work, abort := context.WithCancel(context.WithoutCancel(ctx))
	defer abort()
	stopDups, err := f.dups.watch(ctx)
	if err != nil {
		return err
	}
	defer stopDups()
	rounds := map[string]*round{}
	for i := range c.cfg.Sources {
		src := &c.cfg.Sources[i]
		rounds[src.Name] = c.newRound(work, ctx, src, true)
	}
	var inflight atomic.Int64
	var active sync.Map // *job -> struct{}: dispatched, not yet finished
	var partMu sync.Mutex
	perPart := map[int]int{} // partition -> jobs in flight
	busy := func(p int) bool {
		partMu.Lock()
		defer partMu.Unlock()
		return perPart[p] > 0
	}
	track := func(p, d int) {
		partMu.Lock()
		perPart[p] += d
		partMu.Unlock()
	}

	var seeding sync.WaitGroup
	var seeded atomic.Bool
	for i := range c.cfg.Sources {
		src := &c.cfg.Sources[i]
		seeding.Go(func() { c.seed(ctx, f, src) })
	}
	go func() { seeding.Wait(); seeded.Store(true) }()

	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var held []int
	var lastClaim time.Time
loop:
	for ctx.Err() == nil {
		if time.Since(lastClaim) > f.o.LeaseTTL/3 {
			held = f.claim(ctx, busy)
			lastClaim = time.Now()
		}
		got := 0
		for _, p := range held {
			room := maxInFlight - int(inflight.Load())
			if room <= 0 {
				break
			}
			msgs, err := f.next(ctx, p, min(room, 16))
			if err != nil && ctx.Err() == nil {
				c.log.Warn("frontier next", "partition", p, "err", err)
			}
			for _, m := range msgs {
				got++
				track(p, 1)
				c.dispatch(rounds, m, &inflight, &active, func() { track(p, -1) })
			}
		}
		if got > 0 {
			continue
		}
		if c.cfg.Once && seeded.Load() && inflight.Load() == 0 {
			if n, err := f.Pending(ctx); err == nil && n == 0 {
				break loop
			}
		}
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
	}
	grace := time.AfterFunc(c.cfg.ShutdownGrace, abort)
	for _, r := range rounds {
		r.col.Wait()
	}
	grace.Stop()
	// URLs cut short by shutdown go back to the queue at once, for another
	// worker or the next start, instead of waiting out AckWait.
	active.Range(func(k, _ any) bool {
		_ = k.(*job).msg.Nak()
		return true
	})
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	f.release(rctx)
	return nil
}

// seed queues a source's start URLs, feeds and sitemaps once per round.
func (c *Crawler) seed(ctx context.Context, f *Frontier, src *Source) {
	for {
		round := time.Now().Truncate(src.Recrawl)
		add := func(urls []string, kind string) {
			for _, u := range urls {
				if err := f.AddSeed(ctx, FrontierItem{URL: u, Source: src.Name, Kind: kind}, round); err != nil && ctx.Err() == nil {
					c.log.Warn("frontier seed", "url", u, "err", err)
				}
			}
		}
		add(src.StartURLs, kindPage)
		add(src.Feeds, kindFeed)
		add(src.Sitemaps, kindSitemap)
		if c.cfg.Once {
			return
		}
		t := time.NewTimer(time.Until(round.Add(src.Recrawl)))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// dispatch starts fetching one frontier message.
func (c *Crawler) dispatch(rounds map[string]*round, m jetstream.Msg, inflight *atomic.Int64, active *sync.Map, untrack func()) {
	var it FrontierItem
	if err := json.Unmarshal(m.Data(), &it); err != nil || it.URL == "" {
		c.log.Warn("bad frontier item", "err", err)
		_ = m.Term()
		untrack()
		return
	}
	r := rounds[it.Source]
	if r == nil {
		// Another worker's source: hand it back for a worker that knows it.
		_ = m.NakWithDelay(5 * time.Second)
		untrack()
		return
	}
	inflight.Add(1)
	j := &job{msg: m}
	j.done = func() { inflight.Add(-1); active.Delete(j); untrack() }
	active.Store(j, struct{}{})
	cctx := colly.NewContext()
	cctx.Put(ctxKind, it.Kind)
	cctx.Put(ctxHop, it.Hop)
	cctx.Put(ctxJob, j)
	err := r.col.Request(http.MethodGet, it.URL, nil, cctx, nil)
	if err != nil {
		r.requestResult(it.URL, err)
		r.finish(cctx)
	}
}

// conditional adds If-None-Match and If-Modified-Since from the frontier's
// state of the URL.
func (r *round) conditional(req *colly.Request) {
	f := r.c.cfg.Frontier
	if f == nil {
		return
	}
	st, ok, err := f.State(r.ctx, req.URL.String())
	if err != nil || !ok {
		return
	}
	req.Ctx.Put(ctxPrev, st)
	if st.ETag != "" {
		req.Headers.Set("If-None-Match", st.ETag)
	}
	if st.LastModified != "" {
		req.Headers.Set("If-Modified-Since", st.LastModified)
	}
}

// remember records a response in the frontier's state, and for an article
// page when it is due again.
func (r *round) remember(resp *colly.Response, out outcome) {
	f := r.c.cfg.Frontier
	if f == nil {
		return
	}
	prev, _ := resp.Ctx.GetAny(ctxPrev).(URLState)
	sum := sha256.Sum256(resp.Body)
	st := prev
	st.URL = resp.Request.URL.String()
	st.ETag = resp.Headers.Get("ETag")
	st.LastModified = resp.Headers.Get("Last-Modified")
	st.ContentHash = hex.EncodeToString(sum[:])
	st.Status = resp.StatusCode
	st.Fetched = time.Now().UTC()
	st.Attempts = 0
	st.Article = out.article
	st.NextVisit = time.Time{}
	if out.article {
		switch {
		case out.changed || prev.ArticleHash == "":
			st.Unchanged = 0
		default:
			st.Unchanged = prev.Unchanged + 1
		}
		st.ArticleHash = out.hash
		r.scheduleRevisit(&st)
	}
	if err := f.SetState(r.ctx, st); err != nil {
		r.c.log.Warn("frontier state", "url", st.URL, "err", err)
	}
}

// scheduleRevisit sets when an article page is due again, here and in the
// local memory of this process.
func (r *round) scheduleRevisit(st *URLState) {
	st.NextVisit = time.Time{}
	if d := r.src.revisitAfter(st.Unchanged); d >= 0 {
		st.NextVisit = st.Fetched.Add(d)
	}
	r.c.stateMu.Lock()
	r.c.visits[st.URL] = localVisit{next: st.NextVisit, unchanged: st.Unchanged}
	r.c.stateMu.Unlock()
}

// notModified records a 304: the page is as it was, so an article page
// waits longer before its next visit.
func (r *round) notModified(resp *colly.Response) {
	u := resp.Request.URL.String()
	f := r.c.cfg.Frontier
	if f == nil {
		r.c.stateMu.Lock()
		_, known := r.c.visits[u]
		r.c.stateMu.Unlock()
		if known {
			r.c.noteArticle(r.src, u, false, time.Now())
		}
		return
	}
	st, _ := resp.Ctx.GetAny(ctxPrev).(URLState)
	st.URL = u
	st.Status = resp.StatusCode
	st.Fetched = time.Now().UTC()
	st.Attempts = 0
	if st.Article {
		st.Unchanged++
		r.scheduleRevisit(&st)
	}
	if err := f.SetState(r.ctx, st); err != nil {
		r.c.log.Warn("frontier state", "url", st.URL, "err", err)
	}
}

// failedAttempt counts a failed fetch of u and returns the attempts so far.
// With a frontier the count lives in the URL's shared state, so a worker
// that takes over after a restart goes on counting.
func (r *round) failedAttempt(u string) int {
	r.mu.Lock()
	r.attempts[u]++
	n := r.attempts[u]
	r.mu.Unlock()
	f := r.c.cfg.Frontier
	if f == nil {
		return n
	}
	st, ok, err := f.State(r.ctx, u)
	if err != nil || !ok {
		return n
	}
	st.Attempts++
	if err := f.SetState(r.ctx, st); err != nil {
		r.c.log.Warn("frontier state", "url", u, "err", err)
	}
	return max(n, st.Attempts)
}
