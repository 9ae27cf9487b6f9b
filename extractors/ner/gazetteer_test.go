package ner

import "testing"

func TestGazetteer(t *testing.T) {
	g, err := newGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		word string
		flag int
		want bool
	}{
		{name: "demonym plural", word: "syrians", flag: gzDemonym, want: true},
		{name: "western people", word: "westerners", flag: gzDemonym, want: true},
		{name: "no plural of -ese", word: "japaneses", flag: gzDemonym, want: false},
		{name: "knowledge-base group", word: "iskp", flag: gzOrg, want: true},
		{name: "common word", word: "several", flag: gzCommon, want: true},
		{name: "name is not a common word", word: "inkster", flag: gzCommon, want: false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := g.flags(tc.word)&(1<<tc.flag) != 0; got != tc.want {
				t.Fatalf("flag %d of %q = %v, want %v", tc.flag, tc.word, got, tc.want)
			}
		})
	}
}

func TestMarkSpansAmbiguous(t *testing.T) {
	g, err := newGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	// A name listed both as a place and as an organisation carries both
	// types.
	g.add("Norvak Rovers", gzOrg, "ORG")
	g.add("Norvak Rovers", gzPlace, "LOC")
	d := g.prepare([][]string{{"Norvak", "Rovers", "won"}}, nil)
	if got := d.sents[0].toks[0].gazSpan; got != "B-LOC|ORG" {
		t.Fatalf("gazSpan = %q, want B-LOC|ORG", got)
	}
	if got := d.sents[0].toks[1].gazSpan; got != "I-LOC|ORG" {
		t.Fatalf("gazSpan = %q, want I-LOC|ORG", got)
	}
}

func TestOtherSpelling(t *testing.T) {
	cases := []struct{ in, want string }{
		{"World Health Organization", "World Health Organisation"},
		{"Ministry of Defence", "Ministry of Defense"},
		{"Kennedy Center", "Kennedy Centre"},
		{"Labour Party", "Labor Party"},
		{"Red Cross", "Red Cross"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if got := otherSpelling(tc.in); got != tc.want {
				t.Errorf("otherSpelling(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestMarkSpansCase(t *testing.T) {
	g, err := newGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	g.add("Velmor Tour", gzOrg, "ORG")
	g.add("Council for Velmor and Arden", gzOrg, "ORG")
	cases := []struct {
		name  string
		words []string
		want  []string
	}{
		{"listed as written", []string{"the", "Velmor", "Tour", "said"}, []string{"", "B-ORG", "I-ORG", ""}},
		{"lower-case word of running text", []string{"the", "Velmor", "tour", "ended"}, []string{"", "", "", ""}},
		{"headline in capitals", []string{"VELMOR", "TOUR", "ENDS"}, []string{"B-ORG", "I-ORG", ""}},
		{"small words inside a name", []string{"Council", "for", "Velmor", "and", "Arden"},
			[]string{"B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := g.prepare([][]string{tc.words}, nil)
			for i, tok := range d.sents[0].toks {
				if tok.gazSpan != tc.want[i] {
					t.Errorf("%q: gazSpan = %q, want %q", tok.word, tok.gazSpan, tc.want[i])
				}
			}
		})
	}
}
