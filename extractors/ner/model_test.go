package ner

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/newswire/newswire/extractors/nlp"
)

const tinyCorpus = `-DOCSTART- O

Amina I-PER
Yusuf I-PER
visited O
Geneva I-LOC
. O

The O
Red I-ORG
Cross I-ORG
helped O
. O
`

func TestReadCoNLL(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		docs    int
		labels  string // labels of the first sentence
		wantErr bool
	}{
		{name: "IOB1 becomes IOB2", in: tinyCorpus, docs: 1, labels: "B-PER I-PER O B-LOC O"},
		{name: "IOB2 with POS columns", in: "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\n", docs: 1, labels: "B-ORG O"},
		{name: "adjacent names of one type", in: "A I-PER\nB B-PER\n", docs: 1, labels: "B-PER B-PER"},
		{name: "missing tag", in: "word\n", wantErr: true},
		{name: "unknown type", in: "word B-XYZ\n", wantErr: true},
		{name: "bad tag", in: "word Q-PER\n", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := ReadCoNLL(strings.NewReader(tc.in))
			if tc.wantErr {
				if !errors.Is(err, ErrBadCorpus) {
					t.Fatalf("err = %v, want ErrBadCorpus", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != tc.docs {
				t.Fatalf("%d docs, want %d", len(docs), tc.docs)
			}
			if got := strings.Join(docs[0].Sentences[0].Labels, " "); got != tc.labels {
				t.Errorf("labels %q, want %q", got, tc.labels)
			}
		})
	}
}

func TestTrainWriteRead(t *testing.T) {
	docs, err := ReadCoNLL(strings.NewReader(tinyCorpus))
	if err != nil {
		t.Fatal(err)
	}
	tagger, err := nlp.NewTagger()
	if err != nil {
		t.Fatal(err)
	}
	train := func() []byte {
		m, err := Train(docs, TrainConfig{Iterations: 3, Seed: 7, Tag: tagger.Tag})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := m.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b := train(), train()
	if !bytes.Equal(a, b) {
		t.Error("training twice with one seed gave different models")
	}
	m, err := ReadModel(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	if m.Features() == 0 {
		t.Error("model has no features")
	}
	if _, err := Train(docs, TrainConfig{}); err == nil {
		t.Error("want an error without a tagger")
	}
	if _, err := Train(nil, TrainConfig{Tag: tagger.Tag}); !errors.Is(err, ErrBadCorpus) {
		t.Errorf("empty corpus: err = %v, want ErrBadCorpus", err)
	}
}

func TestReadModelErrors(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"not gzip", []byte("hello")},
		{"truncated", func() []byte {
			b, _ := modelFS.ReadFile(modelPath)
			return b[:len(b)/2]
		}()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ReadModel(bytes.NewReader(tc.in)); !errors.Is(err, ErrBadModel) {
				t.Fatalf("err = %v, want ErrBadModel", err)
			}
		})
	}
}

func TestRecognizeConcurrent(t *testing.T) {
	an, rec := newStage(t)
	text := fixtureArticle
	sents := an.Analyze(text)
	want := describe(rec.Recognize(text, sents))
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 3; i++ {
				if got := describe(rec.Recognize(text, sents)); got != want {
					t.Errorf("concurrent result differs: %s", got)
					return
				}
			}
		}()
	}
	wg.Wait()
}
