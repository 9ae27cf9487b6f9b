package crawl

import "errors"

// ErrConfig reports an invalid Config or sources file.
var ErrConfig = errors.New("crawl: invalid config")

// ErrPrivateAddress reports a host that resolves to a private, loopback,
// link-local or otherwise internal address while Config.AllowPrivate is off.
var ErrPrivateAddress = errors.New("crawl: refusing private or internal address")

// ErrTooLarge reports a response over Config.MaxPageBytes.
var ErrTooLarge = errors.New("crawl: page too large")

// ErrContentType reports a response whose content type is not HTML, XML or
// a feed.
var ErrContentType = errors.New("crawl: unwanted content type")

// ErrTooManyRedirects reports a redirect chain longer than
// Config.MaxRedirects, or a redirect loop.
var ErrTooManyRedirects = errors.New("crawl: too many redirects")

// ErrOffSite reports a redirect to a host outside the source.
var ErrOffSite = errors.New("crawl: redirect leaves the source's hosts")
