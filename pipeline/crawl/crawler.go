package crawl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/extractors/text"
	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
)

// Dead-letter headers. The reason goes in Newswire-Error, as for the other
// stages.
const (
	HeaderStage    = "Newswire-Stage"
	HeaderError    = "Newswire-Error"
	HeaderAttempts = "Newswire-Attempts"
	HeaderURL      = "Newswire-URL"
	HeaderSource   = "Newswire-Source"
	HeaderStatus   = "Newswire-HTTP-Status"
)

// Stats counts what a Crawler did since it was made.
type Stats struct {
	// Fetched counts responses received (any status).
	Fetched int64
	// Published counts articles published.
	Published int64
	// Skipped counts URLs and responses skipped on purpose: robots.txt
	// rules, size, content-type and redirect limits, private addresses,
	// unchanged articles and 304s. Index pages are counted in NotArticles.
	Skipped int64
	// NotArticles counts HTML pages judged to be index or section pages.
	NotArticles int64
	// Errors counts failed fetches (each attempt) and publishes.
	Errors int64
	// Retried counts fetches scheduled again.
	Retried int64
	// DeadLettered counts URLs given up on and sent to the dead-letter subject.
	DeadLettered int64
}

// Crawler crawls its sources and publishes articles. Make one with New and
// call Run once. Stats is safe to call at any time.
type Crawler struct {
	conn      *bus.Conn
	cfg       Config
	log       *slog.Logger
	m         *metrics
	transport http.RoundTripper
	client    *http.Client

	hostsMu sync.Mutex
	hosts   map[string]*hostState

	stateMu   sync.Mutex
	published map[string]string     // canonical URL -> content hash
	visits    map[string]localVisit // fetched URLs that were articles
	byHash    map[string]string     // content hash -> article ID
	near      nearDups

	fetched, pub, skipped, notArticles, errs, retried, dead atomic.Int64

	// stop holds the context of the current Run (a stopCtx).
	stop atomic.Value
}

type stopCtx struct{ context.Context }

// stopContext returns the context of the current Run, nil outside one.
func (c *Crawler) stopContext() context.Context {
	if v, ok := c.stop.Load().(stopCtx); ok {
		return v.Context
	}
	return nil
}

// New makes a Crawler that publishes on conn. reg receives the crawler's
// metrics; nil keeps them private. log may be nil.
func New(conn *bus.Conn, cfg Config, log *slog.Logger, reg prometheus.Registerer) (*Crawler, error) {
	if conn == nil {
		return nil, fmt.Errorf("%w: nil bus connection", ErrConfig)
	}
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	c := &Crawler{
		conn:      conn,
		cfg:       cfg,
		log:       log.With("component", "crawl"),
		m:         m,
		hosts:     map[string]*hostState{},
		published: map[string]string{},
		visits:    map[string]localVisit{},
		byHash:    map[string]string{},
	}
	c.transport = &politeTransport{c: c, next: newTransport(cfg)}
	c.client = &http.Client{Transport: c.transport, Timeout: cfg.RequestTimeout, CheckRedirect: c.redirectPolicy(nil)}
	return c, nil
}

// Stats returns counts of what the crawler did so far.
func (c *Crawler) Stats() Stats {
	return Stats{
		Fetched: c.fetched.Load(), Published: c.pub.Load(), Skipped: c.skipped.Load(),
		NotArticles: c.notArticles.Load(), Errors: c.errs.Load(), Retried: c.retried.Load(),
		DeadLettered: c.dead.Load(),
	}
}

// Run crawls every source until ctx ends, each again every Recrawl, or
// once when Config.Once is set. It returns nil when the crawl is done or
// ctx ends. With Config.Frontier set, it works from the shared frontier.
func (c *Crawler) Run(ctx context.Context) error {
	c.stop.Store(stopCtx{ctx})
	if c.cfg.Progress != nil {
		stop := c.progress(ctx)
		defer stop()
	}
	if c.cfg.Frontier != nil {
		return c.runFrontier(ctx)
	}
	var wg sync.WaitGroup
	for i := range c.cfg.Sources {
		src := &c.cfg.Sources[i]
		wg.Go(func() {
			for {
				start := time.Now()
				c.round(ctx, src)
				c.log.Info("crawl round done", "source", src.Name, "took", time.Since(start).Round(time.Millisecond),
					"stats", fmt.Sprintf("%+v", c.Stats()))
				if c.cfg.Once || ctx.Err() != nil {
					return
				}
				t := time.NewTimer(src.Recrawl)
				select {
				case <-ctx.Done():
					t.Stop()
					return
				case <-t.C:
				}
			}
		})
	}
	wg.Wait()
	return nil
}

// Kinds of request, kept in the request's colly context.
const (
	kindPage    = "page"
	kindFeed    = "feed"
	kindSitemap = "sitemap"

	// kindRecentSitemap is a sitemap named in robots.txt of a source that
	// lists feeds or sitemaps of its own: only its recent entries are
	// followed (see recentSitemapAge).
	kindRecentSitemap = "sitemap_recent"

	ctxKind = "newswire.kind"
	ctxHop  = "newswire.hop"
	ctxPrev = "newswire.prev"
)

// recentSitemapAge bounds the entries followed in a sitemap found in
// robots.txt for a source that lists feeds or sitemaps of its own: its
// feeds already bring new stories, and a site's full sitemap lists years of
// archives; the recent part still catches stories the feeds leave out.
// Undated entries are skipped.
const recentSitemapAge = 72 * time.Hour

// round is one crawl of one source with a fresh colly collector.
type round struct {
	c *Crawler
	// ctx bounds the work itself (fetches, publishes); stop ends when the
	// crawler is asked to stop: no new work is started, and work in flight
	// may finish until ctx ends.
	ctx     context.Context
	stop    context.Context
	src     *Source
	col     *colly.Collector
	reasons sync.Map // *colly.Request -> reason for an abort after headers

	mu           sync.Mutex
	seenHosts    map[string]bool
	robotsRounds map[string]time.Time // host -> recrawl round its robots.txt sitemaps were queued for
	attempts     map[string]int
}

func (c *Crawler) round(ctx context.Context, src *Source) {
	r := c.newRound(ctx, ctx, src, false)
	for _, u := range src.StartURLs {
		r.enqueue(u, kindPage, 0, true)
	}
	for _, u := range src.Feeds {
		r.enqueue(u, kindFeed, 0, true)
	}
	for _, u := range src.Sitemaps {
		r.enqueue(u, kindSitemap, 0, true)
	}
	r.col.Wait()
}

// newRound builds a collector for one source. With revisit, colly keeps no
// visited set of its own (the shared frontier is the seen-set).
func (c *Crawler) newRound(ctx, stop context.Context, src *Source, revisit bool) *round {
	col := colly.NewCollector(
		colly.Async(true),
		colly.StdlibContext(ctx),
		colly.UserAgent(c.cfg.UserAgent),
		colly.MaxBodySize(c.cfg.MaxPageBytes+1),
	)
	col.IgnoreRobotsTxt = false
	col.SetClient(&http.Client{Transport: c.transport})
	col.SetRequestTimeout(c.cfg.RequestTimeout)
	col.SetRedirectHandler(c.redirectPolicy(src))
	r := &round{c: c, ctx: ctx, stop: stop, src: src, col: col,
		seenHosts: map[string]bool{}, robotsRounds: map[string]time.Time{}, attempts: map[string]int{}}
	col.OnRequest(r.onRequest)
	col.OnResponseHeaders(r.onResponseHeaders)
	col.OnResponse(r.onResponse)
	col.OnError(r.onError)
	col.OnScraped(func(resp *colly.Response) { r.finish(resp.Ctx) })
	col.AllowURLRevisit = revisit
	return r
}

// enqueue asks colly to fetch raw. Seeds skip the include/exclude check.
func (r *round) enqueue(raw, kind string, hop int, seed bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return
	}
	clean, err := text.CleanURL(u.String())
	if err != nil {
		return
	}
	if !seed {
		cu, _ := url.Parse(clean)
		if kind != kindPage {
			// Feeds and sitemaps need only be on the source's hosts.
			if !r.src.allowsHost(cu.Hostname()) {
				return
			}
		} else {
			if !r.src.allowsURL(cu) || hop > r.src.MaxDepth {
				return
			}
			if r.c.knownArticle(clean, time.Now()) {
				r.c.skip("known_article")
				return
			}
		}
	}
	if f := r.c.cfg.Frontier; f != nil {
		// Shared frontier: queue it for whichever worker holds its host.
		it := FrontierItem{URL: clean, Source: r.src.Name, Kind: kind, Hop: hop}
		var err error
		if seed {
			// Seeds are polled every recrawl round.
			err = f.AddSeed(r.ctx, it, time.Now().Truncate(r.src.Recrawl))
		} else {
			_, err = f.Add(r.ctx, it)
		}
		if err != nil {
			r.c.errs.Add(1)
			r.c.m.errors.WithLabelValues("frontier").Inc()
			r.c.log.Warn("frontier add", "url", clean, "err", err)
		}
		return
	}
	ctx := colly.NewContext()
	ctx.Put(ctxKind, kind)
	ctx.Put(ctxHop, hop)
	r.requestResult(clean, r.col.Request(http.MethodGet, clean, nil, ctx, nil))
}

// requestResult counts why colly refused to request a URL, if it did.
func (r *round) requestResult(clean string, err error) {
	var visited *colly.AlreadyVisitedError
	switch {
	case err == nil, errors.As(err, &visited):
	case errors.Is(err, colly.ErrRobotsTxtBlocked):
		r.c.skip("robots")
		r.c.log.Debug("robots.txt disallows", "url", clean)
	case errors.Is(err, ErrPrivateAddress):
		r.refuse(clean, "private_address", err)
	default:
		r.c.m.errors.WithLabelValues("request").Inc()
		r.c.errs.Add(1)
		r.c.log.Warn("cannot request", "url", clean, "err", err)
	}
}

func (c *Crawler) skip(reason string) {
	c.skipped.Add(1)
	c.m.skipped.WithLabelValues(reason).Inc()
}

// localVisit is what this process remembers of an article URL it fetched.
type localVisit struct {
	next      time.Time // due again; zero: never
	unchanged int
}

// knownArticle reports whether u is an article fetched before and not yet
// due for a revisit.
func (c *Crawler) knownArticle(u string, now time.Time) bool {
	c.stateMu.Lock()
	defer c.stateMu.Unlock()
	v, ok := c.visits[u]
	return ok && (v.next.IsZero() || now.Before(v.next))
}

// noteArticle records a visit of article page u that found it changed or
// not, and returns when it is due again (zero: never).
func (c *Crawler) noteArticle(src *Source, u string, changed bool, now time.Time) time.Time {
	c.stateMu.Lock()
	defer c.stateMu.Unlock()
	v := c.visits[u]
	if changed {
		v.unchanged = 0
	} else if _, ok := c.visits[u]; ok {
		v.unchanged++
	}
	v.next = time.Time{}
	if d := src.revisitAfter(v.unchanged); d >= 0 {
		v.next = now.Add(d)
	}
	c.visits[u] = v
	return v.next
}

func (r *round) onRequest(req *colly.Request) {
	req.Headers.Set("Accept", "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5")
	hs := r.c.host(req.URL.Scheme, req.URL.Host)
	r.mu.Lock()
	first := !r.seenHosts[req.URL.Host]
	r.seenHosts[req.URL.Host] = true
	r.mu.Unlock()
	if first {
		_ = r.col.Limit(&colly.LimitRule{
			DomainRegexp: "^" + regexp.QuoteMeta(req.URL.Host) + "$",
			Parallelism:  r.c.cfg.Parallelism,
		})
	}
	hs.loadRobots(r.ctx, r.c)
	r.conditional(req)
	// Sitemaps named in robots.txt are polled once per recrawl round for
	// every source; for a source that lists feeds or sitemaps of its own,
	// only their recent entries are followed (recentSitemapAge).
	if len(hs.sitemaps) > 0 && r.src.allowsHost(req.URL.Hostname()) {
		roundStart := time.Now().Truncate(r.src.Recrawl)
		r.mu.Lock()
		last, queued := r.robotsRounds[req.URL.Host]
		// In Once mode there is one round, however long it takes.
		due := !queued || (!r.c.cfg.Once && !last.Equal(roundStart))
		r.robotsRounds[req.URL.Host] = roundStart
		r.mu.Unlock()
		if due {
			kind := kindSitemap
			if len(r.src.Sitemaps) > 0 || len(r.src.Feeds) > 0 {
				kind = kindRecentSitemap
			}
			for _, sm := range hs.sitemaps {
				r.enqueue(sm, kind, 0, true)
			}
		}
	}
}

// interval is the least time between two requests to a host.
func (c *Crawler) interval(hs *hostState) time.Duration {
	return max(c.cfg.Delay, min(time.Duration(hs.crawlDelay.Load()), c.cfg.MaxCrawlDelay))
}

// acceptedType reports content types worth reading.
func acceptedType(ct string) bool {
	ct = strings.ToLower(ct)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.TrimSpace(ct)
	switch {
	case ct == "", ct == "text/html", ct == "application/xhtml+xml", ct == "text/plain",
		strings.HasSuffix(ct, "/xml"), strings.HasSuffix(ct, "+xml"),
		ct == "application/x-gzip", ct == "application/gzip":
		return true
	}
	return false
}

func (r *round) onResponseHeaders(resp *colly.Response) {
	ct := resp.Headers.Get("Content-Type")
	switch {
	case !acceptedType(ct):
		r.reasons.Store(resp.Request, fmt.Errorf("%w: %s", ErrContentType, ct))
		resp.Request.Abort()
	case contentLength(resp.Headers) > int64(r.c.cfg.MaxPageBytes):
		r.reasons.Store(resp.Request, fmt.Errorf("%w: %s bytes", ErrTooLarge, resp.Headers.Get("Content-Length")))
		resp.Request.Abort()
	}
}

func contentLength(h *http.Header) int64 {
	n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

func (r *round) onResponse(resp *colly.Response) {
	r.c.fetched.Add(1)
	r.c.m.bytes.Add(float64(len(resp.Body)))
	u := resp.Request.URL.String()
	if len(resp.Body) > r.c.cfg.MaxPageBytes {
		r.c.m.fetched.WithLabelValues(r.src.Name, "refused").Inc()
		r.refuse(u, "too_large", fmt.Errorf("%w: over %d bytes", ErrTooLarge, r.c.cfg.MaxPageBytes))
		return
	}
	kind, _ := resp.Ctx.GetAny(ctxKind).(string)
	hop, _ := resp.Ctx.GetAny(ctxHop).(int)
	body := resp.Body
	switch root := xmlRoot(body); root {
	case "urlset", "sitemapindex":
		r.c.m.fetched.WithLabelValues(r.src.Name, kindSitemap).Inc()
		r.remember(resp, outcome{})
		r.handleSitemap(resp, root, hop, kind == kindRecentSitemap)
		return
	case "rss", "feed", "rdf":
		r.c.m.fetched.WithLabelValues(r.src.Name, kindFeed).Inc()
		r.remember(resp, outcome{})
		r.handleFeed(resp, hop)
		return
	}
	if !text.LooksLikeHTML(body) {
		r.c.m.fetched.WithLabelValues(r.src.Name, "refused").Inc()
		r.remember(resp, outcome{})
		r.refuse(u, "content_type", fmt.Errorf("%w: %s (%s requested) is not HTML or XML", ErrContentType, resp.Headers.Get("Content-Type"), kind))
		return
	}
	if out, ok := r.handlePage(resp, hop); ok {
		r.remember(resp, out)
	}
}

// refuse logs and counts a response or URL skipped on purpose.
func (r *round) refuse(u, reason string, err error) {
	r.c.skip(reason)
	r.c.log.Info("refused", "url", u, "reason", reason, "err", err)
}

func (r *round) onError(resp *colly.Response, err error) {
	req := resp.Request
	u := req.URL.String()
	// keep is true while the URL is still being worked on (a retry) or is
	// left for redelivery (shutdown); otherwise its frontier job is done.
	keep := false
	defer func() {
		if !keep {
			r.finish(resp.Ctx)
		}
	}()
	if r.ctx.Err() != nil {
		// Cut short: leave it for another worker or the next start.
		keep = true
		return
	}
	if v, ok := r.reasons.LoadAndDelete(req); ok {
		rerr := v.(error)
		reason := "content_type"
		if errors.Is(rerr, ErrTooLarge) {
			reason = "too_large"
		}
		r.c.fetched.Add(1)
		r.refuse(u, reason, rerr)
		return
	}
	if resp.StatusCode > 0 {
		r.c.fetched.Add(1)
	}
	switch {
	case errors.Is(err, ErrPrivateAddress):
		r.refuse(u, "private_address", err)
		return
	case errors.Is(err, ErrTooManyRedirects), errors.Is(err, ErrOffSite):
		r.refuse(u, "redirects", err)
		return
	}
	status := resp.StatusCode
	reason := "network"
	switch {
	case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable:
		reason = "http_" + strconv.Itoa(status)
	case status >= 500:
		reason = "http_5xx"
	case status == http.StatusNotModified:
		r.c.skip("not_modified")
		r.notModified(resp)
		return
	case status >= 400:
		// The page is gone or forbidden: trying again will not help.
		r.c.errs.Add(1)
		r.c.m.errors.WithLabelValues("http_" + strconv.Itoa(status)).Inc()
		r.c.log.Info("fetch failed", "url", u, "status", status)
		return
	case status >= 200:
		r.c.skip("http_" + strconv.Itoa(status))
		return
	case isTimeout(err):
		reason = "timeout"
	}
	if r.stopping() {
		// Stopping (a request not sent, or a failure that would be retried):
		// leave it for another worker or the next start, uncounted.
		keep = true
		return
	}
	r.c.errs.Add(1)
	r.c.m.errors.WithLabelValues(reason).Inc()

	attempt := r.failedAttempt(u)
	if attempt >= r.c.cfg.MaxAttempts {
		r.c.deadLetter(r.ctx, r.src.Name, u, reason, status, attempt, err)
		return
	}
	delay := backoff(r.c.cfg.RetryBase, r.c.cfg.RetryMax, attempt)
	retryReason := "backoff"
	if reason == "http_429" || reason == "http_503" {
		if ra, ok := retryAfter(resp.Headers, time.Now()); ok {
			delay = min(ra, r.c.cfg.RetryMax)
			retryReason = "retry_after"
			// The whole host asked us to wait, not just this URL.
			r.c.host(req.URL.Scheme, req.URL.Host).pushBack(delay)
		}
	}
	r.c.retried.Add(1)
	r.c.m.retries.WithLabelValues(retryReason).Inc()
	r.c.log.Info("fetch failed, will retry", "url", u, "reason", reason, "attempt", attempt, "in", delay, "err", err)
	// Wait here, inside colly's job, so that Wait in round keeps counting
	// this URL; Retry then starts a new job before this one ends.
	keep = true
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-r.stop.Done():
		return
	case <-r.ctx.Done():
		return
	case <-t.C:
	}
	if err := req.Retry(); err != nil {
		r.c.log.Warn("retry", "url", u, "err", err)
		keep = false
	}
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout() || errors.Is(err, context.DeadlineExceeded)
}

// backoff is base*2^(attempt-1), capped.
func backoff(base, limit time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(h *http.Header, now time.Time) (time.Duration, bool) {
	if h == nil {
		return 0, false
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// deadLetter publishes a URL given up on to newswire.dlq.crawl.
func (c *Crawler) deadLetter(ctx context.Context, source, u, reason string, status, attempts int, cause error) {
	c.dead.Add(1)
	c.log.Warn("giving up on url", "url", u, "reason", reason, "attempts", attempts, "err", cause)
	body, _ := json.Marshal(map[string]any{
		"url": u, "source": source, "reason": reason, "status": status, "attempts": attempts,
		"error": fmt.Sprint(cause), "time": time.Now().UTC(),
	})
	m := nats.NewMsg(bus.DLQSubject("crawl"))
	m.Data = body
	m.Header.Set(HeaderStage, "crawl")
	m.Header.Set(HeaderError, reason)
	m.Header.Set(HeaderURL, u)
	m.Header.Set(HeaderSource, source)
	m.Header.Set(HeaderAttempts, strconv.Itoa(attempts))
	if status > 0 {
		m.Header.Set(HeaderStatus, strconv.Itoa(status))
	}
	if _, err := c.conn.JS.PublishMsg(ctx, m); err != nil {
		c.errs.Add(1)
		c.m.errors.WithLabelValues("dead_letter").Inc()
		c.log.Error("publish dead letter", "url", u, "err", err)
	}
}

// redirectPolicy stops redirect loops, chains over MaxRedirects and, for a
// source, redirects off its hosts.
func (c *Crawler) redirectPolicy(src *Source) func(req *http.Request, via []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		for _, v := range via {
			if v.URL.String() == req.URL.String() {
				return fmt.Errorf("%w: loop back to %s", ErrTooManyRedirects, req.URL)
			}
		}
		if len(via) > c.cfg.MaxRedirects {
			return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, c.cfg.MaxRedirects)
		}
		if src != nil && !src.allowsHost(req.URL.Hostname()) {
			return fmt.Errorf("%w: %s", ErrOffSite, req.URL.Host)
		}
		return nil
	}
}

// stopping reports whether the crawler was asked to stop.
func (r *round) stopping() bool { return r.stop.Err() != nil || r.ctx.Err() != nil }

// publish sends an article unless it was published unchanged before (by
// this process, or from this URL by any worker: prev). It reports whether
// the article was new or changed.
func (r *round) publish(a *article.Article, fetchedURL string, prev URLState) (bool, error) {
	c := r.c
	c.stateMu.Lock()
	if p, ok := c.published[a.CanonicalURL]; (ok && p == a.ContentHash) || prev.ArticleHash == a.ContentHash {
		c.stateMu.Unlock()
		c.skip("unchanged")
		return false, nil
	}
	c.stateMu.Unlock()
	fp, hasFP := simhash(a.Text)
	if f := c.cfg.Frontier; f != nil {
		// Shared with every worker, past and present, through DupBucket.
		dup, err := f.dups.check(r.ctx, a.ID, a.ContentHash, fp, hasFP, minhash(a.Text))
		if err != nil {
			c.errs.Add(1)
			c.m.errors.WithLabelValues("dedupe").Inc()
			c.log.Error("duplicate check", "article_id", a.ID, "url", a.URL, "err", err)
			return false, err
		}
		a.DuplicateOf = dup
	} else {
		c.stateMu.Lock()
		if id, ok := c.byHash[a.ContentHash]; ok && id != a.ID {
			a.DuplicateOf = id
		}
		c.stateMu.Unlock()
		if hasFP && a.DuplicateOf == "" {
			// A copy of a story already seen (syndicated, lightly edited) is
			// linked to it rather than left to count as a new story.
			a.DuplicateOf = c.near.match(fp, minhash(a.Text), a.ID)
		}
	}
	if a.DuplicateOf != "" {
		c.m.duplicates.Inc()
	}
	_, err := c.conn.PublishJSON(r.ctx, bus.RawSubject(a.Source), a, jetstream.WithMsgID(a.ID+":"+a.ContentHash[:16]))
	if err != nil {
		c.errs.Add(1)
		c.m.errors.WithLabelValues("publish").Inc()
		c.log.Error("publish article", "article_id", a.ID, "url", a.URL, "err", err)
		return false, err
	}
	c.stateMu.Lock()
	c.published[a.CanonicalURL] = a.ContentHash
	if _, ok := c.byHash[a.ContentHash]; !ok {
		c.byHash[a.ContentHash] = a.ID
	}
	c.stateMu.Unlock()
	c.pub.Add(1)
	c.m.published.WithLabelValues(r.src.Name).Inc()
	c.log.Debug("published", "article_id", a.ID, "url", a.URL, "title", a.Title, "duplicate_of", a.DuplicateOf)
	return true, nil
}

// xmlRoot returns the lower-case local name of an XML document's root
// element ("urlset", "rss", "feed", "rdf"), or "" for anything else.
func xmlRoot(b []byte) string {
	b = bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
	for range 20 {
		if !bytes.HasPrefix(b, []byte("<")) {
			return ""
		}
		switch {
		case bytes.HasPrefix(b, []byte("<?")), bytes.HasPrefix(b, []byte("<!--")), bytes.HasPrefix(b, []byte("<!")):
			end := []byte(">")
			if bytes.HasPrefix(b, []byte("<!--")) {
				end = []byte("-->")
			}
			i := bytes.Index(b, end)
			if i < 0 {
				return ""
			}
			b = bytes.TrimLeft(b[i+len(end):], " \t\r\n")
			continue
		}
		name := b[1:]
		if i := bytes.IndexAny(name, " \t\r\n>/"); i >= 0 {
			name = name[:i]
		}
		if i := bytes.IndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		switch n := strings.ToLower(string(name)); n {
		case "urlset", "sitemapindex", "rss", "feed", "rdf":
			return n
		}
		return ""
	}
	return ""
}
