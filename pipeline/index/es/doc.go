// Package es is the Elasticsearch 8 backend: an index.Backend over a write
// alias on time-based indices, written with esutil.BulkIndexer.
//
// New installs the index template (template.json, also at
// deploy/elasticsearch/index-template.json) and, when the alias does not yet
// exist, creates PREFIX-000001 as its write index; both steps are
// idempotent. Searches go to every PREFIX-* index, so old indices can be
// rolled over and kept searchable.
//
//	b, err := es.New(ctx, es.Config{Addresses: []string{"http://localhost:9200"}})
//	if err != nil {
//		return err
//	}
//	defer b.Close(ctx)
//	res, err := b.Search(ctx, index.Request{Query: "group:ISKP", Facets: true})
package es
