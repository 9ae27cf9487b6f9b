package text

import (
	"unicode/utf8"

	"golang.org/x/net/html"
)

// MaxPageText is the most text Extract takes from one page: 256 KiB, some
// 40,000 words, more than the longest long-form features. A page holding
// more (a whole archive on one page, or a generated flood) is cut at that
// much text, in document order, before the main text is extracted. The
// extraction library's time and garbage grow with the square of the text:
// without the cut a 10 MB page of paragraphs took four and a half minutes;
// with it, under a second (BenchmarkExtractLargePage).
const MaxPageText = 256 << 10

// limitText removes from doc everything after its first max bytes of text
// (text outside script, style and template elements), cutting the text node
// that crosses the limit at a UTF-8 boundary. It reports whether it cut.
func limitText(doc *html.Node, max int) bool {
	total := 0
	var cut *html.Node
	// Iterative walk in document order; x/net/html bounds the depth.
	for n := doc; n != nil && cut == nil; {
		if n.Type == html.TextNode {
			if total+len(n.Data) > max {
				n.Data = truncateText(n.Data, max-total)
				cut = n
				break
			}
			total += len(n.Data)
		}
		skip := n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style" || n.Data == "template")
		if n.FirstChild != nil && !skip {
			n = n.FirstChild
			continue
		}
		for n != nil && n.NextSibling == nil {
			n = n.Parent
		}
		if n != nil {
			n = n.NextSibling
		}
	}
	if cut == nil {
		return false
	}
	// Drop everything after cut: its following siblings and those of each
	// of its ancestors.
	for c := cut; c.Parent != nil; c = c.Parent {
		for s := c.NextSibling; s != nil; {
			next := s.NextSibling
			c.Parent.RemoveChild(s)
			s = next
		}
	}
	return true
}

// truncateText returns at most n bytes of s, cut at a rune boundary.
func truncateText(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
