package nlp

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jdkato/prose/v2"
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
	model     *prose.Model
}

// New loads the sentence segmenter and the part-of-speech tagger once.
func New() (*Analyzer, error) {
	seg, err := english.NewSentenceTokenizer(nil)
	if err != nil {
		return nil, fmt.Errorf("nlp: load sentence segmenter: %w", err)
	}
	// prose exports no constructor for its default model: build a tiny
	// document once and keep the model it loaded.
	d, err := prose.NewDocument("Load.", prose.WithSegmentation(false), prose.WithExtraction(false))
	if err != nil {
		return nil, fmt.Errorf("nlp: load tagger: %w", err)
	}
	if d.Model == nil {
		return nil, fmt.Errorf("nlp: load tagger: %w", ErrNoModel)
	}
	return &Analyzer{segmenter: seg, model: d.Model}, nil
}

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
// trimmed of surrounding space. Paragraph breaks (a blank line) always end a
// sentence, so a headline without a full stop stays apart from the body.
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

// paragraphs splits text at blank lines (two or more line breaks with only
// space between them).
func paragraphs(text string) [][2]int {
	var out [][2]int
	start := 0
	i := 0
	for i < len(text) {
		if text[i] != '\n' {
			i++
			continue
		}
		// Look for another line break after only spaces.
		j := i + 1
		breaks := 1
		for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n') {
			if text[j] == '\n' {
				breaks++
			}
			j++
		}
		if breaks >= 2 {
			out = append(out, [2]int{start, i})
			start = j
		}
		i = j
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
	if strings.TrimSpace(sentence) == "" {
		return nil
	}
	d, err := prose.NewDocument(sentence,
		prose.WithSegmentation(false), prose.WithExtraction(false), prose.UsingModel(a.model))
	if err != nil {
		return nil
	}
	ptoks := d.Tokens()
	clean, offs := sanitize(sentence)
	out := make([]extractors.Token, 0, len(ptoks))
	cursor := 0
	for _, pt := range ptoks {
		if pt.Text == "" {
			continue
		}
		i := strings.Index(clean[cursor:], pt.Text)
		if i < 0 {
			// prose changed the token in a way we cannot place; keep the
			// offsets honest and drop it.
			continue
		}
		cs, ce := cursor+i, cursor+i+len(pt.Text)
		cursor = ce
		start, end := offs[cs], offs[ce]
		out = append(out, extractors.Token{Text: sentence[start:end], Tag: pt.Tag, Start: start, End: end})
	}
	return out
}

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
