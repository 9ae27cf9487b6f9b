package nlp

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokenization follows prose's iterTokenizer (split at white space, then peel
// leading "$ ( \" [" and trailing punctuation one character at a time (and a
// trailing slash, which prose keeps: "News/ The"), and
// split clitics such as 's and n't) but keeps byte offsets.

var (
	internalRE     = regexp.MustCompile(`^(?:[A-Za-z]\.){2,}$|^[A-Z][a-z]{1,2}\.$`)
	tokenSuffixes  = []string{",", ")", `"`, "]", "!", ";", ".", "?", ":", "'", "/"}
	tokenPrefixes  = []string{"$", "(", `"`, "["}
	clitics        = []string{"'ll", "'s", "'re", "'m"}
	negativeClitic = []string{"n't"}
)

// span is a [start, end) byte range.
type span struct{ start, end int }

// tokenSpans splits s (one sentence) into token spans. Offsets index s.
func tokenSpans(s string) []span {
	clean, offs := sanitize(s)
	var out []span
	start := -1
	for i, r := range clean {
		if unicode.IsSpace(r) {
			if start >= 0 {
				out = splitGlued(clean, start, i, out)
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = splitGlued(clean, start, len(clean), out)
	}
	// prose keeps "Xx." and "Xxx." whole as abbreviations (Mr., Gen.); at
	// the end of a sentence such a word is more often a word and a full
	// stop ("the Study of War."), so split it there.
	if n := len(out); n > 0 {
		last := clean[out[n-1].start:out[n-1].end]
		if shortAbbrevRE.MatchString(last) && !knownAbbrev[last] {
			out = append(out[:n-1], span{out[n-1].start, out[n-1].end - 1}, span{out[n-1].end - 1, out[n-1].end})
		}
	}
	for i := range out {
		out[i] = span{offs[out[i].start], offs[out[i].end]}
	}
	return out
}

var shortAbbrevRE = regexp.MustCompile(`^[A-Z][a-z]{1,2}\.$`)

// knownAbbrev lists abbreviations that stay whole even at the end of a
// sentence.
var knownAbbrev = map[string]bool{
	"Co.": true, "Jr.": true, "Sr.": true, "Inc.": true, "Ltd.": true, "Bros.": true, "Corp.": true,
}

// splitGlued splits two sentences glued by a full stop or an ellipsis without
// a space ("Turkey.France", "attack.The", "said...All"), which scraped text
// often has, then splits each part as prose would. A full stop splits only
// after a word of three letters or more ending in a lower-case letter and
// before a capital and a lower-case letter: abbreviations ("U.S.Army"),
// decimals and domain names stay whole.
func splitGlued(clean string, start, end int, out []span) []span {
	w := clean[start:end]
	// An ellipsis between two words ("structures...All") is a token of
	// its own.
	for _, e := range []string{"...", "\u2026"} {
		if i := strings.Index(w, e); i > 0 && i+len(e) < len(w) && isLetterASCII(w[i-1]) && isLetterASCII(w[i+len(e)]) {
			out = splitWord(clean, start, start+i, out)
			out = append(out, span{start + i, start + i + len(e)})
			return splitGlued(clean, start+i+len(e), end, out)
		}
	}
	if dot := strings.IndexByte(w, '.'); dot >= 3 && dot+2 < len(w) && gluedLeft(w[:dot]) &&
		isUpperASCII(w[dot+1]) && isLowerASCII(w[dot+2]) {
		out = splitWord(clean, start, start+dot, out)
		out = append(out, span{start + dot, start + dot + 1})
		return splitWord(clean, start+dot+1, end, out)
	}
	return splitWord(clean, start, end, out)
}

func gluedLeft(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !isUpperASCII(c) && !isLowerASCII(c) {
			return false
		}
	}
	return isLowerASCII(w[len(w)-1])
}

func isUpperASCII(c byte) bool  { return c >= 'A' && c <= 'Z' }
func isLetterASCII(c byte) bool { return isUpperASCII(c) || isLowerASCII(c) }
func isLowerASCII(c byte) bool  { return c >= 'a' && c <= 'z' }

// splitWord mirrors prose's doSplit on clean[start:end].
func splitWord(clean string, start, end int, out []span) []span {
	var suffs []span
	last := 0
	for start < end && utf8.RuneCountInString(clean[start:end]) != last {
		tok := clean[start:end]
		if internalRE.MatchString(tok) {
			out = append(out, span{start, end})
			start = end
			break
		}
		last = utf8.RuneCountInString(tok)
		lower := strings.ToLower(tok)
		if hasAnyPrefix(tok, tokenPrefixes) {
			out = append(out, span{start, start + 1})
			start++
		} else if idx := hasAnyIndex(lower, clitics); idx > 0 {
			out = append(out, span{start, start + idx})
			start += idx
		} else if idx := hasAnyIndex(lower, negativeClitic); idx > 0 {
			out = append(out, span{start, start + idx})
			start += idx
		} else if hasAnySuffix(tok, tokenSuffixes) {
			suffs = append(suffs, span{end - 1, end})
			end--
		} else {
			out = append(out, span{start, end})
			start = end
		}
	}
	for i := len(suffs) - 1; i >= 0; i-- {
		out = append(out, suffs[i])
	}
	return out
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if len(s) > len(p) && strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func hasAnySuffix(s string, suffixes []string) bool {
	for _, p := range suffixes {
		if len(s) > len(p) && strings.HasSuffix(s, p) {
			return true
		}
	}
	return false
}

func hasAnyIndex(s string, subs []string) int {
	for _, p := range subs {
		if idx := strings.Index(s, p); idx >= 0 && len(s) > len(p) {
			return idx
		}
	}
	return -1
}
