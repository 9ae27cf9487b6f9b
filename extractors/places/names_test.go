package places

import (
	"context"
	"strings"
	"testing"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/pipeline/article"
)

func TestEnglishNames(t *testing.T) {
	g := gazetteer(t)
	tests := []struct {
		in, name, cc, alias string
	}{
		{"Köln", "Cologne", "DE", "Köln"},
		{"Cologne", "Cologne", "DE", "Köln"},
		{"Kandahār", "Kandahar", "AF", "Kandahār"},
		{"Kandahar", "Kandahar", "AF", "Kandahār"},
		{"Türkiye", "Turkey", "TR", "Türkiye"},
		{"St Petersburg", "Saint Petersburg", "RU", ""},
		{"St. Petersburg", "Saint Petersburg", "RU", ""},
		{"Zurich", "Zurich", "CH", "Zürich"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, ok := g.Lookup(tt.in)
			if !ok {
				t.Fatalf("Lookup(%q) found nothing", tt.in)
			}
			if e.Name != tt.name || e.CountryCode != tt.cc {
				t.Errorf("Lookup(%q) = %q %s, want %q %s", tt.in, e.Name, e.CountryCode, tt.name, tt.cc)
			}
			if tt.alias != "" && !contains(e.Aliases, tt.alias) {
				t.Errorf("Lookup(%q): aliases %q lack %q", tt.in, e.Aliases, tt.alias)
			}
		})
	}
	if !g.Contains("Europe", "Köln") {
		t.Error("Europe does not contain Köln")
	}
}

func TestNotPlaces(t *testing.T) {
	x := New(gazetteer(t))
	tests := []struct {
		name string
		text string
		want string // place names, "|"-joined
	}{
		{"holiday", "Attacks over [[New Year]] in [[Kandahār]].", "Kandahar"},
		{"currency", "It cost [[US$]] 5 billion.", ""},
		{"demonym Kyrgyz", "Two [[Kyrgyz]] citizens were held.", "Kyrgyzstan"},
		{"plural demonym", "[[Westerners]] were warned.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := doc(tt.text)
			if err := x.Extract(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range d.Out.Places {
				got = append(got, p.Name)
			}
			if strings.Join(got, "|") != tt.want {
				t.Errorf("places %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReconcile(t *testing.T) {
	x := New(gazetteer(t))
	tests := []struct {
		name           string
		people, groups []article.Entity
		mentions       []string // "kind:text:entityID"
		places         string
		keptPeople     int
		keptGroups     int
	}{
		{
			name:     "lone city taken for a person is a place",
			people:   []article.Entity{{ID: "person:paris", Name: "Paris"}},
			mentions: []string{"person:Paris:person:paris"},
			places:   "Paris",
		},
		{
			name:     "country taken for a group is a place",
			groups:   []article.Entity{{ID: "group:belgium", Name: "Belgium"}},
			mentions: []string{"group:Belgium:group:belgium"},
			places:   "Belgium",
		},
		{
			name:       "person with a role stays a person",
			people:     []article.Entity{{ID: "person:paris", Name: "Paris", Roles: []string{"Judge"}}},
			mentions:   []string{"person:Paris:person:paris"},
			keptPeople: 1,
		},
		{
			name:       "full name stays a person",
			people:     []article.Entity{{ID: "person:jordan-vale", Name: "Jordan Vale", Aliases: []string{"Jordan"}}},
			mentions:   []string{"person:Jordan Vale:person:jordan-vale", "person:Jordan:person:jordan-vale"},
			keptPeople: 1,
		},
		{
			name:       "KB entity stays",
			groups:     []article.Entity{{ID: "kb:taliban", Name: "Taliban"}},
			mentions:   []string{"group:Taliban:kb:taliban"},
			keptGroups: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := doc("")
			var b strings.Builder
			for _, s := range tt.mentions {
				kind, rest, _ := strings.Cut(s, ":")
				text, id, _ := strings.Cut(rest, ":")
				start := b.Len()
				b.WriteString(text + " said. ")
				d.Mentions = append(d.Mentions, extractorsMention(article.EntityKind(kind), text, id, start))
			}
			d.Text = b.String()
			d.Out.People, d.Out.Groups = tt.people, tt.groups
			if err := x.Extract(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range d.Out.Places {
				got = append(got, p.Name)
			}
			if strings.Join(got, "|") != tt.places || len(d.Out.People) != tt.keptPeople || len(d.Out.Groups) != tt.keptGroups {
				t.Errorf("places %q people %d groups %d; want %q %d %d", got, len(d.Out.People), len(d.Out.Groups), tt.places, tt.keptPeople, tt.keptGroups)
			}
		})
	}
}

func extractorsMention(kind article.EntityKind, text, id string, start int) extractors.Mention {
	return extractors.Mention{Text: text, Kind: kind, Start: start, End: start + len(text), EntityID: id}
}
