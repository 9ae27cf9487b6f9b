package events

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/pipeline/article"
)

func TestDetectTriggers(t *testing.T) {
	tests := []struct {
		name, sentence string
		want           []string // "type/subtype:words"
	}{
		{"heart attack", "He died of a heart attack.", nil},
		{"panic attack", "She had a panic attack.", nil},
		{"attack noun", "The attack shocked the city.", []string{"attack/:attack"}},
		{"suicide bomber", "A suicide bomber struck.", []string{"suicide_bombing/suicide:suicide bomber"}},
		{"blew himself up", "He blew himself up at the gate.", []string{"suicide_bombing/suicide:blew himself up"}},
		{"car bomb", "A car bomb went off.", []string{"bombing/vehicle:car bomb"}},
		{"drone strike", "A drone strike hit the convoy.", []string{"air_strike/drone:drone strike"}},
		{"opened fire", "Gunmen opened fire on the crowd.", []string{"shooting/:Gunmen", "shooting/:opened fire"}},
		{"knife attack", "A knife attack in the square.", []string{"stabbing/knife:knife attack"}},
		{"took hostage", "They took 12 people hostage.", []string{"hostage_taking/:took 12 people hostage"}},
		{"arrest warrant", "An arrest warrant was issued.", nil},
		{"without warning", "It came without warning.", nil},
		{"bomb threat", "A bomb threat closed the school.", nil},
		{"threat level raised", "The threat level was raised to critical.", []string{"threat_level_change/:threat level"}},
		{"threat level unchanged", "The threat level is substantial.", nil},
		{"lorry into crowd", "He drove a lorry into the crowd.", []string{"attack/vehicle:drove"}},
		{"custody", "Two men were taken into custody.", []string{"arrest/:taken into custody"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ss := splitSentences(tc.sentence)
			var got []string
			for _, tr := range detectTriggers(ss[0]) {
				got = append(got, tr.Type+"/"+tr.Subtype+":"+tr.Words)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("triggers = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	tests := []struct{ name, sentence, want string }{
		{"carried out", "The bomb exploded at the market.", "carried_out"},
		{"foiled", "Police foiled a plot to bomb the station.", "foiled"},
		{"failed", "The device failed to detonate.", "failed"},
		{"planned", "The cell was planning an attack on the stadium.", "planned"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := statusOf(splitSentences(tc.sentence)[0]); got != tc.want {
				t.Errorf("statusOf = %q, want %q", got, tc.want)
			}
		})
	}
}

func sp(s string) *string { return &s }
func ip(i int) *int       { return &i }

func TestMergeAndSameIncident(t *testing.T) {
	moscow := article.Event{Type: article.EventAttack, Place: sp("Moscow"), CountryCode: sp("RU"), Date: sp("2024-03-22"), Killed: ip(133), Evidence: "Gunmen attacked a hall in Moscow.", Trigger: "attacked"}
	moscowLater := article.Event{Type: article.EventShooting, Place: sp("Moscow"), CountryCode: sp("RU"), Date: sp("2024-03"), Killed: ip(144), Evidence: "The shooting in Moscow.", Trigger: "shooting"}
	kerman := article.Event{Type: article.EventBombing, Place: sp("Kerman"), CountryCode: sp("IR"), Date: sp("2024-01-03"), Evidence: "Twin blasts in Kerman.", Trigger: "blasts"}
	backRef := article.Event{Type: article.EventAttack, Evidence: "The attack was claimed by the group.", Trigger: "attack", ClaimedBy: []string{"Islamic State"}}
	newOne := article.Event{Type: article.EventAttack, Evidence: "In another attack, two died.", Trigger: "attack"}
	arrest := article.Event{Type: article.EventArrest, Place: sp("Moscow"), CountryCode: sp("RU"), Evidence: "Police arrested four men.", Trigger: "arrested", Status: "carried_out"}
	tests := []struct {
		name string
		in   []article.Event
		want []string // merged types in order
	}{
		{"same incident merges to most specific", []article.Event{moscow, moscowLater}, []string{"shooting"}},
		{"different places stay apart", []article.Event{moscow, kerman}, []string{"attack", "bombing"}},
		{"back reference joins the latest", []article.Event{moscow, kerman, backRef}, []string{"attack", "bombing"}},
		{"indefinite mention stays apart", []article.Event{moscow, newOne}, []string{"attack", "attack"}},
		{"types of other families stay apart", []article.Event{moscow, arrest}, []string{"attack", "arrest"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Merge(tc.in)
			var types []string
			for _, e := range got {
				types = append(types, e.Type)
			}
			if strings.Join(types, ",") != strings.Join(tc.want, ",") {
				t.Errorf("Merge types = %v, want %v", types, tc.want)
			}
		})
	}
	m := Merge([]article.Event{moscow, moscowLater})[0]
	if *m.Killed != 144 || *m.Date != "2024-03-22" {
		t.Errorf("merged fields: killed %d date %s", *m.Killed, *m.Date)
	}
	k := Merge([]article.Event{moscow, kerman, backRef})[1]
	if len(k.ClaimedBy) != 1 {
		t.Errorf("back reference not merged into the latest: %+v", k)
	}

	same := []struct {
		name string
		a, b article.Event
		want bool
	}{
		{"same place and date", moscow, moscowLater, true},
		{"other place", moscow, kerman, false},
		{"nothing known", backRef, newOne, false},
		{"other family", moscow, arrest, false},
	}
	for _, tc := range same {
		t.Run("same/"+tc.name, func(t *testing.T) {
			if got := SameIncident(tc.a, tc.b); got != tc.want {
				t.Errorf("SameIncident = %v, want %v", got, tc.want)
			}
		})
	}
	if Key(moscow) != Key(moscowLater) || Key(moscow) == Key(kerman) {
		t.Errorf("Key: %q %q %q", Key(moscow), Key(moscowLater), Key(kerman))
	}
}

func TestExtract(t *testing.T) {
	x := New()
	if err := x.Extract(context.Background(), &extractors.Document{}); !errors.Is(err, article.ErrInvalid) {
		t.Errorf("Extract without Out: %v", err)
	}
	pub := time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC)
	d := buildDoc(t, "Gunmen killed five people in Kerman on Wednesday.", &pub, "Kerman=place:city:IR:30.28:57.08")
	if err := x.Extract(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if len(d.Out.Events) != 1 {
		t.Fatalf("events = %+v", d.Out.Events)
	}
	e := d.Out.Events[0]
	if e.Type != article.EventShooting || *e.Date != "2024-01-03" || *e.Place != "Kerman" || *e.CountryCode != "IR" || e.Lat == nil || *e.Killed != 5 {
		t.Errorf("event = %+v", e)
	}
	if e.Confidence <= 0 || e.Confidence > 1 {
		t.Errorf("confidence %v", e.Confidence)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := x.Extract(ctx, d); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestRegistered(t *testing.T) {
	found := false
	for _, n := range extractors.Default.Names() {
		found = found || n == Name
	}
	if !found {
		t.Error("events not registered")
	}
}

func TestLink(t *testing.T) {
	a := article.Event{Type: article.EventBombing, Place: sp("Kerman"), CountryCode: sp("IR"), Date: sp("2024-01-03"), Killed: ip(84), Evidence: "x", Trigger: "blasts"}
	b := article.Event{Type: article.EventSuicideBomb, Place: sp("Kerman"), CountryCode: sp("IR"), Date: sp("2024-01"), Killed: ip(95), Evidence: "y", Trigger: "suicide bombing"}
	c := article.Event{Type: article.EventAttack, Place: sp("Moscow"), CountryCode: sp("RU"), Date: sp("2024-03-22"), Killed: ip(140), Evidence: "z", Trigger: "attack"}
	got := Link([]Report{{ArticleID: "1", Event: a}, {ArticleID: "2", Event: c}, {ArticleID: "3", Event: b}})
	if len(got) != 2 {
		t.Fatalf("incidents = %d, want 2", len(got))
	}
	k := got[0]
	if len(k.Reports) != 2 || *k.KilledMin != 84 || *k.KilledMax != 95 || k.Event.Type != article.EventSuicideBomb {
		t.Errorf("kerman = %+v", k)
	}
	if *k.Reports[0].Event.Killed != 84 || *k.Reports[1].Event.Killed != 95 {
		t.Error("reports lost their own figures")
	}
}

func TestBadOffsets(t *testing.T) {
	text := "A bomb exploded in Kirkuk on Tuesday, killing 12 people."
	d := buildDoc(t, text, nil, "Kirkuk=place:city:IQ:35.47:44.39")
	d.Sentences = []extractors.Sentence{{Start: 0, End: len(text), Tokens: []extractors.Token{{Text: "bomb", Start: 2, End: 6}, {Text: "x", Start: 50, End: 999}}}, {Start: 40, End: 9999}}
	d.Mentions = append(d.Mentions, extractors.Mention{Text: "nowhere", Kind: article.KindPlace, Start: 500, End: 507, Sentence: 7})
	d.Mentions[0].Sentence = 3 // wrong index: placed by offset instead
	evs := Find(d)
	if len(evs) != 1 || str(evs[0].Place) != "Kirkuk" || num(evs[0].Killed) != 12 {
		t.Errorf("events = %+v", evs)
	}
}

func TestContextPlace(t *testing.T) {
	d := buildDoc(t, "Moscow police were on alert. The attack killed 15 on the metro.", nil, "Moscow=place:city:RU:55.7:37.6")
	evs := Find(d)
	if len(evs) != 1 || evs[0].Place != nil {
		t.Errorf("an actor's city in the previous sentence is not the place: %+v", evs)
	}
	d = buildDoc(t, "Police were on alert in Moscow. The attack killed 15 on the metro.", nil, "Moscow=place:city:RU:55.7:37.6")
	evs = Find(d)
	if len(evs) != 1 || str(evs[0].Place) != "Moscow" {
		t.Errorf("a locative place in the previous sentence is the place: %+v", evs)
	}
}
