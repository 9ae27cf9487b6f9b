// Package index defines the search backend contract (Backend), newswire's
// query language, and what the Bleve and Elasticsearch backends share.
//
// The conformance suite in package indextest runs against every backend.
package index
