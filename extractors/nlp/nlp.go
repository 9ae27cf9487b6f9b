package nlp

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/neurosnap/sentences.v1"
	"gopkg.in/neurosnap/sentences.v1/english"

	"github.com/newswire/newswire/extractors"
)

// Name is the name the extractor registers under.
const Name = "nlp"

// Order is the extractor's place in the pipeline.
const Order = 20

func init() {
	extractors.MustRegister(Name, Order, func(extractors.Config) (extractors.Extractor, error) {
		return New()
	})
}

// Analyzer segments and tags text. Build it with New; it is safe for
// concurrent use.
type Analyzer struct {
	segmenter *sentences.DefaultSentenceTokenizer
	tagger    *Tagger
}

// New loads the sentence segmenter and the part-of-speech tagger once.
func New() (*Analyzer, error) {
	seg, err := english.NewSentenceTokenizer(nil)
	if err != nil {
		return nil, fmt.Errorf("nlp: load sentence segmenter: %w", err)
	}
	tagger, err := NewTagger()
	if err != nil {
		return nil, err
	}
	return &Analyzer{segmenter: seg, tagger: tagger}, nil
}

// Tagger returns the analyzer's part-of-speech tagger.
func (a *Analyzer) Tagger() *Tagger { return a.tagger }

// Name returns "nlp".
func (a *Analyzer) Name() string { return Name }

// Extract fills d.Sentences from d.Text, replacing what was there.
func (a *Analyzer) Extract(ctx context.Context, d *extractors.Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.Sentences = a.Analyze(d.Text)
	return nil
}

// Analyze splits text into sentences of tagged tokens. Offsets are byte
// offsets into text; token Text is always text[Start:End]. Empty or blank
// text gives no sentences.
func (a *Analyzer) Analyze(text string) []extractors.Sentence {
	var out []extractors.Sentence
	for _, span := range a.sentenceSpans(text) {
		toks := a.Tokens(text[span[0]:span[1]])
		if len(toks) == 0 {
			continue
		}
		for i := range toks {
			toks[i].Start += span[0]
			toks[i].End += span[0]
		}
		out = append(out, extractors.Sentence{Start: toks[0].Start, End: toks[len(toks)-1].End, Tokens: toks})
	}
	return out
}

// sentenceSpans returns the [start, end) byte spans of the sentences of text,
// trimmed of surrounding space. A line break always ends a sentence, so a
// headline without a full stop stays apart from the body.
func (a *Analyzer) sentenceSpans(text string) [][2]int {
	var spans [][2]int
	for _, para := range paragraphs(text) {
		chunk := text[para[0]:para[1]]
		for _, s := range a.segmenter.Tokenize(chunk) {
			start, end := s.Start, s.End
			if start < 0 || end > len(chunk) || start >= end {
				continue
			}
			start, end = trimSpace(chunk, start, end)
			if start < end {
				spans = append(spans, [2]int{para[0] + start, para[0] + end})
			}
		}
	}
	return spans
}

// paragraphs splits text into lines: extracted article text puts one
// paragraph (or headline, or dateline) on a line, so a line break always ends
// a sentence.
func paragraphs(text string) [][2]int {
	var out [][2]int
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			if start < i {
				out = append(out, [2]int{start, i})
			}
			start = i + 1
		}
	}
	if start < len(text) {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

func trimSpace(s string, start, end int) (int, int) {
	for start < end {
		r, n := utf8.DecodeRuneInString(s[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(s[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= n
	}
	return start, end
}

// Tokens tokenises and tags one sentence. Offsets are byte offsets into
// sentence.
func (a *Analyzer) Tokens(sentence string) []extractors.Token {
	spans := tokenSpans(sentence)
	if len(spans) == 0 {
		return nil
	}
	words := make([]string, len(spans))
	for i, sp := range spans {
		words[i] = sentence[sp.start:sp.end]
	}
	// prose tags the normalised quotes; give the tagger what it was trained on.
	tagWords := make([]string, len(words))
	for i, w := range words {
		tagWords[i] = quoteReplacer.Replace(w)
	}
	tags := a.tagger.Tag(tagWords)
	out := make([]extractors.Token, len(spans))
	for i, sp := range spans {
		out[i] = extractors.Token{Text: words[i], Tag: tags[i], Start: sp.start, End: sp.end}
	}
	return out
}

var quoteReplacer = strings.NewReplacer("\u201c", `"`, "\u201d", `"`, "\u2018", "'", "\u2019", "'", "&rsquo;", "'")

// replacements mirrors the normalisation prose's tokenizer applies before it
// splits text, so tokens can be found again in the original.
var replacements = [...][2]string{
	{"\u201c", `"`},
	{"\u201d", `"`},
	{"\u2018", "'"},
	{"\u2019", "'"},
	{"&rsquo;", "'"},
}

// sanitize applies prose's replacements and returns the cleaned text and, for
// every byte of it (and one past the end), the byte offset in s it came from.
func sanitize(s string) (string, []int) {
	var b strings.Builder
	b.Grow(len(s))
	offs := make([]int, 0, len(s)+1)
	for i := 0; i < len(s); {
		replaced := false
		if s[i] == 0xe2 || s[i] == '&' {
			for _, r := range replacements {
				if strings.HasPrefix(s[i:], r[0]) {
					b.WriteString(r[1])
					for range len(r[1]) {
						offs = append(offs, i)
					}
					i += len(r[0])
					replaced = true
					break
				}
			}
		}
		if !replaced {
			b.WriteByte(s[i])
			offs = append(offs, i)
			i++
		}
	}
	offs = append(offs, len(s))
	return b.String(), offs
}
