package search_test

import "github.com/newswire/newswire/pipeline/index"

func indexRequest(q string) index.Request {
	return index.Request{Query: q, Facets: true, Events: true}
}
