package events

import (
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/extractors/dates"
)

// sent is one sentence as the event parts see it: text and tokens with
// offsets into the Document text.
type sent struct {
	idx        int
	start, end int
	text       string
	toks       []tok
	// paraStart is true when a line break comes before the sentence.
	paraStart bool
	// ds caches the sentence's date expressions once datesDone.
	ds        []dates.Date
	datesDone bool
}

// datesOf returns the date expressions of the sentence, found once.
func (s *sent) datesOf(pub *time.Time) []dates.Date {
	if !s.datesDone {
		s.ds, s.datesDone = dates.Find(s.text, pub), true
	}
	return s.ds
}

type tok struct {
	text, lower, tag string
	start, end       int
}

// sentencesOf returns the Document's sentences, or, when the nlp extractor
// did not run, a plain split of its text into sentences and untagged tokens.
func sentencesOf(d *extractors.Document) []sent {
	if len(d.Sentences) > 0 {
		out := make([]sent, 0, len(d.Sentences))
		last := 0
		for _, s := range d.Sentences {
			if s.Start < last || s.End > len(d.Text) || s.Start >= s.End {
				continue // out of order or out of range: skip, keep the rest
			}
			last = s.End
			st := sent{idx: len(out), start: s.Start, end: s.End, text: d.Text[s.Start:s.End]}
			st.toks = make([]tok, 0, len(s.Tokens))
			for _, t := range s.Tokens {
				if t.Start < s.Start || t.End > s.End || t.Start >= t.End {
					continue
				}
				st.toks = append(st.toks, tok{text: t.Text, lower: strings.ToLower(t.Text), tag: t.Tag, start: t.Start, end: t.End})
			}
			out = append(out, st)
		}
		markParagraphs(d.Text, out)
		return out
	}
	out := splitSentences(d.Text)
	markParagraphs(d.Text, out)
	return out
}

func markParagraphs(text string, ss []sent) {
	for i := 1; i < len(ss); i++ {
		if a, b := ss[i-1].end, ss[i].start; a <= b && strings.Contains(text[a:b], "\n") {
			ss[i].paraStart = true
		}
	}
}

var sentenceEnd = regexp.MustCompile(`[.!?]["”’)]*\s+|\n\s*\n|\n`)

// splitSentences is the fallback sentence splitter: sentence-final
// punctuation followed by space, and line breaks.
func splitSentences(text string) []sent {
	var out []sent
	start := 0
	add := func(s, e int) {
		for s < e && unicode.IsSpace(rune(text[s])) {
			s++
		}
		for e > s && unicode.IsSpace(rune(text[e-1])) {
			e--
		}
		if s < e {
			out = append(out, sent{idx: len(out), start: s, end: e, text: text[s:e], toks: tokenize(text, s, e)})
		}
	}
	for _, m := range sentenceEnd.FindAllStringIndex(text, -1) {
		// Do not split after common abbreviations and initials.
		if text[m[0]] == '.' {
			w := lastWord(text[start:m[0]])
			if len(w) == 1 || abbrev(w) {
				continue
			}
		}
		add(start, m[1])
		start = m[1]
	}
	add(start, len(text))
	return out
}

func lastWord(s string) string {
	i := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	return s[i+1:]
}

func abbrev(w string) bool {
	switch strings.ToLower(w) {
	case "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "u.s", "vs", "gov", "rep", "sen", "capt", "prof":
		return true
	}
	return false
}

var wordRe = regexp.MustCompile(`[\p{L}\p{N}]+(?:[-'’.,][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]`)

// tokenize splits text[s:e] into untagged tokens.
func tokenize(text string, s, e int) []tok {
	var out []tok
	for _, m := range wordRe.FindAllStringIndex(text[s:e], -1) {
		w := text[s+m[0] : s+m[1]]
		out = append(out, tok{text: w, lower: strings.ToLower(w), start: s + m[0], end: s + m[1]})
	}
	return out
}

// isVerb, isNoun and friends read Penn Treebank tags; an empty tag (no
// tagger) passes every test, so the rules degrade to word lists.
func isVerb(t tok) bool   { return t.tag == "" || strings.HasPrefix(t.tag, "VB") }
func isNoun(t tok) bool   { return t.tag == "" || strings.HasPrefix(t.tag, "NN") }
func isPast(t tok) bool   { return t.tag == "VBD" || t.tag == "VBN" }
func isPlural(t tok) bool { return t.tag == "NNS" || (t.tag == "" && strings.HasSuffix(t.lower, "s")) }
