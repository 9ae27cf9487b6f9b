// Package search serves newswire's search HTTP JSON API over an
// index.Backend, with a single-page web UI, and formats results as a
// plain-text table for the CLI.
//
//	h := search.NewHandler(backend, resolver, search.Options{Token: os.Getenv("NEWSWIRE_API_TOKEN")})
//	http.ListenAndServe(":8080", h)
//
// Endpoints (see docs/search.md): GET /api/search, GET /api/articles/{id},
// GET /api/timeline, GET /api/incidents, GET /healthz, and the web page at
// GET / with its embedded files under GET /assets/ (search box, facets,
// entity chips, article view, incidents tab, SVG timeline and a bundled
// world map of events; nothing is fetched from any other host).
//
// Incidents link the events of the matching articles across articles, each
// with its sources and the range of tolls they report; without a server:
//
//	res, err := search.FindIncidents(ctx, backend, search.IncidentRequest{Query: "place:Iran", From: "2024-01"})
//	if err != nil { ... }
//	search.WriteIncidents(os.Stdout, res)
package search
