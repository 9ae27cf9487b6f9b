package events

import (
	"strings"
	"testing"
	"time"

	"github.com/newswire/newswire/extractors/nlp"
)

// BenchmarkFind measures the events stage alone on a Document the upstream
// stages have already filled (sentences, tags, mentions), the way it runs in
// the pipeline. Reported: events/s and articles/s on one core (run with
// -cpu 1).
func BenchmarkFind(b *testing.B) {
	an, err := nlp.New()
	if err != nil {
		b.Fatal(err)
	}
	var parts []string
	var ents []ent
	seen := map[string]bool{}
	for _, c := range annotatedSet {
		parts = append(parts, c.text)
		for _, e := range c.ents {
			name, _, _ := strings.Cut(string(e), "=")
			if !seen[name] {
				seen[name] = true
				ents = append(ents, e)
			}
		}
	}
	text := strings.Join(parts, "\n\n")
	pub := time.Date(2024, 3, 25, 0, 0, 0, 0, time.UTC)
	d := buildTagged(b, an, text, &pub, ents...)
	n := len(Find(d))
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Find(d)
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(n*b.N)/sec, "events/s")
	b.ReportMetric(float64(len(annotatedSet)*b.N)/sec, "sentences-groups/s")
}
