// Package article is newswire's message contract: the raw Article a crawler
// publishes, the Enriched article the extract stage publishes, and the
// entities and events inside it.
//
// It is a leaf package with no NATS or backend imports, so extractors, stages,
// index backends and outside consumers can all share it.
//
// # Versioning
//
// Every message carries SchemaVersion. A consumer accepts messages whose
// version is at most the version it was built with and rejects newer ones as
// permanent failures (they go to the dead-letter subject, see ErrSchema),
// because silently dropping fields it does not know would lose data.
// Adding an optional field does not change the version; renaming, removing or
// changing the meaning of a field does.
//
// # Subjects
//
//	newswire.articles.raw.<source>   Article, published by crawlers
//	newswire.articles.enriched       Enriched, published by extract workers
//	newswire.alerts.<rule>           alert payloads, published by alert workers
//	newswire.dlq.<stage>             dead letters with the reason
//
// See docs/contract.md for the full field reference.
package article
