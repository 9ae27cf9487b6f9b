package text

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzSeeds are small pages of our own writing that exercise the odd corners
// of real HTML. More seeds, and every crasher the fuzzers found, are in
// testdata/fuzz/<FuzzName>.
var fuzzSeeds = []struct{ page, contentType string }{
	{"<html><head><title>Ferry resumes</title></head><body><article><p>The ferry left the harbour at noon on Tuesday with forty passengers aboard.</p><p>It returned in the evening.</p></article></body></html>", "text/html"},
	{"<p>unclosed <b>bold <i>italic <table><tr><td>cell<td>cell 2<tr><td>row 2", ""},
	{"<iframe><iframe><iframe src=x><p>inside</p></iframe></iframe></iframe><p>The council met on Monday.</p>", ""},
	{"<script>document.write('<p>not text</p>')</script><style>p{}</style><p>Fishermen in the bay counted their catch.</p>", ""},
	{"<meta charset=\"windows-1252\"><p>Caf\xe9 owners on the quay said the storm \x93was the worst\x94 in years.</p>", ""},
	{"<meta charset=\"utf-8\"><p>Caf\xe9 mislabelled as UTF-8 \xff\xfe bytes</p>", ""},
	{"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><p>Se\xf1or L\xf3pez visited the pier.</p>", "text/html; charset=latin1"},
	{"<meta charset=\"no-such-charset\"><p>Declared an unknown charset.</p>", "text/html; charset=bogus"},
	{"<p>NUL\x00byte inside the text of the page</p>", ""},
	{"<div title=\"" + strings.Repeat("A", 1<<16) + "\"><p>An enormous attribute value.</p></div>", ""},
	{strings.Repeat("<div>", 2000) + "<p>Deep inside two thousand divs, a sentence.</p>" + strings.Repeat("</div>", 10), ""},
	{"\xef\xbb\xbf<!doctype html><html lang=en><p>Byte-order mark first.</p>", ""},
	{"\xff\xfe<\x00p\x00>\x00U\x00T\x00F\x00-\x001\x006\x00<\x00/\x00p\x00>\x00", ""},
	{"<html><head><script type=\"application/ld+json\">{\"@graph\":[[[[[[[[{\"datePublished\":\"2024-01-01\"}]]]]]]]]}</script></head><body><p>JSON-LD nested deeply.</p></body></html>", ""},
	{"<link rel=canonical href=\"http://[::1\"><meta property=og:url content=\"%zz\"><p>Broken canonical URLs.</p>", ""},
	{"<p>&#xFDFA; &#0; &#xD800; &amp &lt;&gt; &unknown; entities</p>", ""},
	{"", ""},
	{"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"},
}

// maxExpansion bounds how much longer the text can be than the page: a
// single-byte charset becomes up to 3 bytes of UTF-8 per byte, and NFKC
// expands one character by at most 11 times its bytes (U+FDFA).
const maxExpansion = 12

// FuzzExtract feeds arbitrary bytes and Content-Type headers to Extract. It
// must not panic; it returns either an article whose strings are valid UTF-8
// and whose text is bounded by the page's size, or one of the package's
// errors.
func FuzzExtract(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s.page), s.contentType)
	}
	fetched := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, page []byte, contentType string) {
		a, err := Extract(context.Background(), page, Options{URL: "https://fuzz.example/news/1", Fetched: fetched, ContentType: contentType})
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrBinary) && !errors.Is(err, ErrNoText) && !errors.Is(err, ErrMalformed) {
				t.Fatalf("untyped error: %v", err)
			}
			if a != nil {
				t.Fatal("an article and an error")
			}
			return
		}
		for name, s := range map[string]string{"title": a.Title, "text": a.Text, "byline": a.Byline, "language": a.Language, "canonical": a.CanonicalURL, "source": a.Source} {
			if !utf8.ValidString(s) {
				t.Fatalf("%s is not valid UTF-8: %q", name, s)
			}
		}
		if a.Text == "" {
			t.Fatal("empty text without ErrNoText")
		}
		if n := len(a.Text) + len(a.Title) + len(a.Byline); n > maxExpansion*len(page) {
			t.Fatalf("output of %d bytes from a page of %d", n, len(page))
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("invalid article: %v", err)
		}
	})
}

// FuzzDecodeHTML checks the charset decoding alone, which is much faster
// than Extract and so explores more inputs: valid UTF-8 out, or a typed
// error.
func FuzzDecodeHTML(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s.page), s.contentType)
	}
	f.Fuzz(func(t *testing.T, page []byte, contentType string) {
		out, name, err := DecodeHTML(page, contentType)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrBinary) && !errors.Is(err, ErrMalformed) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if !utf8.Valid(out) {
			t.Fatalf("%s decoding gave invalid UTF-8", name)
		}
		if len(out) > 3*len(page)+3 {
			t.Fatalf("decoded %d bytes from %d", len(out), len(page))
		}
	})
}

// FuzzNormalize checks that Normalize returns valid UTF-8, bounded in size,
// and is idempotent.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"ﬁve\u00a0men", "ter\u00adror\u200bism", "The pоlice", "\xff\xfe", "\uFDFA", "a\r\n\r\n\r\nb", "Cafe\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		if len(n) > maxExpansion*len(s) {
			t.Fatalf("normalised %d bytes to %d", len(s), len(n))
		}
		if again := Normalize(n); again != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, again)
		}
	})
}
