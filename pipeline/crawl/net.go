package crawl

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// cgnat is the shared address space of carrier-grade NAT (RFC 6598).
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// internalAddr reports addresses a crawler must not be pointed at: loopback,
// private, link-local, unspecified, multicast and CGNAT.
func internalAddr(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() || cgnat.Contains(a) ||
		(a.Is4() && a.As4()[0] == 0)
}

// newTransport builds the HTTP transport. Unless allowPrivate, the dialer
// checks the resolved IP of every connection, so neither a hostname that
// resolves to an internal address nor a redirect to one gets through.
func newTransport(cfg Config) *http.Transport {
	d := &net.Dialer{Timeout: cfg.RequestTimeout, KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("%w: %s", ErrPrivateAddress, address)
			}
			if internalAddr(ap.Addr()) {
				return fmt.Errorf("%w: %s", ErrPrivateAddress, ap.Addr())
			}
			return nil
		}
	}
	return &http.Transport{
		Proxy: nil, // a proxy would dial on our behalf and bypass the address check
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: cfg.RequestTimeout,
		ExpectContinueTimeout: time.Second,
	}
}

// politeTransport keeps the crawler's interval for a host (Delay, or a
// longer robots.txt Crawl-delay, or a Retry-After) between the end of one
// request (its response headers) and the start of the next, right where
// requests are sent, so redirects and robots.txt count too. With an
// interval, requests to a host go one at a time.
type politeTransport struct {
	c    *Crawler
	next http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (p *politeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	hs := p.c.host(req.URL.Scheme, req.URL.Host)
	interval := p.c.interval(hs)
	actx := req.Context()
	if stop := p.c.stopContext(); stop != nil && req.Response == nil {
		// A request still waiting for its turn when the crawler stops is
		// not sent: it is handed back to the frontier instead. Redirects
		// (req.Response set) belong to a request already under way, which
		// may finish.
		var cancel context.CancelFunc
		actx, cancel = context.WithCancel(actx)
		defer cancel()
		unhook := context.AfterFunc(stop, cancel)
		defer unhook()
	}
	if err := hs.acquire(actx, interval); err != nil {
		return nil, err
	}
	defer hs.release(interval)
	return p.next.RoundTrip(req)
}
