package ner

import (
	"strings"
	"testing"

	"github.com/newswire/newswire/extractors/nlp"
)

func TestSynthesize(t *testing.T) {
	an, err := nlp.New()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		seed uint64
		docs int
	}{
		{name: "one document", seed: 1, docs: 1},
		{name: "many documents", seed: 7, docs: 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Synthesize(tc.seed, tc.docs)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Synthesize(tc.seed, tc.docs)
			if err != nil {
				t.Fatal(err)
			}
			if a != b {
				t.Fatal("the same seed gave different corpora")
			}
			docs, err := ReadInline(strings.NewReader(a), an.Tokens)
			if err != nil {
				t.Fatalf("generated corpus does not parse: %v", err)
			}
			if len(docs) != tc.docs {
				t.Fatalf("got %d documents, want %d", len(docs), tc.docs)
			}
			names := 0
			for _, d := range docs {
				for _, s := range d.Sentences {
					for _, l := range s.Labels {
						if strings.HasPrefix(l, "B-") {
							names++
						}
					}
				}
			}
			if names < tc.docs {
				t.Fatalf("only %d names in %d documents", names, tc.docs)
			}
		})
	}
}
