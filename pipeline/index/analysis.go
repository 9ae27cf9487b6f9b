package index

import (
	"strings"
	"unicode/utf8"

	porterstemmer "github.com/blevesearch/go-porterstemmer"
	"github.com/blevesearch/segment"
)

// StopWords returns the English stop word list shared by every backend and
// the in-memory evaluator: Lucene's English stop set, which Elasticsearch's
// "english" analyser uses. The Bleve backend configures the same list.
func StopWords() []string {
	return append([]string(nil), stopWords[:]...)
}

var stopWords = [...]string{
	"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in",
	"into", "is", "it", "no", "not", "of", "on", "or", "such", "that", "the",
	"their", "then", "there", "these", "they", "this", "to", "was", "will", "with",
}

func isStopWord(s string) bool {
	for _, w := range stopWords {
		if w == s {
			return true
		}
	}
	return false
}

// Token is one analysed term with its position (1-based, counting stop
// words, so phrase matching sees the same gaps as the backends).
type Token struct {
	Term     string
	Position int
}

// Analyze runs newswire's English analysis on text: Unicode word
// segmentation, possessive removal, lower-casing, stop word removal and
// Porter stemming. The Bleve and Elasticsearch mappings configure the same
// chain, so words match the same way in every backend and in Query.Match.
func Analyze(text string) []Token {
	var out []Token
	seg := segment.NewWordSegmenterDirect([]byte(text))
	pos := 0
	for seg.Segment() {
		if seg.Type() == segment.None {
			continue
		}
		pos++
		term := stripPossessive(seg.Text())
		term = strings.ToLower(term)
		if term == "" || isStopWord(term) {
			continue
		}
		term = string(porterstemmer.StemWithoutLowerCasing([]rune(term)))
		out = append(out, Token{Term: term, Position: pos})
	}
	return out
}

func stripPossessive(s string) string {
	last, n := utf8.DecodeLastRuneInString(s)
	if last != 's' && last != 'S' {
		return s
	}
	prev, m := utf8.DecodeLastRuneInString(s[:len(s)-n])
	if prev == '’' || prev == '\'' || prev == '＇' {
		return s[:len(s)-n-m]
	}
	return s
}
