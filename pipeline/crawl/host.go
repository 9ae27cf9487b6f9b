package crawl

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/temoto/robotstxt"
)

// hostState is the politeness state of one host (scheme://host:port),
// shared by every round and source of a Crawler.
type hostState struct {
	scheme, host string

	// sem lets one request at a time through to the host when there is a
	// delay to keep.
	sem  chan struct{}
	mu   sync.Mutex
	next time.Time // earliest start of the next request

	robotsOnce sync.Once
	crawlDelay atomic.Int64 // a time.Duration; read by the transport at any time
	sitemaps   []string
}

func (c *Crawler) host(scheme, host string) *hostState {
	key := scheme + "://" + host
	c.hostsMu.Lock()
	defer c.hostsMu.Unlock()
	hs := c.hosts[key]
	if hs == nil {
		hs = &hostState{scheme: scheme, host: host, sem: make(chan struct{}, 1)}
		c.hosts[key] = hs
	}
	return hs
}

// acquire waits for the host's turn: the previous request's response
// headers have arrived and interval has passed since. The caller must call
// release when the response headers arrive (or the request fails). With no
// interval, requests are not serialised (colly's LimitRule bounds them).
func (hs *hostState) acquire(ctx context.Context, interval time.Duration) error {
	if interval > 0 {
		select {
		case hs.sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for {
		hs.mu.Lock()
		d := time.Until(hs.next)
		hs.mu.Unlock()
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			if interval > 0 {
				<-hs.sem
			}
			return ctx.Err()
		case <-t.C:
		}
	}
}

// release ends a request's turn: the next may start interval from now.
func (hs *hostState) release(interval time.Duration) {
	if interval <= 0 {
		return
	}
	hs.pushBack(interval)
	<-hs.sem
}

// pushBack delays the host's next request by at least d from now (a
// Retry-After).
func (hs *hostState) pushBack(d time.Duration) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	if t := time.Now().Add(d); t.After(hs.next) {
		hs.next = t
	}
}

// loadRobots reads the host's robots.txt once for its Crawl-delay and
// Sitemap lines. (colly reads it again for the allow rules.) A missing or
// unreadable robots.txt sets neither.
func (hs *hostState) loadRobots(ctx context.Context, c *Crawler) {
	hs.robotsOnce.Do(func() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, hs.scheme+"://"+hs.host+"/robots.txt", nil)
		if err != nil {
			return
		}
		req.Header.Set("User-Agent", c.cfg.UserAgent)
		resp, err := c.client.Do(req)
		if err != nil {
			c.log.Debug("robots.txt", "host", hs.host, "err", err)
			return
		}
		defer resp.Body.Close()
		robots, err := robotstxt.FromResponse(resp)
		if err != nil {
			c.log.Debug("robots.txt", "host", hs.host, "err", err)
			return
		}
		var delay time.Duration
		if g := robots.FindGroup(c.cfg.UserAgent); g != nil {
			delay = g.CrawlDelay
		}
		hs.crawlDelay.Store(int64(delay))
		hs.sitemaps = robots.Sitemaps
		if delay > 0 {
			// Slots reserved before the delay was known were too close.
			hs.pushBack(min(delay, c.cfg.MaxCrawlDelay))
			c.log.Info("robots.txt crawl-delay", "host", hs.host, "delay", delay,
				"honoured", min(delay, c.cfg.MaxCrawlDelay))
		}
	})
}
