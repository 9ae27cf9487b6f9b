package ner

import (
	"errors"
	"strings"
	"testing"

	"github.com/newswire/newswire/extractors/nlp"
)

func TestReadInline(t *testing.T) {
	an, err := nlp.New()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		in      string
		docs    int
		labels  string
		wantErr bool
	}{
		{
			name:   "two names",
			in:     "[PER Amina Yusuf] flew to [LOC Addis Ababa].",
			docs:   1,
			labels: "B-PER I-PER O O B-LOC I-LOC O",
		},
		{
			name: "documents and comments",
			in:   "# a comment\n[ORG NATO] met.\n###\nRain fell.\n",
			docs: 2,
		},
		{name: "unknown type", in: "[XYZ Foo] bar", wantErr: true},
		{name: "unclosed", in: "[PER Foo bar", wantErr: true},
		{name: "unmatched close", in: "Foo] bar", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := ReadInline(strings.NewReader(tc.in), an.Tokens)
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
			if tc.labels != "" {
				if got := strings.Join(docs[0].Sentences[0].Labels, " "); got != tc.labels {
					t.Errorf("labels %q, want %q", got, tc.labels)
				}
			}
		})
	}
}
