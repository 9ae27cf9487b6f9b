package events

import (
	"strings"
	"testing"
	"time"

	"github.com/newswire/newswire/extractors/nlp"
	"github.com/newswire/newswire/pipeline/article"
)

// TestRoundThree covers the misses fixed in the third round, with sentences
// written for this test: a capitalised headline noun taken for a group, "gunned
// down", and an arrest placed in a country named in another clause.
func TestRoundThree(t *testing.T) {
	an, err := nlp.New()
	if err != nil {
		t.Fatal(err)
	}
	pub := time.Date(2024, 9, 12, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, text string
		ents       []ent
		want       string // "type place perpetrators", one per event, "|" between
	}{
		{"death headline word is no group", "Death toll climbs after Crimson Front attack on wedding in Kasra",
			[]ent{"Death=group:", "Crimson Front=group:militant", "Kasra=place:city:IQ:33.1:44.2"}, "attack Kasra Crimson Front"},
		{"death before the trigger", "Death returned to Tarnow on Sunday as a bomb exploded beside the tram depot, killing four.",
			[]ent{"Death=group:", "Tarnow=place:city:PL:50.0:21.0"}, "bombing Tarnow -"},
		{"a real group is still the perpetrator", "Terror returned to Kasra when the Crimson Front bombed a market.",
			[]ent{"Terror=group:", "Crimson Front=group:militant", "Kasra=place:city:IQ:33.1:44.2"}, "bombing Kasra Crimson Front"},
		{"gunned down passive", "A shopkeeper was gunned down outside his store in Velden on Tuesday.",
			[]ent{"Velden=place:city:NL:51.4:6.2"}, "shooting Velden -"},
		{"gunned down active", "Masked men gunned down two guards at a bank in Ostrava.",
			[]ent{"Ostrava=place:city:CZ:49.8:18.3"}, "shooting Ostrava Masked men"},
		{"gun down present", "Witnesses saw the attackers gun down a driver near the Lenwick toll plaza.",
			[]ent{"Lenwick=place:city:GB:52.0:-1.0"}, "shooting Lenwick the attackers"},
		{"arrest place before, origin after", "Police in Germany arrested two men from Ruritania in July.",
			[]ent{"Germany=place:country:DE:51.0:10.0", "Ruritania=place:country:RT:45.0:25.0"}, "arrest Germany police"},
		{"arrest place with article", "Police in the Netherlands detained three suspects from Ruritania on Monday.",
			[]ent{"Netherlands=place:country:NL:52.1:5.3", "Ruritania=place:country:RT:45.0:25.0"}, "arrest Netherlands police"},
		{"origin in a relative clause", "Officers in France detained a woman who had travelled from Syria last week.",
			[]ent{"France=place:country:FR:46.6:2.4", "Syria=place:country:SY:35.0:38.0"}, "arrest France -"},
		{"origins in a list", "Police in Spain arrested four men from Ruritania, Freedonia and Sylvania on Monday.",
			[]ent{"Spain=place:country:ES:40.4:-3.7", "Ruritania=place:country:RT:45.0:25.0", "Freedonia=place:country:FD:44.0:20.0", "Sylvania=place:country:SV:43.0:21.0"},
			"arrest Spain police"},
		{"origin only", "Border guards arrested a courier from Ruritania on Friday.",
			[]ent{"Ruritania=place:country:RT:45.0:25.0"}, "arrest Ruritania -"},
		{"actor country still whose", "A Ruritanian air strike hit a depot in Velden.",
			[]ent{"Ruritanian=place:country:RT:45.0:25.0", "Velden=place:city:NL:51.4:6.2"}, "air_strike Velden -"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := buildTagged(t, an, tc.text, &pub, tc.ents...)
			var got []string
			for _, e := range Find(d) {
				p := "-"
				if len(e.Perpetrators) > 0 {
					p = strings.Join(e.Perpetrators, ",")
				}
				got = append(got, e.Type+" "+str(e.Place)+" "+p)
			}
			if g := strings.Join(got, "|"); g != tc.want {
				t.Errorf("events = %q, want %q", g, tc.want)
			}
		})
	}
}

// TestSameIncidentBranches: across articles, a group and a branch named by
// extending its name do not contradict; other names still do.
func TestSameIncidentBranches(t *testing.T) {
	ev := func(killed int, perps ...string) article.Event {
		return article.Event{Type: article.EventSuicideBomb, Place: sp("Ruritown"), CountryCode: sp("RT"), Killed: ip(killed),
			Perpetrators: perps, Evidence: "x", Trigger: "suicide bombing"}
	}
	tests := []struct {
		name string
		a, b article.Event
		want bool
	}{
		{"group and branch", ev(90, "Crimson Front"), ev(103, "Crimson Front Northern Brigade"), true},
		{"branch and group", ev(90, "Crimson Front Northern Brigade"), ev(103, "Crimson Front"), true},
		{"hyphenated branch", ev(90, "CFN"), ev(103, "CFN-K"), true},
		{"other case", ev(90, "crimson front"), ev(103, "Crimson Front"), true},
		{"other group", ev(90, "Crimson Front"), ev(103, "Crimson Guard"), false},
		{"name inside a word", ev(90, "Crimson Front"), ev(103, "Crimson Frontier Army"), false},
		{"short names", ev(90, "CF"), ev(103, "CF Army"), false},
		{"description never contradicts", ev(90, "Crimson Front"), ev(103, "a suicide bomber"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SameIncident(tt.a, tt.b); got != tt.want {
				t.Errorf("SameIncident = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("linked with both tolls", func(t *testing.T) {
		inc := Link([]Report{{ArticleID: "1", Event: ev(90, "Crimson Front")}, {ArticleID: "2", Event: ev(103, "Crimson Front Northern Brigade")}})
		if len(inc) != 1 || *inc[0].KilledMin != 90 || *inc[0].KilledMax != 103 {
			t.Errorf("incidents = %+v", inc)
		}
	})
}
