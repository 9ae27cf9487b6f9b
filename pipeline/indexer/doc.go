// Package indexer is the index stage: it consumes enriched articles in
// batches and writes them to an index.Backend, acking each message only
// after the backend has made its document durable.
//
//	h := indexer.Handler(backend)
//	err := runner.RunBatch(ctx, h)
//
// Documents are keyed by article ID (derived from the canonical URL), so a
// redelivery or a re-crawl updates the document instead of duplicating it.
// Within a batch, several versions of one article collapse to the latest.
package indexer
