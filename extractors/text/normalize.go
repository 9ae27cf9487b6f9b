package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// lookalikes maps Cyrillic and Greek letters to the Latin letters they are
// drawn like. It is applied only inside words that also hold Latin letters.
var lookalikes = map[rune]rune{
	// Cyrillic lower case.
	'а': 'a', 'е': 'e', 'һ': 'h', 'і': 'i', 'ј': 'j', 'ӏ': 'l', 'о': 'o', 'р': 'p', 'ԛ': 'q',
	'ѕ': 's', 'ѵ': 'v', 'ԝ': 'w', 'х': 'x', 'у': 'y', 'ԁ': 'd', 'с': 'c', 'ё': 'ë', 'ї': 'ï',
	// Cyrillic upper case.
	'А': 'A', 'В': 'B', 'Е': 'E', 'Һ': 'H', 'І': 'I', 'Ј': 'J', 'К': 'K', 'Ӏ': 'I', 'М': 'M',
	'Н': 'H', 'О': 'O', 'Р': 'P', 'Ԛ': 'Q', 'Ѕ': 'S', 'Т': 'T', 'Ԝ': 'W', 'Х': 'X', 'У': 'Y',
	'С': 'C', 'Ё': 'Ë', 'Ї': 'Ï', 'Ԁ': 'D',
	// Greek lower case.
	'α': 'a', 'ο': 'o', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ρ': 'p', 'υ': 'u', 'χ': 'x', 'ϲ': 'c', 'ϳ': 'j',
	// Greek upper case.
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N',
	'Ο': 'O', 'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X', 'Ϲ': 'C',
}

// Normalize prepares text for search and extraction: Unicode NFKC (so
// no-break spaces, ligatures and full-width forms become plain letters),
// invisible characters removed (zero-width spaces, soft hyphens, BOMs),
// Cyrillic and Greek look-alike letters inside otherwise-Latin words folded
// to Latin, runs of spaces collapsed, lines trimmed and more than one blank
// line collapsed to one. Paragraph breaks are kept. It is idempotent.
func Normalize(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	// Invisible and control characters go before NFKC, so that marks they
	// separated are ordered and composed like any others (NFKC does not
	// produce them, so one pass suffices).
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u200b', '\u200c', '\u2060', '\ufeff', '\u00ad', '\u180e':
			return -1
		case '\r', '\u2028', '\u2029', '\u0085':
			return '\n'
		case '\t', '\v', '\f':
			return ' '
		}
		if unicode.IsControl(r) && r != '\n' {
			return -1
		}
		if unicode.IsSpace(r) && r != '\n' {
			return ' '
		}
		return r
	}, s)
	s = norm.NFKC.String(s)
	if f := foldLookalikes(s); f != s {
		// A folded letter may compose with the marks after it ("е" and
		// U+0308 become "ë"), as the next Normalize would do.
		s = norm.NFKC.String(f)
	}
	return tidySpace(s)
}

// tidySpace collapses runs of spaces, trims every line and keeps at most one
// blank line between paragraphs.
func tidySpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	blank := 0
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			if blank > 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		blank = 0
		b.WriteString(line)
	}
	return b.String()
}

// foldLookalikes rewrites each word that mixes Latin letters with Cyrillic or
// Greek look-alikes so that it is all Latin. Words wholly in Cyrillic or
// Greek, and mixed words with a letter that has no Latin look-alike, are
// left alone.
func foldLookalikes(s string) string {
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	changed := false
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := s[start:end]
		if f, ok := foldWord(w); ok {
			if !changed {
				b.Grow(len(s))
				b.WriteString(s[:start])
				changed = true
			}
			b.WriteString(f)
		} else if changed {
			b.WriteString(w)
		}
		start = -1
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		if changed {
			b.WriteRune(r)
		}
	}
	flush(len(s))
	if !changed {
		return s
	}
	return b.String()
}

// foldWord folds one word; ok is false when it should be left as it is.
func foldWord(w string) (string, bool) {
	latin, other := 0, 0
	for _, r := range w {
		switch {
		case unicode.Is(unicode.Latin, r):
			latin++
		case unicode.Is(unicode.Cyrillic, r) || unicode.Is(unicode.Greek, r):
			if _, ok := lookalikes[r]; !ok {
				return "", false
			}
			other++
		}
	}
	if latin == 0 || other == 0 {
		return "", false
	}
	out := make([]byte, 0, len(w))
	for _, r := range w {
		if l, ok := lookalikes[r]; ok {
			r = l
		}
		out = utf8.AppendRune(out, r)
	}
	return string(out), true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
