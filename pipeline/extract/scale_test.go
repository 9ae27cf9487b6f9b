package extract_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/extractors/entities"
	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/extract"
)

// syllables make up generated names; none is an English word.
var syllables = []string{"bar", "kel", "mor", "tan", "vel", "dor", "lin", "sar", "ven", "quo",
	"ris", "pel", "zan", "gor", "fen", "hal", "jur", "nim", "oth", "wen"}

// candidateName returns the i-th of 160,000 distinct capitalised two-word
// names such as "Kelmor Tandor".
func candidateName(i int) string {
	n := len(syllables)
	word := func(k int) string {
		w := syllables[k%n] + syllables[(k/n)%n]
		return strings.ToUpper(w[:1]) + w[1:]
	}
	return word(i%(n*n)) + " " + word(i/(n*n)+7)
}

// candidateText writes sentences naming n distinct people, ten a sentence.
func candidateText(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		switch {
		case i%10 == 0:
			b.WriteString("Officials said ")
		case i%10 == 9:
			b.WriteString(" and ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(candidateName(i))
		if i%10 == 9 || i == n-1 {
			b.WriteString(" met in the hall on Monday.\n")
		}
	}
	return b.String()
}

// TestEnrichManyEntityCandidates: an article naming 100,000 distinct
// people goes through the whole extractor pipeline in bounded time, with
// at most entities.MaxMentions mentions clustered into people. The full
// case takes about 8 s, and much longer under the race detector, so -short
// runs 5,000 names only.
func TestEnrichManyEntityCandidates(t *testing.T) {
	p, err := extractors.NewPipeline(extractors.Config{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		names int
		heavy bool
	}{
		{"names=5000", 5000, false},
		{"names=100000", 100000, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.heavy && testing.Short() {
				t.Skip("heavy case skipped with -short")
			}
			text := candidateText(c.names)
			a := &article.Article{SchemaVersion: 1, ID: "many", URL: "http://x/many", Title: "Roll call", Text: text}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			e, err := extract.Enrich(ctx, p, a)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(e.People) + len(e.Groups); n == 0 || n > entities.MaxMentions {
				t.Errorf("%d people and groups, want 1..%d", n, entities.MaxMentions)
			}
			if e.Article.Text != text {
				t.Error("the stored text is not the article's full text")
			}
		})
	}
}

// BenchmarkEnrichCandidates measures the whole extractor pipeline on an
// article that does nothing but name distinct people.
func BenchmarkEnrichCandidates(b *testing.B) {
	p, err := extractors.NewPipeline(extractors.Config{})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("names=%d", n), func(b *testing.B) {
			text := candidateText(n)
			a := &article.Article{SchemaVersion: 1, ID: "many", URL: "http://x/many", Title: "Roll call", Text: text}
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := extract.Enrich(context.Background(), p, a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
