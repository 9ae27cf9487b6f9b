package crawl

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// DefaultUserAgent identifies the crawler and says where to learn about it.
const DefaultUserAgent = "newswire/1.0 (+https://github.com/newswire/newswire)"

// Config configures a Crawler. The zero value of each field selects its
// default, filled in by New.
type Config struct {
	// Sources are the sites to crawl. Required.
	Sources []Source
	// UserAgent is sent with every request and matched against robots.txt.
	// It must name a contact URL. Default: DefaultUserAgent.
	UserAgent string
	// AllowPrivate permits loopback, private and link-local addresses
	// (tests, the demo, intranet sites). Default: refused.
	AllowPrivate bool
	// Once makes Run return when nothing is left to fetch, instead of
	// crawling each source again every Source.Recrawl.
	Once bool
	// Parallelism is the number of requests in flight per host when there
	// is no delay to keep (Delay < 0 and no Crawl-delay). Default: 2.
	Parallelism int
	// Delay is the least time between the end of one request to a host and
	// the start of the next; a longer robots.txt Crawl-delay wins, up to
	// MaxCrawlDelay. With a delay, requests to a host go one at a time.
	// Default: 1s; a negative Delay means none.
	Delay time.Duration
	// MaxCrawlDelay caps the Crawl-delay honoured from robots.txt.
	// Default: 30s.
	MaxCrawlDelay time.Duration
	// MaxPageBytes is the largest response body accepted. Default: 10 MiB.
	MaxPageBytes int
	// RequestTimeout bounds one request, body included. Default: 30s.
	RequestTimeout time.Duration
	// MaxRedirects is the longest redirect chain followed. Default: 5.
	MaxRedirects int
	// MaxAttempts is how often a failing URL is tried before it goes to the
	// dead-letter subject. Default: 4.
	MaxAttempts int
	// RetryBase is the first backoff after a failure; it doubles with each
	// attempt. Default: 2s.
	RetryBase time.Duration
	// RetryMax caps the backoff and any Retry-After. Default: 5m.
	RetryMax time.Duration
	// Frontier, when set, makes the crawler one of several workers sharing
	// a crawl through JetStream (see OpenFrontier): URLs are queued there,
	// each fetched by one worker, and pages are fetched with conditional
	// GETs. Default: a private in-memory crawl.
	Frontier *Frontier
	// ShutdownGrace is how long, once Run's context ends, requests already
	// under way may take to finish (and their articles to be published)
	// before they are cut short and handed back to the frontier; requests
	// not yet sent are handed back at once. Only with a Frontier.
	// Default: RequestTimeout.
	ShutdownGrace time.Duration
	// Progress, when set, receives a progress line every second (fetched,
	// published, queued, errors, rate), rewritten in place with "\r" for a
	// terminal, and a final newline. Default: none.
	Progress io.Writer
}

func (c *Config) fill() error {
	if len(c.Sources) == 0 {
		return fmt.Errorf("%w: no sources", ErrConfig)
	}
	for i := range c.Sources {
		if err := c.Sources[i].Validate(); err != nil {
			return err
		}
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if !strings.Contains(c.UserAgent, "http://") && !strings.Contains(c.UserAgent, "https://") && !strings.Contains(c.UserAgent, "@") {
		return fmt.Errorf("%w: user agent %q names no contact URL or address", ErrConfig, c.UserAgent)
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	if c.Parallelism <= 0 {
		c.Parallelism = 2
	}
	def(&c.Delay, time.Second)
	def(&c.MaxCrawlDelay, 30*time.Second)
	def(&c.RequestTimeout, 30*time.Second)
	def(&c.RetryBase, 2*time.Second)
	def(&c.RetryMax, 5*time.Minute)
	def(&c.ShutdownGrace, c.RequestTimeout)
	if c.MaxPageBytes <= 0 {
		c.MaxPageBytes = 10 << 20
	}
	if c.MaxRedirects == 0 {
		c.MaxRedirects = 5
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 4
	}
	if c.Delay < 0 {
		c.Delay = 0
	}
	if c.RequestTimeout < 0 || c.RetryBase < 0 || c.RetryMax < 0 || c.MaxRedirects < 0 {
		return fmt.Errorf("%w: negative duration or count", ErrConfig)
	}
	return nil
}
