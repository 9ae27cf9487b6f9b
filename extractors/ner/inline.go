package ner

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/newswire/newswire/extractors"
)

// ReadInline reads a corpus annotated inline, one sentence per line, names in
// brackets with their type: "[PER Amina Yusuf] spoke in [LOC Geneva] ."
// A line "###" starts a new document; lines starting with "#" otherwise are
// comments. tokenize splits a plain sentence into tokens (the nlp
// Analyzer's Tokens), so the corpus is tokenised exactly as text is at run
// time. A token belongs to a name when it starts inside the brackets.
func ReadInline(r io.Reader, tokenize func(string) []extractors.Token) ([]LabeledDoc, error) {
	var docs []LabeledDoc
	var cur LabeledDoc
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		switch {
		case text == "###":
			if len(cur.Sentences) > 0 {
				docs = append(docs, cur)
			}
			cur = LabeledDoc{}
			continue
		case text == "" || strings.HasPrefix(text, "#"):
			continue
		}
		plain, spans, err := parseInline(text)
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %w", ErrBadCorpus, line, err)
		}
		toks := tokenize(plain)
		s := LabeledSentence{Words: make([]string, len(toks)), Labels: make([]string, len(toks))}
		for i, t := range toks {
			s.Words[i] = t.Text
			s.Labels[i] = "O"
			for _, sp := range spans {
				if t.Start >= sp.Start && t.Start < sp.End {
					if i > 0 && toks[i-1].Start >= sp.Start {
						s.Labels[i] = "I-" + sp.Type
					} else {
						s.Labels[i] = "B-" + sp.Type
					}
				}
			}
		}
		cur.Sentences = append(cur.Sentences, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("ner: read inline corpus: %w", err)
	}
	if len(cur.Sentences) > 0 {
		docs = append(docs, cur)
	}
	return docs, nil
}

// parseInline strips the bracket markup and returns the plain text and the
// byte spans (into it) of the names.
func parseInline(text string) (string, []Span, error) {
	var b strings.Builder
	var spans []Span
	for i := 0; i < len(text); {
		c := text[i]
		if c != '[' {
			if c == ']' {
				return "", nil, fmt.Errorf("unmatched ] at byte %d", i)
			}
			b.WriteByte(c)
			i++
			continue
		}
		end := strings.IndexByte(text[i:], ']')
		if end < 0 {
			return "", nil, fmt.Errorf("unclosed [ at byte %d", i)
		}
		inner := text[i+1 : i+end]
		typ, name, ok := strings.Cut(inner, " ")
		if !ok || strings.TrimSpace(name) == "" {
			return "", nil, fmt.Errorf("bad name %q", inner)
		}
		if _, known := labelIndex("B-" + typ); !known {
			return "", nil, fmt.Errorf("unknown type %q", typ)
		}
		start := b.Len()
		b.WriteString(name)
		spans = append(spans, Span{Start: start, End: b.Len(), Type: typ})
		i += end + 1
	}
	return b.String(), spans, nil
}
