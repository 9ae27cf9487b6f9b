// Package bench measures newswire's speed: a generator of realistic raw
// articles of our own writing, an end-to-end load run of every stage in one
// process (embedded NATS JetStream, the extract, index and alert stages,
// Bleve), and the stage benchmarks of the other packages, gathered into one
// table (see docs/benchmarks.md and cmd/benchreport).
//
//	res, err := bench.RunE2E(ctx, bench.E2EConfig{N: 20000, Rules: 100})
//	if err != nil {
//		return err
//	}
//	fmt.Printf("%.0f articles/s, searchable p99 %v\n", res.ArticlesPerSec, res.Searchable.P99)
//
// Publication time is carried in each raw article's Fetched field (set just
// before publishing), so every later stage can tell how long an article has
// been in the pipeline.
package bench
