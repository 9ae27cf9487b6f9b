package ner

import (
	"context"
	"strings"
	"testing"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/extractors/nlp"
	"github.com/newswire/newswire/pipeline/article"
)

func newStage(tb testing.TB) (*nlp.Analyzer, *Recognizer) {
	tb.Helper()
	an, err := nlp.New()
	if err != nil {
		tb.Fatal(err)
	}
	rec, err := New()
	if err != nil {
		tb.Fatal(err)
	}
	return an, rec
}

type want struct {
	text  string
	kind  article.EntityKind
	label string // optional
}

func TestRecognize(t *testing.T) {
	an, rec := newStage(t)
	cases := []struct {
		name string
		text string
		want []want
		not  []string // texts that must not come out as a mention
	}{
		{
			name: "person, group and place",
			text: "Maria Lopez, a spokeswoman for the United Nations, said the convoy reached Aleppo on Monday.",
			want: []want{{"Maria Lopez", article.KindPerson, "PER"}, {"United Nations", article.KindGroup, "ORG"}, {"Aleppo", article.KindPlace, "GPE"}},
			not:  []string{"Monday"},
		},
		{
			name: "entity at the very end of the input",
			text: "The ceasefire talks were hosted by Norway",
			want: []want{{"Norway", article.KindPlace, ""}},
		},
		{
			name: "possessive inside a listed name",
			text: "A spokesman for McDonald's said the restaurant in Leeds would reopen on Friday.",
			want: []want{{"McDonald's", article.KindGroup, "ORG"}, {"Leeds", article.KindPlace, ""}},
		},
		{
			name: "country names",
			text: "Officials from Germany and France met their counterparts from Japan in Brussels.",
			want: []want{{"Germany", article.KindPlace, "GPE"}, {"France", article.KindPlace, "GPE"}, {"Japan", article.KindPlace, "GPE"}, {"Brussels", article.KindPlace, "GPE"}},
		},
		{
			name: "surname alone after full name",
			text: "Police arrested Karim Bensaid in Lyon on Friday. Bensaid had travelled from Marseille.",
			want: []want{{"Karim Bensaid", article.KindPerson, ""}, {"Bensaid", article.KindPerson, ""}, {"Lyon", article.KindPlace, ""}},
		},
		{
			name: "outlet, peoples and occasions",
			text: "Kavir News/ Gunmen attacked Yazidis and Westerners near the shrine on New Year's Eve, burning copies of the Koran.",
			// Peoples are MISC (CoNLL), never people, groups or places.
			want: []want{{"Kavir News", article.KindGroup, "ORG"}, {"Yazidis", "", "MISC"}, {"Westerners", "", "MISC"}},
			not:  []string{"New Year", "Kavir News/", "Eve"},
		},
		{
			name: "affixes are not part of names",
			text: "The Iran-backed Houthis fired missiles , a report by the Council on Foreign Relations said .",
			want: []want{{"Houthis", article.KindGroup, "ORG"}, {"Council on Foreign Relations", article.KindGroup, "ORG"}},
			not:  []string{"Iran-backed Houthis"},
		},
		{
			name: "names end at glued sentences, scores and listed names",
			text: "Cells were found in Turkey.France raised its alert. India 331-6 , Boca Juniors of Argentina drew with Real Madrid and Barcelona won.",
			want: []want{{"Turkey", article.KindPlace, "GPE"}, {"France", article.KindPlace, "GPE"}, {"India", article.KindPlace, "GPE"},
				{"Boca Juniors", article.KindGroup, "ORG"}, {"Argentina", article.KindPlace, "GPE"}, {"Real Madrid", article.KindGroup, "ORG"}},
			not: []string{"Turkey.France", "India 331-6", "Boca Juniors of Argentina", "Real Madrid and Barcelona"},
		},
		{
			name: "a particle opens a listed name",
			text: "Its rivals are al Qaeda and the Taliban.",
			want: []want{{"al Qaeda", article.KindGroup, "ORG"}, {"Taliban", article.KindGroup, "ORG"}},
			not:  []string{"Qaeda"},
		},
		{
			name: "on ends a name after a place",
			text: "Police guarded Cologne Cathedral on New Year's Eve.",
			want: []want{{"Cologne Cathedral", article.KindPlace, "FAC"}},
			not:  []string{"Cologne Cathedral on New Year"},
		},
		{
			name: "group acronyms",
			text: "Fighters loyal to ISIS attacked a checkpoint, and NATO condemned the assault.",
			want: []want{{"ISIS", article.KindGroup, "ORG"}, {"NATO", article.KindGroup, "ORG"}},
		},
		{
			name: "headline in capitals",
			text: "FLOODS KILL 12 IN BANGLADESH\nHeavy rain flooded villages in Bangladesh on Sunday.",
			want: []want{{"BANGLADESH", article.KindPlace, ""}},
		},
		{
			name: "facility",
			text: "Two flights were cancelled at Heathrow Airport after a drone sighting.",
			want: []want{{"Heathrow Airport", article.KindPlace, "FAC"}},
		},
		{
			name: "name before the final full stop",
			text: "The report was written by analysts at the Institute for the Study of War.",
			want: []want{{"Institute for the Study of War", article.KindGroup, "ORG"}},
		},
		{
			name: "lower-case text has no names",
			text: "the river rose after three days of heavy rain and the roads were closed.",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := rec.Recognize(tc.text, an.Analyze(tc.text))
			for _, m := range got {
				if tc.text[m.Start:m.End] != m.Text {
					t.Errorf("mention %q has offsets [%d,%d) covering %q", m.Text, m.Start, m.End, tc.text[m.Start:m.End])
				}
			}
			for _, w := range tc.want {
				found := false
				for _, m := range got {
					if m.Text == w.text && m.Kind == w.kind && (w.label == "" || m.Label == w.label) {
						found = true
					}
				}
				if !found {
					t.Errorf("missing %s %q (%s); got %s", w.kind, w.text, w.label, describe(got))
				}
			}
			for _, n := range tc.not {
				for _, m := range got {
					if m.Text == n {
						t.Errorf("%q should not be a mention; got %s", n, describe(got))
					}
				}
			}
			if tc.want == nil && len(got) > 0 {
				t.Errorf("want no mentions, got %s", describe(got))
			}
		})
	}
}

func describe(ms []extractors.Mention) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, m.Text+"/"+m.Label)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func TestExtract(t *testing.T) {
	an, rec := newStage(t)
	d := &extractors.Document{Text: "Reporters at the Kremlin asked about Ukraine. Many Germans were surprised."}
	if err := an.Extract(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if err := rec.Extract(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	for _, m := range d.Mentions {
		if m.Kind != article.KindPerson && m.Kind != article.KindGroup && m.Kind != article.KindPlace {
			t.Errorf("mention %q has kind %q", m.Text, m.Kind)
		}
		if m.Sentence < 0 || m.Sentence >= len(d.Sentences) {
			t.Errorf("mention %q has sentence %d", m.Text, m.Sentence)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := rec.Extract(ctx, d); err == nil {
		t.Error("want an error on a cancelled context")
	}
}

func TestRegistered(t *testing.T) {
	names := extractors.Default.Names()
	for _, n := range names {
		if n == Name {
			return
		}
	}
	t.Fatalf("%q not registered: %v", Name, names)
}
