package ner

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// LabeledSentence is one sentence of a corpus: words and their IOB2 labels
// (O, B-PER, I-ORG, ...).
type LabeledSentence struct {
	Words  []string
	Labels []string
}

// LabeledDoc is one document of a corpus.
type LabeledDoc struct {
	Sentences []LabeledSentence
	// Weight scales the training updates the document causes; 0 means 1.
	// Generated documents (Synthesize) train with less weight than real
	// text so that their regular frames do not dominate.
	Weight float64
}

// ReadCoNLL reads a CoNLL-style corpus: one token per line with its fields
// separated by spaces or tabs, the first field the word and the last the
// entity tag in IOB1 or IOB2 (converted to IOB2); a blank line ends a
// sentence and a "-DOCSTART-" line starts a document. Tag types other than
// PER, ORG, LOC and MISC are an error.
func ReadCoNLL(r io.Reader) ([]LabeledDoc, error) {
	var docs []LabeledDoc
	var cur LabeledDoc
	var sent LabeledSentence
	flushSent := func() {
		if len(sent.Words) > 0 {
			cur.Sentences = append(cur.Sentences, LabeledSentence{Words: sent.Words, Labels: toIOB2(sent.Labels)})
		}
		sent = LabeledSentence{}
	}
	flushDoc := func() {
		flushSent()
		if len(cur.Sentences) > 0 {
			docs = append(docs, cur)
		}
		cur = LabeledDoc{}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			flushSent()
			continue
		}
		fields := strings.Fields(text)
		if fields[0] == "-DOCSTART-" {
			flushDoc()
			continue
		}
		if len(fields) < 2 {
			return nil, fmt.Errorf("%w: line %d: want a word and a tag, got %q", ErrBadCorpus, line, text)
		}
		tag := fields[len(fields)-1]
		if tag != "O" {
			if len(tag) < 3 || (tag[0] != 'B' && tag[0] != 'I') || tag[1] != '-' {
				return nil, fmt.Errorf("%w: line %d: bad tag %q", ErrBadCorpus, line, tag)
			}
			if _, ok := labelIndex("B-" + tag[2:]); !ok {
				return nil, fmt.Errorf("%w: line %d: unknown entity type %q", ErrBadCorpus, line, tag[2:])
			}
		}
		sent.Words = append(sent.Words, fields[0])
		sent.Labels = append(sent.Labels, tag)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("ner: read corpus: %w", err)
	}
	flushDoc()
	return docs, nil
}

// toIOB2 turns IOB1 tags (I- starts an entity unless it continues one of the
// same type) into IOB2.
func toIOB2(tags []string) []string {
	out := make([]string, len(tags))
	prev := "O"
	for i, t := range tags {
		if strings.HasPrefix(t, "I-") && (prev == "O" || prev[2:] != t[2:]) {
			t = "B-" + t[2:]
		}
		out[i] = t
		prev = t
	}
	return out
}

// Span is an entity found in a sentence: tokens [Start, End) of type Type
// (PER, ORG, LOC or MISC).
type Span struct {
	Start, End int
	Type       string
}

// Spans returns the entity spans of IOB2 labels.
func Spans(labels []string) []Span {
	var out []Span
	for i := 0; i < len(labels); i++ {
		if !strings.HasPrefix(labels[i], "B-") && !strings.HasPrefix(labels[i], "I-") {
			continue
		}
		typ := labels[i][2:]
		j := i + 1
		for j < len(labels) && labels[j] == "I-"+typ {
			j++
		}
		out = append(out, Span{Start: i, End: j, Type: typ})
		i = j - 1
	}
	return out
}
