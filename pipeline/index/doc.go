// Package index defines the search backend contract (Backend), newswire's
// query language, and what the Bleve and Elasticsearch backends share.
//
// The conformance suite in package indextest runs against every backend.
//
// A query is parsed once, resolved against the knowledge base so entity
// filters use canonical names, then either evaluated in memory (alert rules)
// or translated by a backend:
//
//	q, err := index.Parse(`group:ISIS-K "car bomb" place:Europe published:>=2024-01`)
//	if err != nil {
//		return err // wraps index.ErrBadQuery and names the problem
//	}
//	q.Resolve(resolver) // nil leaves names as typed
//	if q.Match(doc) {
//		// doc is an *article.Enriched that matches
//	}
//
// Words and phrases are analysed by Analyze (English: lower case, stop words,
// Porter stems), the same chain the backends configure, so "bombs" matches
// "bombing" everywhere alike.
package index
