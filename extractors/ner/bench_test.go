package ner

import (
	"strings"
	"testing"

	"github.com/newswire/newswire/pipeline/article/seeds"
)

// fixtureArticle is written for these tests (no copied text): about 300
// tokens of wire-style news, repeated to article length by the benchmark.
const fixtureArticle = `GENEVA, March 4 - Delegates from Sudan and South Sudan resumed talks in Geneva on Tuesday under the auspices of the African Union, officials said.
"We are cautiously hopeful," said Amina Yusuf, a spokeswoman for the African Union Commission, adding that the next round would be held in Addis Ababa.
The talks follow clashes near the border town of Abyei last month in which at least 14 people were killed, according to the International Committee of the Red Cross.
Omar Hassan, a researcher at Chatham House in London, said the government in Khartoum was under pressure from Egypt and Saudi Arabia to reach a deal.
Hassan said the United Nations Security Council could extend its mission in the region when it meets in New York next week.
Separately, police in Nairobi arrested two men suspected of links to al-Shabaab, the Somali militant group, Kenyan media reported.
The Reuters news agency could not independently confirm the arrests.
Shares of Standard Bank fell 2 percent in Johannesburg after the lender cut its forecast, while the rand weakened against the dollar.
`

func BenchmarkEntityStage(b *testing.B) {
	an, rec := newStage(b)
	texts := map[string]string{
		"fixture": strings.Repeat(fixtureArticle, 3),
	}
	if seeds := seeds.TextsIfPresent(b); len(seeds) > 0 {
		texts["seeds"] = strings.Join(seeds, "\n")
	}
	for name, text := range texts {
		b.Run(name, func(b *testing.B) {
			tokens := 0
			for _, s := range an.Analyze(text) {
				tokens += len(s.Tokens)
			}
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rec.Recognize(text, an.Analyze(text))
			}
			b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

func BenchmarkRecognize(b *testing.B) {
	an, rec := newStage(b)
	text := strings.Repeat(fixtureArticle, 3)
	sents := an.Analyze(text)
	tokens := 0
	for _, s := range sents {
		tokens += len(s.Tokens)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec.Recognize(text, sents)
	}
	b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// TestSeeds runs the stage on the real sample articles: every mention must
// point at its own text, and each article names people, groups and places.
func TestSeeds(t *testing.T) {
	an, rec := newStage(t)
	for i, text := range seeds.Texts(t) {
		ms := rec.Recognize(text, an.Analyze(text))
		kinds := map[string]int{}
		for _, m := range ms {
			if text[m.Start:m.End] != m.Text {
				t.Fatalf("seed %d: mention %q has offsets covering %q", i, m.Text, text[m.Start:m.End])
			}
			kinds[string(m.Kind)]++
		}
		if kinds["person"] == 0 || kinds["group"] == 0 || kinds["place"] == 0 {
			t.Errorf("seed %d: mentions by kind %v, want people, groups and places", i, kinds)
		}
	}
}
