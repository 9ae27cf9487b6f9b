package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Feature templates. Each feature is a 64-bit FNV-1a hash of its template
// byte and its values, so feature extraction allocates nothing per token.
const (
	fBias byte = iota + 1
	fWord
	fLower
	fShape
	fCapFirst
	fPrefix
	fSuffix
	fPOS
	fPOSPrev
	fPOSNext
	fPOSBigramL
	fPOSBigramR
	fLowerPrev
	fLowerNext
	fLowerPrev2
	fLowerNext2
	fShapeL
	fShapeR
	fGaz
	fGazPrev
	fGazNext
	fGazSpan
	fGazSpanPrev
	fGazSpanNext
	fDocLower
	fDocCapMid
	fAllCaps
	fAllCapsGaz
	fLabelPrev
	fLabelPrev2
	fLabelPrevWord
	fLabelPrevShape
	fDocPrevLabel
	fDocPrevLabelShape
	fLowerPrevWord
	fWordNextLower
	fHyphenParts
	fLen
	fDocMajority
	fDocMajorityPrev
	fHyphenGaz
	fGazSet
	fGazSetNext
	fTitleCase
	fTitleCaseCommon
	fTitleCaseGaz
	fTableRow
	fTableRowGaz
	fTableRowNext
)

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashStart(tpl byte) uint64 { return (fnvOffset ^ uint64(tpl)) * fnvPrime }

func hashStr(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return (h ^ 0xff) * fnvPrime
}

func hashByte(h uint64, b byte) uint64 { return (h ^ uint64(b)) * fnvPrime }

func f1(tpl byte, a string) uint64 { return hashStr(hashStart(tpl), a) }

func f2(tpl byte, a, b string) uint64 { return hashStr(hashStr(hashStart(tpl), a), b) }

// Capitalisation classes.
const (
	capNone  byte = iota // no letters
	capLower             // all lower case
	capTitle             // first letter upper, rest lower or mixed
	capUpper             // all letters upper (two or more)
	capMixed             // lower first, upper later (iPhone)
)

func capClass(w string) byte {
	upper, lower, letters := 0, 0, 0
	first := true
	firstUpper := false
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
				if first {
					firstUpper = true
				}
			} else {
				lower++
			}
			first = false
		}
	}
	switch {
	case letters == 0:
		return capNone
	case upper == letters && letters >= 2:
		return capUpper
	case firstUpper:
		return capTitle
	case upper == 0:
		return capLower
	default:
		return capMixed
	}
}

// shape collapses a word to X (upper), x (lower), d (digit) and punctuation,
// with runs shortened to one character.
func shape(w string) string {
	var b strings.Builder
	var last rune = -1
	n := 0
	for _, r := range w {
		var c rune
		switch {
		case unicode.IsUpper(r):
			c = 'X'
		case unicode.IsLetter(r):
			c = 'x'
		case unicode.IsDigit(r):
			c = 'd'
		default:
			c = r
		}
		if c != last {
			b.WriteRune(c)
			n++
			last = c
		}
		if n >= 8 {
			break
		}
	}
	return b.String()
}

// token is what the tagger knows about one token before decoding.
type token struct {
	word, lower, shape, pos string
	cap                     byte
	gaz                     uint16 // gazetteer flags
	gazSpan                 string // "B-LOC", "I-ORG"... from the multi-word gazetteer
}

// sentence is one sentence prepared for decoding.
type sentence struct {
	toks    []token
	allCaps bool
	// titleCase is a headline in Title Case: everyday words capitalised
	// ("Gunman Kills Two at Bloomington Store"), where a capital says
	// little about a name.
	titleCase bool
	// tableRow is a line of results or standings, mostly figures ("Lazio 2
	// Napoli 2", "Bayern 12 9 2 1 30 9 29"), where a place's name is
	// usually a team's.
	tableRow bool
	static   [][]uint64
	capitals []bool // token may be a name: capitalised or in an all-caps sentence
	// nationality marks capitalised words listed only as a nationality or
	// a people ("Australian", "Yazidis").
	nationality []bool
	// affix marks words ending in a describing affix ("Iran-backed").
	affix []bool
}

// document is the unit of decoding: document-level features look across its
// sentences.
type document struct {
	sents []*sentence
}

// prepare builds the tokens, the document-level facts and the static features
// of a document given words and POS tags per sentence.
func (g *gazetteer) prepare(words, tags [][]string) *document {
	d := &document{sents: make([]*sentence, len(words))}
	lowerSeen := map[string]bool{}
	capMid := map[string]bool{}
	for si, ws := range words {
		s := &sentence{toks: make([]token, len(ws)), capitals: make([]bool, len(ws)),
			nationality: make([]bool, len(ws)), affix: make([]bool, len(ws))}
		upper, cased := 0, 0
		for i, w := range ws {
			t := &s.toks[i]
			t.word = w
			t.lower = strings.ToLower(w)
			t.shape = shape(w)
			t.cap = capClass(w)
			if tags != nil && si < len(tags) && i < len(tags[si]) {
				t.pos = tags[si][i]
			}
			t.gaz = g.flags(t.lower)
			if t.cap == capUpper {
				upper++
			}
			if t.cap != capNone {
				cased++
			}
		}
		s.allCaps = cased >= 3 && upper*10 >= cased*8
		s.titleCase = !s.allCaps && isTitleCase(s.toks)
		s.tableRow = isTableRow(s.toks)
		for i := range s.toks {
			t := &s.toks[i]
			s.capitals[i] = t.cap == capTitle || t.cap == capUpper || t.cap == capMixed
			s.nationality[i] = s.capitals[i] && g.nationality(t.lower)
			s.affix[i] = affixOf(t.lower) != ""
			if s.allCaps || s.titleCase {
				continue
			}
			if t.cap == capLower {
				lowerSeen[t.lower] = true
			} else if t.cap == capTitle && i > 0 && !isOpener(s.toks[i-1].word) {
				capMid[t.lower] = true
			}
		}
		g.markSpans(s)
		d.sents[si] = s
	}
	for _, s := range d.sents {
		s.static = make([][]uint64, len(s.toks))
		for i := range s.toks {
			s.static[i] = staticFeatures(s, i, lowerSeen, capMid, g.flags)
		}
	}
	return d
}

// isTableRow reports a line of at least two tokens of which 30% or more are
// figures.
func isTableRow(toks []token) bool {
	figures := 0
	for i := range toks {
		if toks[i].cap == capNone && hasDigit(toks[i].word) {
			figures++
		}
	}
	return len(toks) >= 2 && figures*10 >= len(toks)*3
}

// isTitleCase reports a sentence whose everyday words of four letters or more
// are mostly capitalised, at least two of them after the first word: a
// headline in Title Case.
func isTitleCase(toks []token) bool {
	common, capped := 0, 0
	for i := range toks {
		t := &toks[i]
		if t.gaz&(1<<gzCommon) == 0 || len(t.lower) < 4 {
			continue
		}
		common++
		if i > 0 && t.cap == capTitle {
			capped++
		}
	}
	return capped >= 2 && capped*10 >= common*7
}

// isOpener reports tokens after which a capital letter says nothing (quotes,
// colons, dashes, brackets).
func isOpener(w string) bool {
	switch w {
	case `"`, "'", "``", ":", "-", "--", "(", "[", "\u201c", "\u2018", "\u2014", "\u2013":
		return true
	}
	return false
}

var boundary = token{word: "<S>", lower: "<s>", shape: "<S>", pos: "<S>"}

func at(s *sentence, i int) *token {
	if i < 0 || i >= len(s.toks) {
		return &boundary
	}
	return &s.toks[i]
}

func staticFeatures(s *sentence, i int, lowerSeen, capMid map[string]bool, gazOf func(string) uint16) []uint64 {
	t := &s.toks[i]
	p, n := at(s, i-1), at(s, i+1)
	p2, n2 := at(s, i-2), at(s, i+2)
	fs := make([]uint64, 0, 48)
	first := "0"
	if i == 0 || isOpener(p.word) {
		first = "1"
	}
	capS := string(rune('0' + t.cap))
	fs = append(fs,
		hashStart(fBias),
		f1(fWord, t.word),
		f1(fLower, t.lower),
		f1(fShape, t.shape),
		f2(fCapFirst, capS, first),
		f1(fPOS, t.pos),
		f1(fPOSPrev, p.pos),
		f1(fPOSNext, n.pos),
		f2(fPOSBigramL, p.pos, t.pos),
		f2(fPOSBigramR, t.pos, n.pos),
		f1(fLowerPrev, p.lower),
		f1(fLowerNext, n.lower),
		f1(fLowerPrev2, p2.lower),
		f1(fLowerNext2, n2.lower),
		f2(fShapeL, p.shape, t.shape),
		f2(fShapeR, t.shape, n.shape),
		f2(fLowerPrevWord, p.lower, t.lower),
		f2(fWordNextLower, t.lower, n.lower),
	)
	nr := utf8.RuneCountInString(t.lower)
	if nr > 1 {
		runes := []rune(t.lower)
		for k := 1; k <= 4 && k < nr; k++ {
			fs = append(fs,
				hashByte(f1(fPrefix, string(runes[:k])), byte(k)),
				hashByte(f1(fSuffix, string(runes[nr-k:])), byte(k)))
		}
	}
	fs = append(fs, hashByte(hashStart(fLen), byte(min(nr, 12))))
	for b := 0; b < 16; b++ {
		if t.gaz&(1<<b) != 0 {
			fs = append(fs, hashByte(hashByte(hashStart(fGaz), byte(b)), t.cap))
		}
		if p.gaz&(1<<b) != 0 {
			fs = append(fs, hashByte(hashStart(fGazPrev), byte(b)))
		}
		if n.gaz&(1<<b) != 0 {
			fs = append(fs, hashByte(hashStart(fGazNext), byte(b)))
		}
	}
	if t.gaz != 0 {
		// The whole set of lists the word is in, so that a word that is
		// both a city and part of an organisation's name is its own case,
		// alone and with the shape of the next word ("Leeds 2").
		set := hashByte(hashByte(hashByte(hashStart(fGazSet), byte(t.gaz)), byte(t.gaz>>8)), t.cap)
		fs = append(fs, set, hashStr(hashByte(set, fGazSetNext), n.shape))
	}
	if t.gazSpan != "" {
		fs = append(fs, f1(fGazSpan, t.gazSpan))
	}
	if p.gazSpan != "" {
		fs = append(fs, f1(fGazSpanPrev, p.gazSpan))
	}
	if n.gazSpan != "" {
		fs = append(fs, f1(fGazSpanNext, n.gazSpan))
	}
	if s.capitals[i] {
		if lowerSeen[t.lower] {
			fs = append(fs, hashStart(fDocLower))
		}
		if capMid[t.lower] {
			fs = append(fs, f1(fDocCapMid, first))
		}
	}
	if s.allCaps {
		fs = append(fs, hashStart(fAllCaps), f1(fAllCapsGaz, t.gazSpan))
	}
	if s.titleCase {
		fs = append(fs, hashStart(fTitleCase),
			hashByte(hashByte(hashStart(fTitleCaseCommon), byte(t.gaz>>gzCommon&1)), t.cap),
			f1(fTitleCaseGaz, t.gazSpan))
	}
	if s.tableRow && t.cap != capNone {
		fs = append(fs, hashByte(hashStart(fTableRow), t.cap),
			hashByte(hashByte(hashByte(hashStart(fTableRowGaz), byte(t.gaz)), byte(t.gaz>>8)), t.cap),
			f2(fTableRowNext, p.shape, n.shape))
	}
	if strings.IndexByte(t.word, '-') > 0 && t.cap != capLower {
		parts := strings.Split(t.lower, "-")
		fs = append(fs, f1(fHyphenParts, parts[0]), f1(fHyphenParts, parts[len(parts)-1]))
		// Gazetteer evidence of the parts: "ISIS-Khorasan", "Franco-German".
		for pi, part := range []string{parts[0], parts[len(parts)-1]} {
			flags := gazOf(part)
			for b := 0; b < 16; b++ {
				if flags&(1<<b) != 0 {
					fs = append(fs, hashByte(hashByte(hashStart(fHyphenGaz), byte(b)), byte(pi)))
				}
			}
		}
	}
	return fs
}

// labelType returns the entity type index (1..4) of a label, 0 for O.
func labelType(l int) int { return (l + 1) / 2 }

// dynamic appends the features that depend on earlier decisions.
func dynamic(fs []uint64, s *sentence, i int, prev, prev2 int, docPrev, maj map[string]int) []uint64 {
	t := &s.toks[i]
	pl, pl2 := labelNames[prev], labelNames[prev2]
	if i == 0 {
		pl, pl2 = "<S>", "<S>"
	} else if i == 1 {
		pl2 = "<S>"
	}
	fs = append(fs,
		f1(fLabelPrev, pl),
		f2(fLabelPrev2, pl2, pl),
		f2(fLabelPrevWord, pl, t.lower),
		f2(fLabelPrevShape, pl, t.shape),
	)
	if s.capitals[i] {
		if ty, ok := docPrev[t.lower]; ok {
			fs = append(fs, hashByte(hashStart(fDocPrevLabel), byte(ty)),
				hashStr(hashByte(hashStart(fDocPrevLabelShape), byte(ty)), t.shape))
		}
		if ty, ok := maj[t.lower]; ok {
			fs = append(fs, hashByte(hashStart(fDocMajority), byte(ty)),
				hashByte(hashByte(hashStart(fDocMajorityPrev), byte(ty)), byte(prev)))
		}
	}
	return fs
}
