package events

import (
	"strings"
	"testing"
	"time"
)

// TestRoundTwoTriggers covers the trigger rules added in the second round:
// the IED spelled out and accidental explosions.
func TestRoundTwoTriggers(t *testing.T) {
	tests := []struct {
		name, sentence string
		want           []string // "type/subtype:words"
	}{
		{"ied spelled out", "An improvised explosive device struck a patrol.", []string{"bombing/:improvised explosive device"}},
		{"explosive devices", "Two explosive devices went off near the gate.", []string{"bombing/:explosive devices"}},
		{"ied abbreviation", "An IED wounded four soldiers.", []string{"bombing/:IED"}},
		{"gas explosion", "A gas explosion tore through the bakery.", nil},
		{"chemical plant blast", "The blast at the chemical plant was heard for miles.", nil},
		{"accident said", "Investigators said the explosion was an accident.", nil},
		{"accident words but a bomb", "Police ruled out an accident: a bomb caused the explosion.", []string{"bombing/:bomb", "bombing/:explosion"}},
		{"unexploded bomb", "Engineers defused an unexploded bomb from the war.", nil},
		{"plain explosion", "An explosion hit the bus station.", []string{"bombing/:explosion"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, tr := range detectTriggers(splitSentences(tc.sentence)[0]) {
				got = append(got, tr.Type+"/"+tr.Subtype+":"+tr.Words)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("triggers = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRoundTwoStatus(t *testing.T) {
	tests := []struct{ name, sentence, want string }{
		{"preparations", "The men had made preparations to strike a festival.", "planned"},
		{"plotting", "The pair were plotting an attack on a synagogue.", "planned"},
		{"planning", "She was planning a bombing of the harbour.", "planned"},
		{"plan noun is no status", "A drone strike killed an official who helped plan attacks abroad.", "carried_out"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := statusOf(splitSentences(tc.sentence)[0]); got != tc.want {
				t.Errorf("statusOf = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRoundTwoCasualties(t *testing.T) {
	tests := []struct {
		name, sentence string
		killed, inj    int // -1: none
	}{
		{"number killed risen", "The number of people killed in the market bombing has risen to 23, the governor said.", 23, -1},
		{"toll rises headline", "Death toll from harbour blast rises to 31", 31, -1},
		{"number injured climbed", "The number of injured climbed to 48 overnight.", -1, 48},
		{"risen beats earlier", "The toll has risen to 17 from nine dead reported earlier.", 17, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, i := Casualties(tc.sentence)
			gotK, gotI := -1, -1
			if k != nil {
				gotK = k.Value
			}
			if i != nil {
				gotI = i.Value
			}
			if gotK != tc.killed || gotI != tc.inj {
				t.Errorf("killed, injured = %d, %d; want %d, %d", gotK, gotI, tc.killed, tc.inj)
			}
		})
	}
}

// TestRoundTwoEvents runs whole documents through Find for the argument and
// status rules of the second round.
func TestRoundTwoEvents(t *testing.T) {
	pub := time.Date(2024, 5, 20, 12, 0, 0, 0, time.UTC)
	type want struct{ typ, place, status string }
	tests := []struct {
		name string
		text string
		ents []ent
		want []want
	}{
		{"ied with toll", "An improvised explosive device killed three soldiers near Kandahar on Sunday.",
			[]ent{"Kandahar=place:city:AF:31.6:65.7"}, []want{{"bombing", "Kandahar", "carried_out"}}},
		{"gas explosion is no event", "A gas explosion killed four people in a block of flats in Lodz on Sunday.",
			[]ent{"Lodz=place:city:PL:51.76:19.46"}, nil},
		{"arrest for preparations is a foiled plot", "Two men were detained in Hamburg on Friday, accused of making preparations to attack a stadium in Oslo.",
			[]ent{"Hamburg=place:city:DE:53.55:9.99", "Oslo=place:city:NO:59.91:10.75"},
			[]want{{"foiled_plot", "Oslo", "foiled"}, {"arrest", "Hamburg", "carried_out"}}},
		{"threat level in the changing country", "After the Rotterdam shooting, Belgium raised its terror threat level on Saturday.",
			[]ent{"Rotterdam=place:city:NL:51.92:4.48", "Belgium=place:country:BE:50.5:4.47"},
			[]want{{"shooting", "Rotterdam", "carried_out"}, {"threat_level_change", "Belgium", ""}}},
		{"threat level in", "Officials raised the terror threat level in Norway to its highest after the Copenhagen shooting.",
			[]ent{"Norway=place:country:NO:60.5:8.5", "Copenhagen=place:city:DK:55.68:12.57"},
			[]want{{"shooting", "Copenhagen", "carried_out"}, {"threat_level_change", "Norway", ""}}},
		{"actor country is not the place", "A U.S. drone strike killed two militants on Monday, officials said.",
			[]ent{"U.S.=place:country:US:38:-97"}, []want{{"air_strike", "", "carried_out"}}},
		{"modal place is not the place", "The attacks might encourage copycats to strike in Spain, the minister said on Monday.",
			[]ent{"Spain=place:country:ES:40:-4"}, nil},
		{"generic plan", "The commander helped plan attacks outside the region.", nil, nil},
		{"unlocated event keeps no other incident's place", "Police raided a flat in Lyon on Monday. The explosion killed two people, officials said.\n\nA separate paragraph.",
			[]ent{"Lyon=place:city:FR:45.76:4.84"}, []want{{"raid", "Lyon", "carried_out"}, {"bombing", "", "carried_out"}}},
		{"unlocated event takes its own story's place", "A bomb exploded at a bus stop in Lyon on Monday. The explosion killed two people, officials said.",
			[]ent{"Lyon=place:city:FR:45.76:4.84"}, []want{{"bombing", "Lyon", "carried_out"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs := Find(buildDoc(t, tc.text, &pub, tc.ents...))
			var got, exp []string
			for _, e := range evs {
				got = append(got, e.Type+"@"+str(e.Place)+"/"+e.Status)
			}
			for _, w := range tc.want {
				exp = append(exp, w.typ+"@"+w.place+"/"+w.status)
			}
			if strings.Join(got, "|") != strings.Join(exp, "|") {
				t.Errorf("events = %q, want %q", got, exp)
			}
		})
	}
}
