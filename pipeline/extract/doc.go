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
//
// Bad input never stops the stage. A raw message over Worker.MaxMessageBytes
// (default MaxMessageBytes, 4 MiB) is dead-lettered with ErrTooLarge ("too
// large") before it is decoded; a text over MaxTextBytes (1 MiB) is analysed
// on its first MaxTextBytes and published with its full text; a panic in an
// extractor dead-letters that article only. The entities extractor clusters
// at most entities.MaxMentions person and group mentions per article.
//
// Handle logs through stage.Logger(ctx), so its lines carry the article_id
// and url of the message.
package extract
