package nlp

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/newswire/newswire/extractors"

	"github.com/newswire/newswire/pipeline/article/seeds"
)

func newAnalyzer(tb testing.TB) *Analyzer {
	tb.Helper()
	a, err := New()
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func TestAnalyze(t *testing.T) {
	a := newAnalyzer(t)
	cases := []struct {
		name      string
		text      string
		sentences []string
		tokens    [][]string
		tags      map[string]string // token text -> expected tag
	}{
		{
			name:      "two sentences",
			text:      "Marta Vidal flew to Lisbon on Tuesday. She met the mayor.",
			sentences: []string{"Marta Vidal flew to Lisbon on Tuesday.", "She met the mayor."},
			tokens: [][]string{
				{"Marta", "Vidal", "flew", "to", "Lisbon", "on", "Tuesday", "."},
				{"She", "met", "the", "mayor", "."},
			},
			tags: map[string]string{"Lisbon": "NNP", "flew": "VBD", "the": "DT"},
		},
		{
			name:      "sentences glued by a full stop are split, abbreviations and domains are not",
			text:      "Police searched homes in Lyon.Prosecutors met U.S.Army staff at lemonde.fr today.",
			sentences: []string{"Police searched homes in Lyon.Prosecutors met U.S.Army staff at lemonde.fr today."},
			tokens: [][]string{{"Police", "searched", "homes", "in", "Lyon", ".", "Prosecutors", "met", "U.S.Army", "staff",
				"at", "lemonde.fr", "today", "."}},
		},
		{
			name:      "words glued by an ellipsis are split",
			text:      "The cells were hidden...All of them fled.",
			sentences: []string{"The cells were hidden...All of them fled."},
			tokens:    [][]string{{"The", "cells", "were", "hidden", "...", "All", "of", "them", "fled", "."}},
		},
		{
			name:      "abbreviation does not end a sentence",
			text:      "Gen. Ortiz spoke in Bogota. Troops left.",
			sentences: []string{"Gen. Ortiz spoke in Bogota.", "Troops left."},
		},
		{
			name:      "curly quotes keep byte offsets",
			text:      "\u201cWe will rebuild,\u201d said Amal Haddad\u2019s aide.",
			sentences: []string{"\u201cWe will rebuild,\u201d said Amal Haddad\u2019s aide."},
			tokens:    [][]string{{"\u201c", "We", "will", "rebuild", ",", "\u201d", "said", "Amal", "Haddad", "\u2019s", "aide", "."}},
		},
		{
			name:      "headline without a full stop stays apart",
			text:      "Floods hit northern towns\n\nRescuers reached the valley on Friday.",
			sentences: []string{"Floods hit northern towns", "Rescuers reached the valley on Friday."},
		},
		{
			name:      "a single line break ends a sentence",
			text:      "PARIS 1996-12-06\nRescuers reached the valley on Friday.",
			sentences: []string{"PARIS 1996-12-06", "Rescuers reached the valley on Friday."},
		},
		{
			name:      "entity at the very end is kept",
			text:      "The talks were hosted by Norway",
			sentences: []string{"The talks were hosted by Norway"},
			tokens:    [][]string{{"The", "talks", "were", "hosted", "by", "Norway"}},
		},
		{
			name:      "short capitalised word before the final full stop",
			text:      "He works at the Institute for the Study of War.",
			sentences: []string{"He works at the Institute for the Study of War."},
			tokens:    [][]string{{"He", "works", "at", "the", "Institute", "for", "the", "Study", "of", "War", "."}},
		},
		{
			name:      "slash after an outlet's name",
			text:      "Kavir News/ The talks failed.",
			sentences: []string{"Kavir News/ The talks failed."},
			tokens:    [][]string{{"Kavir", "News", "/", "The", "talks", "failed", "."}},
		},
		{name: "empty", text: ""},
		{name: "blank", text: " \n\t "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := a.Analyze(tc.text)
			checkOffsets(t, tc.text, got)
			if len(got) != len(tc.sentences) {
				t.Fatalf("got %d sentences %q, want %d", len(got), sentenceTexts(tc.text, got), len(tc.sentences))
			}
			for i, s := range got {
				if st := tc.text[s.Start:s.End]; st != tc.sentences[i] {
					t.Errorf("sentence %d = %q, want %q", i, st, tc.sentences[i])
				}
				if tc.tokens != nil {
					var toks []string
					for _, tk := range s.Tokens {
						toks = append(toks, tk.Text)
					}
					if strings.Join(toks, "|") != strings.Join(tc.tokens[i], "|") {
						t.Errorf("sentence %d tokens = %q, want %q", i, toks, tc.tokens[i])
					}
				}
				for _, tk := range s.Tokens {
					if want, ok := tc.tags[tk.Text]; ok && tk.Tag != want {
						t.Errorf("tag of %q = %s, want %s", tk.Text, tk.Tag, want)
					}
				}
			}
		})
	}
}

func sentenceTexts(text string, ss []extractors.Sentence) []string {
	var out []string
	for _, s := range ss {
		out = append(out, text[s.Start:s.End])
	}
	return out
}

func checkOffsets(t *testing.T, text string, ss []extractors.Sentence) {
	t.Helper()
	prev := 0
	for i, s := range ss {
		if s.Start < prev || s.End > len(text) || s.Start >= s.End {
			t.Fatalf("sentence %d has bad span [%d,%d) (prev end %d, len %d)", i, s.Start, s.End, prev, len(text))
		}
		prev = s.End
		last := s.Start
		for _, tk := range s.Tokens {
			if tk.Start < last || tk.End > s.End || tk.Start >= tk.End {
				t.Fatalf("token %q has bad span [%d,%d) in sentence [%d,%d)", tk.Text, tk.Start, tk.End, s.Start, s.End)
			}
			if text[tk.Start:tk.End] != tk.Text {
				t.Fatalf("token text %q != text[%d:%d] %q", tk.Text, tk.Start, tk.End, text[tk.Start:tk.End])
			}
			if tk.Tag == "" {
				t.Errorf("token %q has no tag", tk.Text)
			}
			last = tk.End
		}
	}
}

func TestExtractor(t *testing.T) {
	p, err := extractors.Default.NewPipeline(extractors.Config{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range p.Names() {
		found = found || n == Name
	}
	if !found {
		t.Fatalf("%q not registered: %v", Name, p.Names())
	}
	a := newAnalyzer(t)
	d := &extractors.Document{Text: "Rain fell in Quito. Roads closed."}
	if err := a.Extract(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if len(d.Sentences) != 2 || d.SentenceText(1) != "Roads closed." {
		t.Fatalf("sentences = %q", sentenceTexts(d.Text, d.Sentences))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.Extract(ctx, d); err == nil {
		t.Fatal("want an error on a cancelled context")
	}
}

func TestConcurrent(t *testing.T) {
	a := newAnalyzer(t)
	text := "Officials in Kenya said the bridge reopened. Traders in Mombasa welcomed it."
	want := a.Analyze(text)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				got := a.Analyze(text)
				if len(got) != len(want) || len(got[1].Tokens) != len(want[1].Tokens) {
					t.Errorf("concurrent result differs")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestSeeds(t *testing.T) {
	a := newAnalyzer(t)
	for i, text := range seeds.Texts(t) {
		ss := a.Analyze(text)
		checkOffsets(t, text, ss)
		if len(ss) < 3 {
			t.Errorf("seed %d: only %d sentences", i, len(ss))
		}
	}
}

func BenchmarkAnalyze(b *testing.B) {
	a := newAnalyzer(b)
	texts := seeds.Texts(b)
	tokens, bytes := 0, 0
	for _, text := range texts {
		bytes += len(text)
		for _, s := range a.Analyze(text) {
			tokens += len(s.Tokens)
		}
	}
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, text := range texts {
			a.Analyze(text)
		}
	}
	b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

func TestCommonWords(t *testing.T) {
	tg, err := NewTagger()
	if err != nil {
		t.Fatal(err)
	}
	words := map[string]bool{}
	for _, w := range tg.CommonWords() {
		words[w] = true
	}
	cases := []struct {
		word string
		want bool
	}{
		{"police", true},
		{"said", true},
		{"government", true},
		{"Police", false},
	}
	for _, tc := range cases {
		t.Run(tc.word, func(t *testing.T) {
			if words[tc.word] != tc.want {
				t.Fatalf("CommonWords has %q: %v, want %v", tc.word, words[tc.word], tc.want)
			}
		})
	}
	if len(words) < 5000 {
		t.Fatalf("only %d common words", len(words))
	}
}
