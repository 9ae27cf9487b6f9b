package crawl

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// hostState is the politeness state of one host (scheme://host:port),
// shared by every round and source of a Crawler.
type hostState struct {
	scheme, host string

	mu   sync.Mutex
	next time.Time // earliest start of the next request

	robotsOnce sync.Once
	crawlDelay time.Duration
	sitemaps   []string
}

func (c *Crawler) host(scheme, host string) *hostState {
	key := scheme + "://" + host
	c.hostsMu.Lock()
	defer c.hostsMu.Unlock()
	hs := c.hosts[key]
	if hs == nil {
		hs = &hostState{scheme: scheme, host: host}
		c.hosts[key] = hs
	}
	return hs
}

// wait blocks until a request to the host may start, keeping interval
// between request starts, and reserves that slot.
func (hs *hostState) wait(ctx context.Context, interval time.Duration) error {
	hs.mu.Lock()
	now := time.Now()
	start := now
	if hs.next.After(start) {
		start = hs.next
	}
	hs.next = start.Add(interval)
	hs.mu.Unlock()
	d := start.Sub(now)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
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
		if g := robots.FindGroup(c.cfg.UserAgent); g != nil {
			hs.crawlDelay = g.CrawlDelay
		}
		hs.sitemaps = robots.Sitemaps
		if hs.crawlDelay > 0 {
			c.log.Info("robots.txt crawl-delay", "host", hs.host, "delay", hs.crawlDelay,
				"honoured", min(hs.crawlDelay, c.cfg.MaxCrawlDelay))
		}
	})
}
