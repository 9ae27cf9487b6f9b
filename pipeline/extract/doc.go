// Package extract is the extract stage: it consumes raw articles from
// newswire.articles.raw.>, runs the extractors pipeline on each and publishes
// the enriched article to newswire.articles.enriched.
//
//	w := extract.New(conn, pipeline, log)
//	err := runner.Run(ctx, w.Handle)
//
// The enriched article is published with a message ID made of the article ID
// and its content hash, so a redelivered raw article does not produce a
// second enriched message within the stream's duplicate window.
package extract
