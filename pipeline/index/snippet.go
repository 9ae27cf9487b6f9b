package index

import (
	"html"
	"strings"
)

// Snippet markers: a highlighted match is between MarkOpen and MarkClose.
const (
	MarkOpen  = "<mark>"
	MarkClose = "</mark>"
)

// CleanSnippet returns a highlighter's fragment in the one form both
// backends return: the text HTML-escaped (as html.EscapeString does: &, <,
// >, ' and ") with matches inside literal <mark></mark> tags, so the
// fragment is safe to put into a page as HTML. It accepts text that is
// already escaped in any way a highlighter escapes it (Bleve escapes with
// Go's html.EscapeString, Elasticsearch's html encoder like Lucene, with
// &#x27; and &#x2F;) or not escaped at all, so escaping is never doubled.
// Marks are balanced: an unclosed <mark> is closed at the end, a stray
// </mark> is dropped.
func CleanSnippet(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	open := false
	for s != "" {
		i := strings.Index(s, "<")
		for i >= 0 && !strings.HasPrefix(s[i:], MarkOpen) && !strings.HasPrefix(s[i:], MarkClose) {
			j := strings.Index(s[i+1:], "<")
			if j < 0 {
				i = -1
				break
			}
			i += 1 + j
		}
		if i < 0 {
			b.WriteString(html.EscapeString(html.UnescapeString(s)))
			break
		}
		b.WriteString(html.EscapeString(html.UnescapeString(s[:i])))
		s = s[i:]
		switch {
		case strings.HasPrefix(s, MarkOpen):
			if !open {
				b.WriteString(MarkOpen)
				open = true
			}
			s = s[len(MarkOpen):]
		default:
			if open {
				b.WriteString(MarkClose)
				open = false
			}
			s = s[len(MarkClose):]
		}
	}
	if open {
		b.WriteString(MarkClose)
	}
	return b.String()
}

// CleanSnippets applies CleanSnippet to each fragment, in place, and
// returns the slice.
func CleanSnippets(ss []string) []string {
	for i, s := range ss {
		ss[i] = CleanSnippet(s)
	}
	return ss
}
