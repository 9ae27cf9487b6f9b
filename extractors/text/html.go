package text

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/RadhiFadlillah/whatlanggo"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"

	"github.com/newswire/newswire/pipeline/article"
)

// Options describes a fetched page for Extract.
type Options struct {
	// URL is the address the page was fetched from. It is the default
	// canonical URL and gives the Source. Required; "file:NAME" is fine for
	// local files.
	URL string
	// Fetched is when the page was fetched. Default: now.
	Fetched time.Time
	// ContentType is the response's Content-Type header, whose charset
	// parameter wins over the page's own declaration. Default: none.
	ContentType string
}

// FromHTML turns a fetched HTML page into a raw Article; see Extract. The
// charset comes from a byte-order mark or the page's meta charset.
func FromHTML(ctx context.Context, page []byte, pageURL string, fetched time.Time) (*article.Article, error) {
	return Extract(ctx, page, Options{URL: pageURL, Fetched: fetched})
}

// Extract turns a fetched HTML page into a raw Article: main text without
// boilerplate (normalised with Normalize), title, byline, published time
// (from JSON-LD, meta tags, the URL or the text), language, canonical URL
// (rel=canonical or og:url, tracking parameters and fragment dropped), Source,
// ID, HTMLSize, ContentHash and SchemaVersion. Pages in charsets other than
// UTF-8 are decoded first.
//
// It returns ErrEmpty for empty input, ErrBinary for input that is not text,
// ErrMalformed for a page that cannot be decoded or parsed (x/net/html
// refuses elements nested more than 512 deep) and ErrNoText when the page
// holds no main text. Only the page's first MaxPageText bytes of text are
// read. Safe for concurrent use.
func Extract(ctx context.Context, page []byte, o Options) (*article.Article, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if o.URL == "" {
		return nil, fmt.Errorf("text: extract: page URL required")
	}
	pageURL, err := url.Parse(o.URL)
	if err != nil {
		return nil, fmt.Errorf("text: extract: page URL: %w", err)
	}
	if o.Fetched.IsZero() {
		o.Fetched = time.Now()
	}
	utf8Page, _, err := DecodeHTML(page, o.ContentType)
	if err != nil {
		return nil, err
	}
	doc, err := html.Parse(bytes.NewReader(utf8Page))
	if err != nil {
		return nil, fmt.Errorf("%w: parse html: %v", ErrMalformed, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	limitText(doc, MaxPageText)
	head := scanHead(doc)
	opts := trafilatura.Options{
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Fast,
	}
	if pageURL.Scheme == "http" || pageURL.Scheme == "https" {
		opts.OriginalURL = pageURL
	}
	res, err := mainText(doc, opts)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoText, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	title := stripSiteName(Normalize(firstNonEmpty(res.Metadata.Title, head.title)), res.Metadata.Sitename, pageURL, head.canonical, head.ogURL)
	body := Normalize(dropLeadingTitle(Normalize(structuredText(res.ContentNode, res.ContentText)), title))
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// trafilatura worked on a copy of doc, so readability may have it.
	body, _ = combine(body, Normalize(dropLeadingTitle(Normalize(readabilityText(doc, pageURL)), title)))
	if body == "" || body == title {
		// trafilatura's baseline falls back to the title when the body is empty.
		return nil, ErrNoText
	}
	canonical := canonicalFor(pageURL, firstNonEmpty(head.canonical, head.ogURL))
	source := Source(pageURL)
	if pageURL.Host == "" {
		if cu, err := url.Parse(canonical); err == nil && cu.Host != "" {
			source = Source(cu)
		} else {
			source = "file"
		}
	}
	a := &article.Article{
		SchemaVersion: article.SchemaVersion,
		ID:            article.IDFor(canonical),
		URL:           o.URL,
		CanonicalURL:  canonical,
		Source:        source,
		Title:         title,
		Byline:        Normalize(res.Metadata.Author),
		Fetched:       o.Fetched.UTC(),
		Language:      Language(body, firstNonEmpty(head.lang, res.Metadata.Language)),
		Text:          body,
		HTMLSize:      len(page),
		ContentHash:   article.HashText(body),
	}
	if d := publishedTime(res.Metadata.Date, head.published); plausibleDate(d, o.Fetched) {
		p := d.UTC()
		a.Published = &p
	}
	return a, nil
}

// mainText runs trafilatura, turning its panics on odd markup into errors
// so one bad page cannot take a worker down.
func mainText(doc *html.Node, opts trafilatura.Options) (res *trafilatura.ExtractResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("trafilatura panic: %v", r)
		}
	}()
	return trafilatura.ExtractDocument(doc, opts)
}

// publishedTime prefers the page's own full timestamp to the day that
// trafilatura's date finder returns, when the two agree on the day (or the
// finder found none): "2026-10-22T11:35:00Z" rather than midnight.
func publishedTime(found time.Time, declared string) time.Time {
	var t time.Time
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00"} {
		if p, err := time.Parse(layout, strings.TrimSpace(declared)); err == nil {
			t = p
			break
		}
	}
	switch {
	case t.IsZero():
		return found
	case found.IsZero():
		return t
	}
	if diff := t.Sub(found); diff > -36*time.Hour && diff < 36*time.Hour {
		return t
	}
	return found
}

// jsonLDPublished returns the first datePublished in a JSON-LD block.
func jsonLDPublished(src string) string {
	var v any
	if json.Unmarshal([]byte(src), &v) != nil {
		return ""
	}
	var find func(v any, depth int) string
	find = func(v any, depth int) string {
		if depth > 6 {
			return ""
		}
		switch x := v.(type) {
		case map[string]any:
			if s, ok := x["datePublished"].(string); ok && s != "" {
				return s
			}
			if g, ok := x["@graph"]; ok {
				return find(g, depth+1)
			}
		case []any:
			for _, e := range x {
				if s := find(e, depth+1); s != "" {
					return s
				}
			}
		}
		return ""
	}
	return find(v, 0)
}

func plausibleDate(d, fetched time.Time) bool {
	if d.IsZero() || d.Year() < 1990 {
		return false
	}
	return !d.After(fetched.Add(48 * time.Hour))
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// Language returns the ISO 639-1 code of the language text is written in,
// or declared (an HTML lang attribute such as "en-GB") when detection is
// unsure, or "" when neither says.
func Language(text, declared string) string {
	if len(text) > 4000 {
		cut := 4000
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	declared = strings.ToLower(strings.TrimSpace(declared))
	if i := strings.IndexAny(declared, "-_"); i > 0 {
		declared = declared[:i]
	}
	if len(declared) != 2 {
		declared = ""
	}
	if strings.TrimSpace(text) == "" {
		return declared
	}
	info := whatlanggo.Detect(text)
	code := info.Lang.Iso6391()
	if code == "" {
		return declared
	}
	if info.IsReliable() || declared == "" && len(text) >= 200 {
		return code
	}
	if declared != "" {
		return declared
	}
	return ""
}

// headInfo is what the page says about itself in <head>.
type headInfo struct {
	canonical, ogURL, title, lang string
	// published is the first full publication timestamp the head gives
	// (article:published_time, itemprop datePublished, JSON-LD
	// datePublished), unparsed.
	published string
}

// publishedMeta are the meta properties and names that carry the
// publication timestamp.
var publishedMeta = map[string]bool{
	"article:published_time": true, "og:published_time": true, "datepublished": true,
	"pubdate": true, "publishdate": true, "dc.date.issued": true, "sailthru.date": true,
}

func scanHead(doc *html.Node) headInfo {
	var h headInfo
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "html":
				if h.lang == "" {
					h.lang = attr(n, "lang")
				}
			case "link":
				if h.canonical == "" && hasToken(attr(n, "rel"), "canonical") {
					h.canonical = attr(n, "href")
				}
			case "meta":
				if h.ogURL == "" && strings.EqualFold(attr(n, "property"), "og:url") {
					h.ogURL = attr(n, "content")
				}
				if h.published == "" {
					for _, k := range []string{"property", "name", "itemprop"} {
						if publishedMeta[strings.ToLower(attr(n, k))] {
							h.published = attr(n, "content")
							break
						}
					}
				}
			case "script":
				if h.published == "" && strings.EqualFold(attr(n, "type"), "application/ld+json") && n.FirstChild != nil {
					h.published = jsonLDPublished(n.FirstChild.Data)
				}
			case "title":
				if h.title == "" && n.FirstChild != nil {
					h.title = n.FirstChild.Data
				}
			case "body":
				return
			}
		}
		if depth > 4 {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	return h
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// DecodeHTML returns page converted to UTF-8 and the name of the charset it
// was in. The charset is taken from a byte-order mark, then contentType's
// charset parameter, then the page's meta charset; a page that declares
// nothing is UTF-8 when it is valid UTF-8 and Windows-1252 otherwise. A page
// that mislabels itself as a single-byte charset but is valid UTF-8 with
// non-ASCII letters is read as UTF-8. It returns ErrEmpty or ErrBinary for
// input that is not text and ErrMalformed when decoding fails.
func DecodeHTML(page []byte, contentType string) ([]byte, string, error) {
	if len(bytes.TrimSpace(page)) == 0 {
		return nil, "", ErrEmpty
	}
	enc, name, certain := charset.DetermineEncoding(page, contentType)
	utf16 := strings.HasPrefix(name, "utf-16")
	if !utf16 && isBinary(page) {
		return nil, "", ErrBinary
	}
	if !certain && name != "utf-8" && utf8.Valid(page) && !isASCII(string(page)) {
		enc, name = encoding.Nop, "utf-8"
	}
	if name == "utf-8" || (enc == encoding.Nop) {
		page = bytes.TrimPrefix(page, []byte("\xef\xbb\xbf"))
		return []byte(strings.ToValidUTF8(string(page), "\uFFFD")), "utf-8", nil
	}
	if !certain && utf8.Valid(page) && isASCII(string(page)) {
		return page, name, nil
	}
	out, err := enc.NewDecoder().Bytes(page)
	if err != nil {
		return nil, "", fmt.Errorf("%w: decode %s: %v", ErrMalformed, name, err)
	}
	if len(bytes.TrimSpace(out)) == 0 {
		return nil, "", ErrEmpty
	}
	return out, name, nil
}

// isBinary reports content that is not text: NUL bytes, or a sniffed type
// that is neither text nor markup.
func isBinary(b []byte) bool {
	head := b
	if len(head) > 2048 {
		head = head[:2048]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	ct := http.DetectContentType(head)
	return !strings.HasPrefix(ct, "text/") && !strings.Contains(ct, "xml") && !LooksLikeHTML(b)
}

var (
	htmlStart = regexp.MustCompile(`(?is)^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html[\s>]|<head[\s>]|<\?xml[^>]*>\s*(<!doctype\s+html|<html))`)
	htmlTag   = regexp.MustCompile(`(?i)<(html|head|body|div|p|meta|title|article|span|a|br|link|script|section|h[1-6]|ul|li|table)[\s>/]`)
)

// LooksLikeHTML tells HTML from plain text by content: a document that
// starts like HTML (doctype, <html>, <head>), or whose first 4 KiB hold at
// least three common HTML tags.
func LooksLikeHTML(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if len(b) > 4096 {
		b = b[:4096]
	}
	if htmlStart.Match(b) {
		return true
	}
	return len(htmlTag.FindAllIndex(b, 3)) >= 3
}

// stripSiteName removes a trailing " | Site" or " - Site" from a title when
// Site is the page's site name or its host ("Sportsnet.ca").
func stripSiteName(title, sitename string, pageURL *url.URL, more ...string) string {
	names := []string{}
	if sitename != "" {
		names = append(names, sitename)
	}
	hosts := []string{pageURL.Hostname()}
	for _, m := range more {
		if u, err := pageURL.Parse(m); err == nil && u.Host != "" {
			hosts = append(hosts, u.Hostname())
		}
	}
	for _, h := range hosts {
		if h = strings.TrimPrefix(strings.ToLower(h), "www."); h != "" {
			names = append(names, h)
			if i := strings.IndexByte(h, '.'); i > 0 {
				names = append(names, h[:i]) // "sportsnet" of sportsnet.ca
			}
		}
	}
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: ", " · "} {
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		tail := strings.ToLower(strings.TrimSpace(title[i+len(sep):]))
		squashed := strings.ReplaceAll(tail, " ", "")
		for _, n := range names {
			n = strings.ToLower(n)
			if tail == n || squashed == strings.ReplaceAll(n, " ", "") {
				return strings.TrimSpace(title[:i])
			}
		}
	}
	return title
}
