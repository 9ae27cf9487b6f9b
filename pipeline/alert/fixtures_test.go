package alert

import (
	"time"

	"github.com/newswire/newswire/pipeline/article"
)

func ptr[T any](v T) *T { return &v }

// testNow is the clock of the fixtures.
var testNow = time.Date(2026, 3, 12, 18, 0, 0, 0, time.UTC)

// bombingIn returns an invented report of a bombing in a city, as the extract
// stage would publish it.
func bombingIn(id, source, city, country, cc, date string, killed int) *article.Enriched {
	pub := testNow.Add(-2 * time.Hour)
	return &article.Enriched{
		Article: article.Article{
			SchemaVersion: 1, ID: id, URL: "https://" + source + "/" + id, Source: source,
			Title: "Blast in " + city, Published: &pub, Fetched: pub,
			Text: "An explosive device went off near the central market of " + city + ".",
		},
		Groups: []article.Entity{{ID: "kb:iskp", Name: "Islamic State Khorasan Province", Aliases: []string{"ISKP", "ISIS-K"}, Mentions: 2, Kind: "militant"}},
		People: []article.Entity{{ID: "person:jane-roe", Name: "Jane Roe", Mentions: 1}},
		Places: []article.Place{
			{ID: "geo:" + city, Name: city, Kind: "city", CountryCode: cc, Within: []string{country, "Europe"}},
			{ID: "geo:" + cc, Name: country, Kind: "country", CountryCode: cc, Within: []string{"Europe"}},
		},
		Events: []article.Event{{
			ID: id + "-e1", Type: article.EventBombing, Date: ptr(date), Place: ptr(city), CountryCode: ptr(cc),
			Perpetrators: []string{"Islamic State Khorasan Province"}, Killed: ptr(killed), Injured: ptr(2 * killed),
			Status: "carried_out", Evidence: "An explosive device went off", Confidence: 0.9,
		}},
	}
}
