package text

import (
	"fmt"
	"net/url"
	"strings"

	readability "github.com/go-shiori/go-readability"
	"golang.org/x/net/html"
)

// The text of a page comes from trafilatura, checked against a second,
// independent extractor (go-readability):
//
//   - When readability found at least twice as many words and holds nearly
//     all of trafilatura's text, trafilatura stopped early (a page split
//     into several containers): readability's text is used.
//   - Otherwise, when readability's text lies within trafilatura's, the
//     paragraphs at the start and end of trafilatura's text that readability
//     did not keep are boilerplate around the article (standfirsts, share
//     bars, related links) and are dropped. Paragraphs in the middle stay.
//
// The thresholds are round numbers chosen from what the two extractors are
// known to do, not fitted to a corpus.
const (
	minSupport    = 0.5 // share of a paragraph's shingles the other text must hold
	containShare  = 0.8 // share of one text's shingles the other must hold to "lie within" it
	missedFactor  = 2.0 // readability this many times longer: trafilatura missed text
	shingleLength = 4
)

// readabilityText runs go-readability on a parsed page, which it may
// modify; "" when it fails.
func readabilityText(doc *html.Node, pageURL *url.URL) (s string) {
	defer func() {
		if recover() != nil {
			s = ""
		}
	}()
	art, err := readability.FromDocument(doc, pageURL)
	if err != nil || art.Node == nil {
		return ""
	}
	return nodeText(art.Node)
}

type shingleSet map[string]int

func shinglesOf(s string) (shingleSet, int) {
	w := wordRe.FindAllString(strings.ToLower(s), -1)
	out := shingleSet{}
	if len(w) == 0 {
		return out, 0
	}
	if len(w) < shingleLength {
		out[strings.Join(w, " ")]++
		return out, 1
	}
	n := 0
	for i := 0; i+shingleLength <= len(w); i++ {
		out[strings.Join(w[i:i+shingleLength], " ")]++
		n++
	}
	return out, n
}

// share is the fraction of a's shingles found in b.
func share(a shingleSet, na int, b shingleSet) float64 {
	if na == 0 {
		return 0
	}
	hit := 0
	for k, c := range a {
		hit += min(c, b[k])
	}
	return float64(hit) / float64(na)
}

// combine picks and trims the article text from trafilatura's text (traf)
// and readability's (read), both already normalised with paragraphs
// separated by blank lines.
func combine(traf, read string) (string, string) {
	if strings.TrimSpace(read) == "" {
		return traf, "trafilatura"
	}
	if strings.TrimSpace(traf) == "" {
		return read, "readability"
	}
	ts, tn := shinglesOf(traf)
	rs, rn := shinglesOf(read)
	if float64(rn) >= missedFactor*float64(tn) && share(ts, tn, rs) >= containShare && !repeatsBlocks(read) {
		return read, "readability"
	}
	if share(rs, rn, ts) < containShare {
		return traf, "trafilatura"
	}
	paras := strings.Split(traf, "\n\n")
	if len(paras) == 1 && float64(tn) >= 3*missedFactor*float64(rn) {
		// One unbroken block many times longer than readability's article:
		// trafilatura fell back to the text of the whole page.
		return read, "readability"
	}
	supported := func(p string) bool {
		ps, pn := shinglesOf(p)
		return pn == 0 || share(ps, pn, rs) >= minSupport
	}
	start, end := 0, len(paras)
	for start < end && !supported(paras[start]) {
		start++
	}
	for end > start && !supported(paras[end-1]) {
		end--
	}
	if start == end {
		return traf, "trafilatura"
	}
	if start == 0 && end == len(paras) {
		return traf, "trafilatura"
	}
	return strings.Join(paras[start:end], "\n\n"), fmt.Sprintf("trafilatura trimmed %d+%d", start, len(paras)-end)
}

// repeatsBlocks reports text that repeats a short paragraph three times or
// more ("Share Tweet Email" under every teaser): a listing of several
// items, not one article.
func repeatsBlocks(s string) bool {
	seen := map[string]int{}
	for _, p := range strings.Split(s, "\n\n") {
		w := wordRe.FindAllString(strings.ToLower(p), -1)
		if len(w) == 0 || len(w) > 8 {
			continue
		}
		k := strings.Join(w, " ")
		seen[k]++
		if seen[k] >= 3 {
			return true
		}
	}
	return false
}
