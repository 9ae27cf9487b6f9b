package nlp

import (
	"testing"

	"github.com/jdkato/prose/v2"

	"github.com/newswire/newswire/pipeline/article/seeds"
)

// TestMatchesProse checks that the re-laid tokenizer and tagger agree with
// prose's own document pipeline on real text.
func TestMatchesProse(t *testing.T) {
	a := newAnalyzer(t)
	texts := seeds.Texts(t)
	warm, err := prose.NewDocument("Warm up.", prose.WithSegmentation(false), prose.WithExtraction(false))
	if err != nil {
		t.Fatal(err)
	}
	total, same, sentences, differ := 0, 0, 0, 0
	for _, text := range texts {
		for _, s := range a.Analyze(text) {
			sent := text[s.Start:s.End]
			d, err := prose.NewDocument(sent, prose.WithSegmentation(false), prose.WithExtraction(false), prose.UsingModel(warm.Model))
			if err != nil {
				t.Fatal(err)
			}
			ptoks := d.Tokens()
			sentences++
			if len(ptoks) != len(s.Tokens) {
				// Only expected where a sentence-final "Xxx." is split.
				differ++
				continue
			}
			for i, pt := range ptoks {
				total++
				if pt.Tag == s.Tokens[i].Tag {
					same++
				}
			}
		}
	}
	if differ*20 > sentences {
		t.Errorf("%d of %d sentences tokenised differently from prose", differ, sentences)
	}
	if total == 0 {
		t.Fatal("no tokens compared")
	}
	if agree := float64(same) / float64(total); agree < 0.99 {
		t.Errorf("tag agreement with prose %.3f, want >= 0.99", agree)
	}
}
