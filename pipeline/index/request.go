package index

import (
	"fmt"
	"strings"

	"github.com/newswire/newswire/pipeline/article"
)

// Limits on a Request. Backends refuse requests beyond them with ErrBadQuery.
const (
	// MaxSize is the largest page.
	MaxSize = 100
	// MaxPageDepth is the deepest hit a page may reach (From+Size).
	MaxPageDepth = 10000
	// MaxFacetSize is the most values per facet.
	MaxFacetSize = 100
	// DefaultFacetSize is the number of values per facet when FacetSize is 0.
	DefaultFacetSize = 10
	// MaxEventArticles is how many matching articles, newest first, the
	// events view takes its events from.
	MaxEventArticles = 500
)

// The facet names in Result.Facets.
const (
	FacetPeople     = "people"
	FacetGroups     = "groups"
	FacetPlaces     = "places"
	FacetEventTypes = "event_types"
	FacetSources    = "sources"
)

// FacetNames lists the facets a search returns, in display order.
func FacetNames() []string {
	return []string{FacetPeople, FacetGroups, FacetPlaces, FacetEventTypes, FacetSources}
}

// Prepare validates req, fills in defaults, parses its query and resolves
// its entity names with req.Resolver. Errors wrap ErrBadQuery. Backends call it first.
func Prepare(req Request) (Request, *Query, error) {
	if req.Size == 0 {
		req.Size = DefaultSize
	}
	if req.FacetSize == 0 {
		req.FacetSize = DefaultFacetSize
	}
	if req.Sort == "" {
		req.Sort = SortRelevance
	}
	switch {
	case req.Size < 0 || req.Size > MaxSize:
		return req, nil, fmt.Errorf("%w: page size %d out of range 1..%d", ErrBadQuery, req.Size, MaxSize)
	case req.From < 0:
		return req, nil, fmt.Errorf("%w: negative offset %d", ErrBadQuery, req.From)
	case req.From+req.Size > MaxPageDepth:
		return req, nil, fmt.Errorf("%w: page reaches hit %d, deeper than %d; narrow the query", ErrBadQuery, req.From+req.Size, MaxPageDepth)
	case req.FacetSize < 0 || req.FacetSize > MaxFacetSize:
		return req, nil, fmt.Errorf("%w: facet size %d out of range 1..%d", ErrBadQuery, req.FacetSize, MaxFacetSize)
	case req.Sort != SortRelevance && req.Sort != SortDate:
		return req, nil, fmt.Errorf("%w: unknown sort %q (want %q or %q)", ErrBadQuery, req.Sort, SortRelevance, SortDate)
	}
	q, err := Parse(req.Query)
	if err != nil {
		return req, nil, err
	}
	return req, q.Resolve(req.Resolver), nil
}

// NormSource is the form of a source name that source: filters compare:
// lower case, without "www.".
func NormSource(s string) string {
	return strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "www.")
}

// HitFor builds the Hit of a document, without score or snippets. Backends
// store it so search results need not decode whole articles.
func HitFor(doc *article.Enriched) Hit {
	h := Hit{
		ID: doc.ID, URL: doc.URL, Title: doc.Title, Source: doc.Source,
		Published: doc.Published, Language: doc.Language,
		People: article.Names(doc.People), Groups: article.Names(doc.Groups),
		Places: make([]string, 0, len(doc.Places)), EventTypes: EventTypesOf(doc),
	}
	for _, p := range doc.Places {
		h.Places = append(h.Places, p.Name)
	}
	return h
}

// EventTypesOf returns the distinct event types of doc's events, in order.
func EventTypesOf(doc *article.Enriched) []string {
	out := []string{}
	for _, e := range doc.Events {
		dup := false
		for _, t := range out {
			if t == e.Type {
				dup = true
			}
		}
		if !dup && e.Type != "" {
			out = append(out, e.Type)
		}
	}
	return out
}

// EventHitsOf returns doc's events for the events view.
func EventHitsOf(doc *article.Enriched) []EventHit {
	out := make([]EventHit, 0, len(doc.Events))
	for _, e := range doc.Events {
		out = append(out, EventHit{ArticleID: doc.ID, Title: doc.Title, URL: doc.URL, Event: e})
	}
	return out
}
