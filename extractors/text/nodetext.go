package text

import (
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// blockTags start a new paragraph in the text of an extracted tree.
var blockTags = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "main": true, "header": true, "footer": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "head": true,
	"ul": true, "ol": true, "li": true, "list": true, "item": true, "dl": true, "dt": true, "dd": true,
	"blockquote": true, "quote": true, "pre": true, "code": false, "table": true, "tr": true, "row": true,
	"figure": true, "figcaption": true, "hr": true, "aside": true, "address": true, "details": true,
}

// nodeText renders an extracted tree as text: one paragraph per block
// element, separated by blank lines, and a line break for <br>/<lb>.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.Data {
			case "br", "lb":
				b.WriteString("\n")
				return
			case "script", "style", "noscript", "template":
				return
			}
		}
		block := n.Type == html.ElementNode && blockTags[n.Data]
		if block {
			b.WriteString("\n\n")
		} else if n.Type == html.ElementNode && (n.Data == "td" || n.Data == "th" || n.Data == "cell") {
			b.WriteString(" ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			b.WriteString("\n\n")
		} else if n.Type == html.ElementNode && (n.Data == "td" || n.Data == "th" || n.Data == "cell") {
			b.WriteString(" ")
		}
	}
	walk(n)
	return b.String()
}

var wordRe = regexp.MustCompile(`[\p{L}\p{M}\p{Nd}\p{Pc}]+`)

// sameWords reports whether a and b hold the same word sequence.
func sameWords(a, b string) bool {
	return slices.Equal(wordRe.FindAllString(a, -1), wordRe.FindAllString(b, -1))
}

// structuredText returns the extracted tree's text with paragraph breaks
// when it holds the same words as flat, trafilatura's own text, and flat
// otherwise (so a rendering slip can never glue or lose words).
func structuredText(node *html.Node, flat string) string {
	if node == nil {
		return flat
	}
	s := nodeText(node)
	if !sameWords(s, flat) {
		return flat
	}
	return s
}

// dropLeadingTitle removes paragraphs at the start of text that repeat the
// title: the title is kept in its own field, and the text extractor puts it
// in front of the text again.
func dropLeadingTitle(body, title string) string {
	if title == "" {
		return body
	}
	tw := wordRe.FindAllString(strings.ToLower(title), -1)
	if len(tw) == 0 {
		return body
	}
	for range 2 {
		first, rest, ok := strings.Cut(body, "\n\n")
		if !ok {
			return body
		}
		fw := wordRe.FindAllString(strings.ToLower(first), -1)
		if len(fw) == 0 || !(slices.Equal(fw, tw) || isPrefixWords(tw, fw) && len(fw)*2 >= len(tw)) {
			return body
		}
		body = rest
	}
	return body
}

// isPrefixWords reports whether p is a prefix of s (a site title often
// follows the headline in <title>: "Headline | Site").
func isPrefixWords(s, p []string) bool {
	return len(p) <= len(s) && slices.Equal(s[:len(p)], p)
}
