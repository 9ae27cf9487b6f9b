package places

import (
	"context"
	"strings"
	"testing"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/pipeline/article"
)

// extractPlaces runs the extractor on a marked text and returns its places
// by name.
func extractPlaces(t *testing.T, marked string) map[string]article.Place {
	t.Helper()
	d := doc(marked)
	if err := New(gazetteer(t)).Extract(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	out := map[string]article.Place{}
	for _, p := range d.Out.Places {
		out[p.Name] = p
	}
	return out
}

func TestRegions(t *testing.T) {
	tests := []struct {
		name, text string
		place, id  string
		cc, within string
		alias      string
	}{
		{"indian state", "Floods hit [[Maharashtra]] on Monday.", "Maharashtra", "admin:IN-MH", "IN", "India", ""},
		{"governorate without article", "Fighting spread across [[Anbar]].", "Anbar", "admin:IQ-AN", "IQ", "Iraq", "Anbar"},
		{"governorate with article", "Tribal leaders in [[Al Anbar]] met.", "Anbar", "admin:IQ-AN", "IQ", "Middle East", "Al Anbar"},
		{"governorate with province", "Troops entered [[Anbar province]] at dawn.", "Anbar", "admin:IQ-AN", "IQ", "Iraq", "Anbar province"},
		{"english name of a land", "Police in [[Bavaria]] said the van was found.", "Bavaria", "admin:DE-BY", "DE", "Europe", ""},
		{"local name of a land", "Die Polizei in [[Bayern]] ermittelt.", "Bavaria", "admin:DE-BY", "DE", "Germany", "Bayern"},
		{"pakistani province", "A blast in [[Khyber Pakhtunkhwa]] killed four.", "Khyber Pakhtunkhwa", "admin:PK-KP", "PK", "Pakistan", ""},
		{"punjab in pakistan", "Rains flooded [[Punjab]], the province around [[Lahore]].", "Punjab", "admin:PK-PB", "PK", "Pakistan", ""},
		{"punjab in india", "Farmers from [[Punjab]] marched to [[Amritsar]] and [[New Delhi]].", "Punjab", "admin:IN-PB", "IN", "India", ""},
		{"province beats a foreign town", "Voters in [[Ontario]] went to the polls.", "Ontario", "admin:CA-ON", "CA", "Canada", ""},
		{"chinese province", "An earthquake struck [[Sichuan]].", "Sichuan", "admin:CN-SC", "CN", "China", ""},
		{"oblast", "Shelling hit [[Kherson Oblast]] overnight.", "Kherson Oblast", "admin:UA-65", "UA", "Ukraine", ""},
		{"oblast as region", "Shelling hit the [[Kherson region]] overnight.", "Kherson Oblast", "admin:UA-65", "UA", "Ukraine", "Kherson region"},
		{"region word after the name", "Shelling hit the [[Kherson]] region overnight.", "Kherson Oblast", "admin:UA-65", "UA", "Ukraine", "Kherson"},
		{"the city keeps its name", "Shelling hit the centre of [[Kherson]] overnight.", "Kherson", "geonames:706448", "UA", "Ukraine", ""},
		{"city before province", "A bomb went off in [[Kabul]].", "Kabul", "geonames:1138958", "AF", "Afghanistan", ""},
		{"province when said", "A bomb went off in [[Kabul]] province.", "Kabul", "admin:AF-KAB", "AF", "Afghanistan", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := extractPlaces(t, tt.text)
			p, ok := got[tt.place]
			if !ok {
				t.Fatalf("no place %q in %+v", tt.place, got)
			}
			if p.ID != tt.id || p.CountryCode != tt.cc {
				t.Errorf("%q = %s %s, want %s %s", tt.place, p.ID, p.CountryCode, tt.id, tt.cc)
			}
			if !contains(p.Within, tt.within) {
				t.Errorf("%q within %v, want %q in it", tt.place, p.Within, tt.within)
			}
			if tt.alias != "" && !contains(p.Aliases, tt.alias) && p.Name != tt.alias {
				t.Errorf("%q aliases %q lack %q", tt.place, p.Aliases, tt.alias)
			}
			if p.Kind == KindAdmin && strings.HasPrefix(p.ID, "admin:") && tt.cc != "US" && (p.Lat != nil || p.Lon != nil) {
				t.Errorf("%q: coordinates %v %v invented for a subdivision", tt.place, p.Lat, p.Lon)
			}
		})
	}
}

func TestRegionContainment(t *testing.T) {
	g := gazetteer(t)
	tests := []struct {
		container, place string
		want             bool
	}{
		{"India", "Maharashtra", true},
		{"Asia", "Maharashtra", true},
		{"Iraq", "Anbar", true},
		{"Middle East", "Nineveh", true},
		{"Germany", "Bavaria", true},
		{"Europe", "Bavaria", true},
		{"Pakistan", "Khyber Pakhtunkhwa", true},
		{"Ukraine", "Kherson Oblast", true},
		{"France", "Bavaria", false},
	}
	for _, tt := range tests {
		t.Run(tt.container+"/"+tt.place, func(t *testing.T) {
			if got := g.Contains(tt.container, tt.place); got != tt.want {
				t.Errorf("Contains(%q, %q) = %v, want %v", tt.container, tt.place, got, tt.want)
			}
		})
	}
}

func TestRegionForms(t *testing.T) {
	tests := []struct {
		data string
		want []string // the display name first, then forms that must be there
	}{
		{"Al Anbār", []string{"Al Anbar", "Al Anbār", "Anbar"}},
		{"Khersonska oblast", []string{"Khersonska oblast", "Khersonska"}},
		{"Kherson Oblast", []string{"Kherson Oblast", "Kherson"}},
		{"Valencia/València", []string{"Valencia", "València"}},
		{"Republic of Adygea", []string{"Republic of Adygea", "Adygea"}},
		{"Bristol, City of", []string{"Bristol"}},
		{"Chagang-do (Chagang Province)", []string{"Chagang-do"}},
		{"Karbalā'", []string{"Karbala", "Karbalā"}},
		{"Northern Province", []string{"Northern Province"}},
		{"Chukotka Autonomous Okrug", []string{"Chukotka Autonomous Okrug", "Chukotka"}},
	}
	for _, tt := range tests {
		t.Run(tt.data, func(t *testing.T) {
			got := regionForms(tt.data)
			if got[0] != tt.want[0] {
				t.Errorf("regionForms(%q)[0] = %q, want %q", tt.data, got[0], tt.want[0])
			}
			for _, w := range tt.want[1:] {
				if !contains(got, w) {
					t.Errorf("regionForms(%q) = %q, lacks %q", tt.data, got, w)
				}
			}
			if tt.data == "Northern Province" && contains(got, "Northern") {
				t.Errorf("regionForms(%q) = %q: a generic word stands alone", tt.data, got)
			}
		})
	}
}

func TestDisambiguation(t *testing.T) {
	tests := []struct {
		name, text, place, cc, within string
	}{
		{"paris with france", "Ministers from [[France]] met in [[Paris]].", "Paris", "FR", "France"},
		{"paris with texas", "The storm crossed [[Texas]] and flattened barns near [[Paris]].", "Paris", "US", "Texas"},
		{"paris with a texas city", "Roads from [[Dallas]] to [[Paris]] were closed by the flood.", "Paris", "US", "Texas"},
		{"paris alone", "The talks in [[Paris]] ended.", "Paris", "FR", "France"},
		{"georgia with tbilisi", "Protesters filled the streets of [[Tbilisi]] as [[Georgia]] voted.", "Georgia", "GE", "Asia"},
		{"georgia with atlanta", "Polls closed in [[Atlanta]] as [[Georgia]] counted its ballots.", "Georgia", "US", "United States"},
		{"valencia with madrid", "Trains from [[Madrid]] to [[Valencia]] were cancelled.", "Valencia", "ES", "Spain"},
		{"valencia with spain", "Floods in [[Valencia]] were the worst [[Spain]] has seen.", "Valencia", "ES", "Spain"},
		{"valencia with caracas", "Blackouts hit [[Caracas]] and [[Valencia]] again.", "Valencia", "VE", "Venezuela"},
		{"hyderabad with mumbai", "Flights from [[Mumbai]] to [[Hyderabad]] resumed.", "Hyderabad", "IN", "India"},
		{"hyderabad with karachi", "The highway from [[Karachi]] to [[Hyderabad]] was blocked.", "Hyderabad", "PK", "Pakistan"},
		{"hyderabad with pakistan", "Police in [[Hyderabad]] said [[Pakistan]] would investigate.", "Hyderabad", "PK", "Pakistan"},
		{"tripoli with libya", "Militias clashed in [[Tripoli]], the capital of [[Libya]].", "Tripoli", "LY", "Libya"},
		{"tripoli with beirut", "The army moved units from [[Beirut]] to [[Tripoli]].", "Tripoli", "LB", "Lebanon"},
		{"facility named after its city", "A man was held at [[Cologne Cathedral]] as police searched [[Vienna]].", "Cologne Cathedral", "DE", "Cologne"},
		{"gaza the city", "Air strikes hit [[Gaza]] overnight.", "Gaza", "PS", "Palestine"},
		{"washington the capital", "Officials in [[Washington]] said talks would resume.", "Washington, D.C.", "US", "United States"},
		{"washington the state", "Wildfires spread across [[Washington]] state.", "Washington", "US", "United States"},
		{"tripoli with a dateline", "BEIRUT (Wire) — Gunfire was heard in [[Tripoli]] overnight.", "Tripoli", "LB", "Lebanon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := extractPlaces(t, tt.text)
			p, ok := got[tt.place]
			if !ok {
				t.Fatalf("no place %q in %+v", tt.place, got)
			}
			if p.CountryCode != tt.cc || !contains(p.Within, tt.within) {
				t.Errorf("%q = %s within %v, want %s within %q", tt.place, p.CountryCode, p.Within, tt.cc, tt.within)
			}
		})
	}
}

func TestLookAlikes(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // place names, sorted, "|"-joined
	}{
		{"police at a sentence start", "[[Police]] said two men were held.", ""},
		{"police after a title", "The chief of [[Police]] resigned.", ""},
		{"nice as a word", "It was a [[Nice]] day for it.", ""},
		{"nice as a place", "A truck drove into the crowd in [[Nice]].", "Nice"},
		{"reading as a place", "He was stabbed in a park in [[Reading]].", "Reading"},
		{"chad as a first name", "Chad Miller told reporters he would stay.", ""},
		{"chad as a first name in a place span", "[[Chad Miller]], a spokesman, said he would stay.", ""},
		{"chad basin stays a place", "Drought hit the [[Chad Basin]].", "Chad Basin"},
		{"chad the country", "Troops withdrew from Chad last year.", "Chad"},
		{"jordan as a first name", "Jordan Peterson spoke in Toronto.", "Toronto"},
		{"turkey the bird", "They ate a turkey dinner.", ""},
		{"turkey the country", "Officials in Turkey denied it.", "Turkey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := extractPlaces(t, tt.text)
			var names []string
			for n, p := range got {
				if p.CountryCode == "PL" {
					t.Errorf("%q became a Polish place", n)
				}
				names = append(names, n)
			}
			sortStrings(names)
			if s := strings.Join(names, "|"); s != tt.want {
				t.Errorf("places %q, want %q", s, tt.want)
			}
		})
	}
}

func TestDemonyms(t *testing.T) {
	tests := []struct {
		name, text, place, raw string
	}{
		{"german prosecutors", "German prosecutors charged the man.", "Germany", "German"},
		{"austrian government", "The Austrian government denied it.", "Austria", "Austrian"},
		{"british police", "British police arrested two.", "United Kingdom", "British"},
		{"french not a territory", "French police arrested two.", "France", "French"},
		{"indian not a territory", "Indian troops moved in.", "India", "Indian"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := extractPlaces(t, tt.text)
			p, ok := got[tt.place]
			if !ok {
				t.Fatalf("no place %q in %+v", tt.place, got)
			}
			if !contains(p.Aliases, tt.raw) {
				t.Errorf("%q aliases %q lack the raw %q", tt.place, p.Aliases, tt.raw)
			}
		})
	}
}

func sortStrings(xs []string) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

func TestNotGroups(t *testing.T) {
	x := New(gazetteer(t))
	tests := []struct {
		name      string
		text      string
		kind      article.EntityKind
		entity    string
		wantPlace string // "" for none
		person    string // a person that must be there
	}{
		{"plural demonym group", "Two Austrians were hurt.", article.KindGroup, "Austrians", "", ""},
		{"singular demonym group", "German prosecutors charged him.", article.KindGroup, "German", "Germany", ""},
		{"demonym person", "Iraqi officials denied it.", article.KindPerson, "Iraqi", "Iraq", ""},
		{"hyphenated demonyms", "A Belgian-Moroccan was held.", article.KindPerson, "Belgian-Moroccan", "", ""},
		{"region adjective", "Central Asian recruits joined.", article.KindGroup, "Central Asian", "", ""},
		{"given name in a place span", "Chad Miller, a spokesman, said so.", article.KindPlace, "Chad Miller", "", "Chad Miller"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := doc(tt.text)
			i := strings.Index(d.Text, tt.entity)
			id := string(tt.kind) + ":" + strings.ToLower(tt.entity)
			d.Mentions = append(d.Mentions, extractors.Mention{Text: tt.entity, Kind: tt.kind, Start: i, End: i + len(tt.entity), EntityID: id})
			e := article.Entity{ID: id, Name: tt.entity, Mentions: 1}
			switch tt.kind {
			case article.KindGroup:
				d.Out.Groups = append(d.Out.Groups, e)
			case article.KindPerson:
				d.Out.People = append(d.Out.People, e)
			}
			if err := x.Extract(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			for _, g := range append(d.Out.Groups, d.Out.People...) {
				if g.Name == tt.entity && g.Name != tt.person {
					t.Errorf("%q stayed an entity: %+v", tt.entity, g)
				}
			}
			var places []string
			for _, p := range d.Out.Places {
				places = append(places, p.Name)
			}
			if got := strings.Join(places, "|"); got != tt.wantPlace {
				t.Errorf("places %q, want %q", got, tt.wantPlace)
			}
			if tt.person != "" {
				found := false
				for _, p := range d.Out.People {
					found = found || p.Name == tt.person
				}
				if !found {
					t.Errorf("no person %q in %+v", tt.person, d.Out.People)
				}
			}
		})
	}
}

func TestReconcileKeepsEntities(t *testing.T) {
	x := New(gazetteer(t))
	tests := []struct {
		name, text string
		kind       article.EntityKind
		entity     string
	}{
		{"acronym of an office", "The GAO said the bid was flawed.", article.KindGroup, "GAO"},
		{"car model named like a state", "Sales of the Durango fell.", article.KindGroup, "Durango"},
		{"airline named after a country", "China Eastern ordered jets.", article.KindPlace, "China Eastern"},
		{"place before a weekday", "Markets in Asia Monday fell.", article.KindPlace, "Asia Monday"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := doc(tt.text)
			i := strings.Index(d.Text, tt.entity)
			id := string(tt.kind) + ":" + strings.ToLower(tt.entity)
			d.Mentions = append(d.Mentions, extractors.Mention{Text: tt.entity, Kind: tt.kind, Start: i, End: i + len(tt.entity), EntityID: id})
			if tt.kind == article.KindGroup {
				d.Out.Groups = append(d.Out.Groups, article.Entity{ID: id, Name: tt.entity, Mentions: 1})
			}
			if err := x.Extract(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			if len(d.Out.People) > 0 {
				t.Errorf("became a person: %+v", d.Out.People)
			}
			if tt.kind == article.KindGroup && len(d.Out.Groups) != 1 {
				t.Errorf("group lost: groups %+v, places %+v", d.Out.Groups, d.Out.Places)
			}
		})
	}
}
