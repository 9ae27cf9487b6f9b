// Package search serves newswire's search HTTP JSON API over an
// index.Backend, and formats results as a plain-text table for the CLI.
//
//	h := search.NewHandler(backend, resolver, search.Options{Token: os.Getenv("NEWSWIRE_API_TOKEN")})
//	http.ListenAndServe(":8080", h)
//
// Endpoints (see docs/search.md): GET /api/search, GET /api/articles/{id},
// GET /healthz.
package search
