package indextest

import (
	"strings"
	"time"

	"github.com/newswire/newswire/pipeline/article"
)

func ptr[T any](v T) *T { return &v }

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// Articles returns the suite's fixture articles (written for the suite, not
// taken from any publication). IDs are "a1".."a5"; a4 has no publication
// date.
func Articles() []*article.Enriched {
	mk := func(id, source, lang, pub, title, text string) article.Article {
		a := article.Article{
			SchemaVersion: article.SchemaVersion, ID: id, URL: "https://" + source + "/" + id,
			CanonicalURL: "https://" + source + "/" + id, Source: source, Title: title, Text: text,
			Language: lang, Fetched: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC),
		}
		if pub != "" {
			a.Published = at(pub)
		}
		a.ContentHash = article.HashText(text)
		return a
	}
	iskp := article.Entity{ID: "kb:iskp", Name: "Islamic State Khorasan Province", Aliases: []string{"ISKP"}, Mentions: 2, Kind: "militant"}
	return []*article.Enriched{
		{
			Article: mk("a1", "example.org", "en", "2024-01-15T09:00:00Z",
				"Car bomb kills five in Kabul market",
				"A car bomb exploded beside a crowded market in Kabul on Monday, officials said. "+
					"Five people died and twelve were hurt. The Islamic State Khorasan Province said it carried out the attack. "+
					"Ahmad Karimi, a shopkeeper, described the blast."),
			People: []article.Entity{{ID: "person:ahmad-karimi", Name: "Ahmad Karimi", Mentions: 1}},
			Groups: []article.Entity{iskp},
			Places: []article.Place{{ID: "geo:kabul", Name: "Kabul", Kind: "city", CountryCode: "AF", Lat: ptr(34.53), Lon: ptr(69.17), Within: []string{"Afghanistan", "Asia"}}},
			Events: []article.Event{{ID: "a1-e1", Type: article.EventBombing, Date: ptr("2024-01-15"), Place: ptr("Kabul"), CountryCode: ptr("AF"),
				Lat: ptr(34.53), Lon: ptr(69.17), Perpetrators: []string{"Islamic State Khorasan Province"}, Killed: ptr(5), Injured: ptr(12),
				Evidence: "A car bomb exploded beside a crowded market", Confidence: 0.9}},
		},
		{
			Article: mk("a2", "news.example.com", "en", "2024-02-20T14:30:00Z",
				"Police arrest suspects over foiled plot in Cologne",
				"Police in Cologne arrested three men suspected of planning an attack on the Christmas market. "+
					"Investigators said the men had pledged loyalty to the Islamic State. Jane Doe, a police spokeswoman, "+
					"said the raid ended without injuries."),
			People: []article.Entity{{ID: "person:jane-doe", Name: "Jane Doe", Mentions: 1, Roles: []string{"spokeswoman"}}},
			Groups: []article.Entity{{ID: "kb:isis", Name: "Islamic State", Aliases: []string{"ISIS"}, Mentions: 1, Kind: "militant"}},
			Places: []article.Place{{ID: "geo:cologne", Name: "Cologne", Kind: "city", CountryCode: "DE", Lat: ptr(50.94), Lon: ptr(6.96),
				Within: []string{"North Rhine-Westphalia", "Germany", "Europe"}}},
			Events: []article.Event{
				{ID: "a2-e1", Type: article.EventArrest, Date: ptr("2024-02-20"), Place: ptr("Cologne"), CountryCode: ptr("DE"), Status: "carried_out", Evidence: "arrested three men", Confidence: 0.8},
				{ID: "a2-e2", Type: article.EventFoiledPlot, Place: ptr("Cologne"), CountryCode: ptr("DE"), Status: "foiled", Evidence: "planning an attack", Confidence: 0.7},
			},
		},
		{
			Article: mk("a3", "zeitung.example.de", "de", "2024-03-05T08:00:00Z",
				"Messerangriff in Berlin",
				"Ein Mann hat in Berlin zwei Passanten mit einem Messer verletzt. Max Mustermann, ein Zeuge, rief die Polizei."),
			People: []article.Entity{{ID: "person:max-mustermann", Name: "Max Mustermann", Mentions: 1}},
			Places: []article.Place{{ID: "geo:berlin", Name: "Berlin", Kind: "city", CountryCode: "DE", Lat: ptr(52.52), Lon: ptr(13.40), Within: []string{"Germany", "Europe"}}},
			Events: []article.Event{{ID: "a3-e1", Type: article.EventStabbing, Date: ptr("2024-03-05"), Place: ptr("Berlin"), CountryCode: ptr("DE"), Injured: ptr(2), Evidence: "mit einem Messer verletzt", Confidence: 0.8}},
		},
		{
			Article: mk("a4", "example.org", "en", "",
				"Analysts warn of rising threat",
				"Security analysts warn that the threat from ISIS-K remains high across Europe this winter."),
			Groups: []article.Entity{{ID: "kb:iskp", Name: "Islamic State Khorasan Province", Aliases: []string{"ISIS-K"}, Mentions: 1, Kind: "militant"}},
			Places: []article.Place{{ID: "geo:europe", Name: "Europe", Kind: "continent"}},
			Events: []article.Event{{ID: "a4-e1", Type: article.EventWarning, Place: ptr("Europe"), Evidence: "analysts warn", Confidence: 0.6}},
		},
		{
			Article: mk("a5", "example.org", "en", "2023-12-31T23:30:00Z",
				"Shooting at concert hall",
				"Gunmen opened fire at a concert hall in Paris late on Sunday; dozens were injured, police said."),
			Places: []article.Place{{ID: "geo:paris", Name: "Paris", Kind: "city", CountryCode: "FR", Lat: ptr(48.86), Lon: ptr(2.35), Within: []string{"Île-de-France", "France", "Europe"}}},
			Events: []article.Event{{ID: "a5-e1", Type: article.EventShooting, Date: ptr("2023-12-31"), Place: ptr("Paris"), CountryCode: ptr("FR"),
				InjuredDetail: &article.Count{Text: "dozens"}, Evidence: "Gunmen opened fire", Confidence: 0.8}},
		},
	}
}

// Resolver is the suite's entity resolver: a tiny knowledge base mapping
// ISIS-K and ISKP to Islamic State Khorasan Province.
type Resolver struct{}

// Resolve implements index.Resolver.
func (Resolver) Resolve(kind article.EntityKind, name string) (string, bool) {
	if kind != article.KindGroup {
		return "", false
	}
	switch strings.ToLower(name) {
	case "isis-k", "iskp", "islamic state khorasan province":
		return "Islamic State Khorasan Province", true
	case "isis", "islamic state":
		return "Islamic State", true
	}
	return "", false
}
