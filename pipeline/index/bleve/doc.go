// Package bleve is the embedded search backend: an index.Backend on a Bleve
// (scorch) index on disk, or in memory for tests.
//
// The mapping is explicit: title and text use newswire's English analyser
// (the chain of index.Analyze), people, groups, places, event types, source
// and language are keyword fields, and the article and its events are stored
// for Get and the events view.
//
//	b, err := bleve.Open("data/index", bleve.Options{})
//	if err != nil {
//		return err
//	}
//	defer b.Close(ctx)
//	perDoc, err := b.Index(ctx, docs)
//	res, err := b.Search(ctx, index.Request{Query: `group:ISKP "car bomb"`, Facets: true})
package bleve
