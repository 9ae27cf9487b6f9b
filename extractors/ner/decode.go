package ner

import (
	"strings"
	"unicode/utf8"
)

// scorer adds up the weights of a token's features per label.
type scorer func(feats []uint64, scores *[numLabels]float32)

// decodeOpts says how to decode.
type decodeOpts struct {
	// keep returns every token's full feature vector (for training).
	keep bool
	// majority, if set, gives for a capitalised word the type (0 for none)
	// it was most often given in the document by an earlier pass.
	majority map[string]int
	// cache reuses the scores of static features across passes; only valid
	// while the weights do not change (not in training).
	cache [][][numLabels]float32
	// drop, if set, is asked per token whether to hide its word-identity
	// features (training only: lexical dropout).
	drop func() bool
}

// decode labels every token of d greedily, left to right, keeping BIO valid.
// Document-level memory (the type last given to a capitalised word) carries
// across sentences.
func decode(d *document, score scorer, o decodeOpts) ([][]int, [][][]uint64) {
	labels := make([][]int, len(d.sents))
	var feats [][][]uint64
	if o.keep {
		feats = make([][][]uint64, len(d.sents))
	}
	docPrev := map[string]int{}
	buf := make([]uint64, 0, 64)
	var scores, dyn [numLabels]float32
	for si, s := range d.sents {
		ls := make([]int, len(s.toks))
		if o.keep {
			feats[si] = make([][]uint64, len(s.toks))
		}
		prev, prev2 := 0, 0
		for i := range s.toks {
			// A describing compound ends where the name it describes
			// starts, which is scored as if at the start of a sentence:
			// "Iran-backed | Houthis", "Afghanistan-Pakistan-based |
			// Islamic State".
			hp, hp2 := prev, prev2
			if i > 0 && s.affix[i-1] {
				hp, hp2 = 0, 0
			}
			if o.cache != nil {
				buf = dynamic(buf[:0], s, i, hp, hp2, docPrev, o.majority)
				score(buf, &dyn)
				scores = o.cache[si][i]
				for k := range scores {
					scores[k] += dyn[k]
				}
			} else {
				st := s.static[i]
				if o.drop != nil && o.drop() {
					// The first three static features are bias, word and
					// lower case (see staticFeatures).
					buf = append(buf[:0], st[0])
					buf = append(buf, st[3:]...)
				} else {
					buf = append(buf[:0], st...)
				}
				buf = dynamic(buf, s, i, hp, hp2, docPrev, o.majority)
				score(buf, &scores)
			}
			best := -1
			ok := permitted(s, i, prev)
			for k := 0; k < numLabels; k++ {
				if ok[k] && (best < 0 || scores[k] > scores[best]) {
					best = k
				}
			}
			ls[i] = best
			if o.keep {
				feats[si][i] = append([]uint64(nil), buf...)
			}
			prev2, prev = prev, best
		}
		for i := range s.toks {
			if s.capitals[i] {
				docPrev[s.toks[i].lower] = labelType(ls[i])
			}
		}
		labels[si] = ls
	}
	return labels, feats
}

// permitted reports the labels token i of s may take after the label prev:
// BIO order, and the rules that keep everyday words, symbols and
// neighbouring names out of a name.
func permitted(s *sentence, i, prev int) [numLabels]bool {
	t := &s.toks[i]
	// An ordinal opens a name only when a capitalised word follows ("117th
	// Street"): "88th" alone is a minute of a match, not a name.
	ordinal := isOrdinal(t.lower) && i+1 < len(s.toks) && s.capitals[i+1]
	lowerOnly := t.cap == capLower && !s.allCaps && !ordinal
	// A lower-case word inside a listed name joins it too
	// ("Organization for Security and Co-operation in Europe").
	inListed := strings.HasPrefix(t.gazSpan, "I-")
	connector := lowerOnly && (inListed || isConnector(t.lower) &&
		(t.lower != "on" || i > 0 && takesOn(s.toks[i-1].lower)))
	// Where a name must end before token i, it may only open a new one.
	// - A listed name ends before a connector that is not part of it, and
	//   a listed group or person before a title: "Boca Juniors | of
	//   Argentina", "Real Madrid | and Barcelona", "Commerzbank | Chief
	//   Executive" (but "Milan Prosecutor 's Office").
	// - A nationality ends where a person's given name or an "and" follows
	//   it: "Australian Jessica Hull", "English and French".
	// - A describing compound ends where the name it describes starts:
	//   "Iran-backed | Houthis".
	// - A full stop continues a name only after an initial ("U . S .");
	//   after a word it ends the sentence glued to the next
	//   ("Turkey.France").
	ends := false
	if i > 0 && prev != 0 {
		p := &s.toks[i-1]
		ends = !inListed && p.gazSpan != "" && (connector || s.capitals[i] && !s.allCaps && t.gaz&(1<<gzTitle) != 0 &&
			!strings.HasSuffix(p.gazSpan, "MISC") && !strings.HasSuffix(p.gazSpan, "LOC") && !rankWord(t.lower)) ||
			s.nationality[i-1] && (t.lower == "and" || s.capitals[i] && t.gaz&(1<<gzFirstName) != 0) ||
			s.affix[i-1] ||
			t.word == "." && utf8.RuneCountInString(p.word) > 2
	}
	// A possessive inside a listed name keeps the name open when the name
	// so far has the listed type: "McDonald 's", "People 's Liberation
	// Army" (elsewhere "'s" mostly follows a name and ends it).
	inside := 0
	if inListed && prev != 0 && (t.word == "'s" || t.word == "'S") &&
		strings.Contains(t.gazSpan, labelNames[prev][2:]) {
		inside = prev + prev%2 // the I- label of prev's type
	}
	// "A" and "An" open no name ("A Kenyan court", "An Air France jet").
	article := !s.allCaps && (t.word == "A" || t.word == "An")
	var ok [numLabels]bool
	for k := 0; k < numLabels; k++ {
		begins := k%2 == 1
		switch {
		case !allowed(prev, k):
		case k == 0:
			ok[k] = true
		// A lower-case word is outside any name, except a connector
		// inside one ("Bank of England") and a particle opening a listed
		// one ("al Qaeda").
		case lowerOnly && (!connector || begins) && !(begins && t.gazSpan == labelNames[k]):
		// A token without letters (digits, punctuation) opens no name,
		// and continues one only as a joiner of "AT&T", "St. John 's" or
		// "Apollo 13"; a dash between spaces ends a name ("BRUSSELS -
		// Police").
		case t.cap == capNone && (begins || !innerSymbol(t.word)):
		case begins && article, !begins && ends, inside != 0 && k != inside:
		default:
			ok[k] = true
		}
	}
	return ok
}

// staticScores scores every token's static features once.
func staticScores(d *document, score scorer) [][][numLabels]float32 {
	out := make([][][numLabels]float32, len(d.sents))
	for si, s := range d.sents {
		out[si] = make([][numLabels]float32, len(s.toks))
		for i := range s.toks {
			score(s.static[i], &out[si][i])
		}
	}
	return out
}

// majority returns, for each capitalised word of d, the type it was most
// often given in labels (0 when mostly outside names).
func majority(d *document, labels [][]int) map[string]int {
	counts := map[string]*[5]int{}
	for si, s := range d.sents {
		for i := range s.toks {
			if !s.capitals[i] {
				continue
			}
			c := counts[s.toks[i].lower]
			if c == nil {
				c = &[5]int{}
				counts[s.toks[i].lower] = c
			}
			c[labelType(labels[si][i])]++
		}
	}
	out := make(map[string]int, len(counts))
	for w, c := range counts {
		best := 0
		for t := 1; t < 5; t++ {
			if c[t] > c[best] {
				best = t
			}
		}
		out[w] = best
	}
	return out
}

// isConnector reports lower-case words that may join the parts of a name.
func isConnector(w string) bool {
	switch w {
	case "of", "the", "for", "and", "&", "de", "del", "der", "den", "des", "di", "da", "do", "dos", "du",
		"la", "le", "les", "van", "von", "al", "el", "bin", "ibn", "on", "upon", "y", "e", "'s", "-":
		return true
	}
	return false
}

// takesOn reports the words after which "on" may join a name ("Council on
// Foreign Relations", "Commission on Human Rights"): elsewhere "on" ends a
// name ("Cologne Cathedral on New Year's Eve").
func takesOn(prev string) bool {
	switch prev {
	case "council", "commission", "committee", "conference", "panel", "institute", "center", "centre",
		"forum", "board", "office", "court", "campaign", "coalition", "task", "force", "convention":
		return true
	}
	return false
}

// trimConnectors shrinks a span [start, end) so that it does not end on a
// connector word.
func trimConnectors(toks []token, start, end int) int {
	for end > start+1 {
		t := &toks[end-1]
		if t.lower == "'s" && strings.HasPrefix(t.gazSpan, "I-") {
			break // the end of a listed name: "McDonald 's"
		}
		if (isConnector(t.lower) && t.cap == capLower) || (t.cap == capNone && !hasDigit(t.word)) {
			end--
			continue
		}
		break
	}
	return end
}

// innerSymbol reports tokens without letters that may stand inside a name:
// whole numbers ("Apollo 13"), "&", "'s", "'" and ".". A score, a range or a
// figure with separators ("331-6", "2,000") ends a name.
func innerSymbol(w string) bool {
	switch w {
	case "&", "'s", "'", ".", "'S":
		return true
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

func hasDigit(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= '0' && w[i] <= '9' {
			return true
		}
	}
	return false
}

// isOrdinal reports a number written with its ordinal suffix: "5th",
// "52nd", "101st", "223rd".
func isOrdinal(w string) bool {
	n := 0
	for n < len(w) && w[n] >= '0' && w[n] <= '9' {
		n++
	}
	if n == 0 {
		return false
	}
	switch w[n:] {
	case "st", "nd", "rd", "th":
		return true
	}
	return false
}

// affixOf returns the describing affix a hyphenated word ends in
// ("-backed" of "Iran-backed", "-linked" of "ISIS-linked"), or "".
func affixOf(w string) string {
	for _, a := range affixes {
		if len(w) > len(a) && strings.HasSuffix(w, a) {
			return a
		}
	}
	return ""
}

// rankWord reports title words that also begin names of their own
// ("Premier League", "General Motors", "Major League Baseball").
func rankWord(lower string) bool {
	switch lower {
	case "premier", "general", "major", "private", "vice":
		return true
	}
	return false
}
