package indextest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/newswire/newswire/pipeline/article"
)

// genPlace is a place the generator reports from.
type genPlace struct {
	name, cc string
	lat, lon float64
	within   []string
}

var genPlaces = []genPlace{
	{"Kabul", "AF", 34.53, 69.17, []string{"Afghanistan", "Asia"}},
	{"Jalalabad", "AF", 34.43, 70.45, []string{"Afghanistan", "Asia"}},
	{"Peshawar", "PK", 34.01, 71.58, []string{"Pakistan", "Asia"}},
	{"Quetta", "PK", 30.18, 66.98, []string{"Pakistan", "Asia"}},
	{"Baghdad", "IQ", 33.31, 44.36, []string{"Iraq", "Asia"}},
	{"Mosul", "IQ", 36.34, 43.13, []string{"Iraq", "Asia"}},
	{"Idlib", "SY", 35.93, 36.63, []string{"Syria", "Asia"}},
	{"Mogadishu", "SO", 2.05, 45.32, []string{"Somalia", "Africa"}},
	{"Maiduguri", "NG", 11.85, 13.16, []string{"Nigeria", "Africa"}},
	{"Bamako", "ML", 12.64, -8.0, []string{"Mali", "Africa"}},
	{"Paris", "FR", 48.86, 2.35, []string{"Île-de-France", "France", "Europe"}},
	{"Marseille", "FR", 43.30, 5.37, []string{"France", "Europe"}},
	{"Berlin", "DE", 52.52, 13.40, []string{"Germany", "Europe"}},
	{"Cologne", "DE", 50.94, 6.96, []string{"North Rhine-Westphalia", "Germany", "Europe"}},
	{"Brussels", "BE", 50.85, 4.35, []string{"Belgium", "Europe"}},
	{"London", "GB", 51.51, -0.13, []string{"England", "United Kingdom", "Europe"}},
	{"Manchester", "GB", 53.48, -2.24, []string{"England", "United Kingdom", "Europe"}},
	{"Vienna", "AT", 48.21, 16.37, []string{"Austria", "Europe"}},
	{"Istanbul", "TR", 41.01, 28.98, []string{"Turkey", "Europe"}},
	{"Moscow", "RU", 55.76, 37.62, []string{"Russia", "Europe"}},
}

// The generator's invented groups (canonical name, alias).
var genGroups = [][2]string{
	{"Northern Liberation Front", "NLF"}, {"Crescent Brigade", "CB"}, {"Eastern Jihad Council", "EJC"},
	{"Movement of the Faithful", "MOF"}, {"Red Dawn Cells", "RDC"}, {"Sahel Martyrs Battalion", "SMB"},
	{"Islamic State Khorasan Province", "ISKP"}, {"People's Revolutionary Army", "PRA"},
}

var (
	genFirst = []string{"Ahmad", "Maria", "Jonas", "Fatima", "Pierre", "Aisha", "Oleg", "Sarah", "Hamid", "Lena",
		"Yusuf", "Claire", "Omar", "Ingrid", "Tariq", "Nadia", "Karim", "Julia", "Bashir", "Elena"}
	genLast = []string{"Karimi", "Schneider", "Dubois", "Rahman", "Novak", "Haddad", "Lindqvist", "Mensah", "Petrov",
		"Okafor", "Moreau", "Yilmaz", "Hassan", "Weber", "Costa", "Nazari", "Brennan", "Sokolova", "Diallo", "Fischer"}
	genRoles = []string{"police spokesman", "interior minister", "local governor", "hospital director", "witness",
		"prosecutor", "security analyst", "mayor", "army spokeswoman", "shopkeeper"}
	genSources = []string{"example.org", "news.example.com", "wire.example.net", "daily.example.co.uk",
		"zeitung.example.de", "journal.example.fr", "post.example.com", "herald.example.org"}
	// genFiller is ordinary news vocabulary; the generator draws from it
	// with a Zipf distribution, as words occur in text.
	genFiller = strings.Fields(`officials said the security forces were on high alert after the incident near the
		central market and local residents described scenes of panic as emergency services arrived within minutes
		authorities closed roads around the area while investigators collected evidence at the site and hospitals
		called for blood donors the government condemned the violence and promised a full investigation into how
		the suspects had entered the city despite checkpoints a curfew was imposed for the night and schools will remain
		closed on Tuesday according to a statement from the ministry diplomats from several countries expressed
		condolences and offered assistance while analysts warned that attacks of this kind had become more frequent
		over the past year with militants exploiting weak border controls and divided command structures residents
		said they had heard gunfire for nearly an hour before police regained control the region has seen repeated
		clashes between rival factions and the army since the ceasefire collapsed in the spring prices of bread and
		fuel have risen sharply while aid agencies struggle to reach displaced families in camps outside town`)
)

// eventWords are how the generator tells each event type.
var eventWords = map[string][2]string{
	article.EventBombing:       {"bomb", "A car bomb exploded near %s"},
	article.EventSuicideBomb:   {"suicide bomber", "A suicide bomber blew himself up at a checkpoint in %s"},
	article.EventShooting:      {"gunmen", "Gunmen opened fire on a crowd in %s"},
	article.EventStabbing:      {"knife", "A man attacked passers-by with a knife in %s"},
	article.EventHostageTaking: {"hostages", "Armed men took hostages inside a hotel in %s"},
	article.EventKidnapping:    {"kidnapped", "Aid workers were kidnapped on a road outside %s"},
	article.EventArrest:        {"arrested", "Police arrested several suspects in %s"},
	article.EventRaid:          {"raid", "Special forces carried out a raid on a house in %s"},
	article.EventFoiledPlot:    {"plot", "Investigators said they had foiled a plot to attack a festival in %s"},
	article.EventAirStrike:     {"air strike", "An air strike hit a compound on the edge of %s"},
	article.EventThreatLevel:   {"threat level", "The authorities raised the threat level in %s"},
	article.EventWarning:       {"warned", "Officials warned of a heightened risk of attacks in %s"},
	article.EventAttack:        {"attack", "Militants stormed a police post in %s"},
}

// Generate returns n realistic enriched articles for benchmarks, invented by
// a deterministic generator: the same n and seed give the same articles.
// Each has an ID, URL, source, language, a publication date in 2023-2024
// (one in forty undated), a title and 300-700 words of text, 1-4 people, 0-2
// groups, 1-3 places with coordinates and containing places, and 0-3
// events with dates, places and tolls, all consistent with the text.
func Generate(n int, seed uint64) []*article.Enriched {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(genFiller)-1))
	out := make([]*article.Enriched, 0, n)
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		source := genSources[r.IntN(len(genSources))]
		id := fmt.Sprintf("gen-%d-%06d", seed, i)
		pub := start.Add(time.Duration(r.Int64N(int64(730 * 24 * time.Hour))))
		a := article.Article{
			SchemaVersion: article.SchemaVersion, ID: id, URL: "https://" + source + "/news/" + id,
			CanonicalURL: "https://" + source + "/news/" + id, Source: source, Language: "en",
			Fetched: pub.Add(time.Duration(r.IntN(48)) * time.Hour),
		}
		if r.IntN(40) != 0 {
			p := pub
			a.Published = &p
		}
		if r.IntN(10) == 0 {
			a.Language = "de"
		}
		doc := &article.Enriched{Article: a}

		// Places: a main one and up to two others.
		for _, pi := range r.Perm(len(genPlaces))[:1+r.IntN(3)] {
			gp := genPlaces[pi]
			doc.Places = append(doc.Places, article.Place{
				ID: "geo:" + strings.ToLower(gp.name), Name: gp.name, CountryCode: gp.cc, Lat: ptr(gp.lat), Lon: ptr(gp.lon),
				Kind: "city", Within: gp.within, Mentions: 1 + r.IntN(4),
			})
		}
		for range 1 + r.IntN(4) {
			name := genFirst[r.IntN(len(genFirst))] + " " + genLast[r.IntN(len(genLast))]
			if !hasEntity(doc.People, name) {
				doc.People = append(doc.People, article.Entity{ID: "person:" + strings.ToLower(strings.ReplaceAll(name, " ", "-")),
					Name: name, Mentions: 1 + r.IntN(3), Roles: []string{genRoles[r.IntN(len(genRoles))]}})
			}
		}
		for range r.IntN(3) {
			g := genGroups[r.IntN(len(genGroups))]
			if !hasEntity(doc.Groups, g[0]) {
				doc.Groups = append(doc.Groups, article.Entity{ID: "kb:" + strings.ToLower(g[1]), Name: g[0], Aliases: []string{g[1]},
					Mentions: 1 + r.IntN(3), Kind: "militant"})
			}
		}
		var sentences []string
		main := doc.Places[0]
		for k := range r.IntN(4) {
			typ := article.EventTypes[r.IntN(len(article.EventTypes))]
			words := eventWords[typ]
			place := doc.Places[r.IntN(len(doc.Places))]
			ev := article.Event{ID: fmt.Sprintf("%s-e%d", id, k+1), Type: typ, Trigger: words[0], Place: ptr(place.Name),
				CountryCode: ptr(place.CountryCode), Lat: place.Lat, Lon: place.Lon, Status: "carried_out", Confidence: 0.5 + r.Float64()/2}
			s := fmt.Sprintf(words[1], place.Name)
			if a.Published != nil && r.IntN(4) != 0 {
				ev.Date = ptr(a.Published.AddDate(0, 0, -r.IntN(3)).Format("2006-01-02"))
				s += " on " + a.Published.AddDate(0, 0, -r.IntN(3)).Weekday().String()
			}
			if r.IntN(2) == 0 {
				killed, injured := r.IntN(30), r.IntN(80)
				ev.Killed, ev.Injured = ptr(killed), ptr(injured)
				s += fmt.Sprintf(", killing %d people and wounding %d", killed, injured)
			}
			if len(doc.Groups) > 0 && r.IntN(2) == 0 {
				g := doc.Groups[r.IntN(len(doc.Groups))].Name
				ev.Perpetrators, ev.ClaimedBy = []string{g}, []string{g}
				s += "; the " + g + " claimed responsibility"
			}
			ev.Evidence = s
			doc.Events = append(doc.Events, ev)
			sentences = append(sentences, s+".")
		}
		if len(doc.Events) > 0 {
			doc.Title = strings.SplitN(doc.Events[0].Evidence, ",", 2)[0]
		} else {
			doc.Title = "Tensions rise in " + main.Name + " as " + genFiller[zipf.Uint64()] + " " + genFiller[zipf.Uint64()] + " continue"
		}
		for _, p := range doc.People {
			sentences = append(sentences, fmt.Sprintf("%s, a %s in %s, said the situation remained %s.", p.Name, p.Roles[0],
				doc.Places[r.IntN(len(doc.Places))].Name, []string{"tense", "calm", "unclear", "under control"}[r.IntN(4)]))
		}
		for _, g := range doc.Groups {
			sentences = append(sentences, fmt.Sprintf("The %s, also known as %s, has been active in the region for years.", g.Name, g.Aliases[0]))
		}
		for words := 300 + r.IntN(400); words > 0; {
			l := 8 + r.IntN(18)
			ws := make([]string, l)
			for j := range ws {
				ws[j] = genFiller[zipf.Uint64()]
			}
			ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
			sentences = append(sentences, strings.Join(ws, " ")+".")
			words -= l
		}
		r.Shuffle(len(sentences)-len(doc.Events), func(x, y int) {
			x, y = x+len(doc.Events), y+len(doc.Events)
			sentences[x], sentences[y] = sentences[y], sentences[x]
		})
		doc.Text = strings.Join(sentences, " ")
		doc.ContentHash = article.HashText(doc.Text)
		out = append(out, doc)
	}
	return out
}

func hasEntity(es []article.Entity, name string) bool {
	for _, e := range es {
		if e.Name == name {
			return true
		}
	}
	return false
}
