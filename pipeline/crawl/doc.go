// Package crawl fetches news sites with colly and publishes their articles
// as raw Articles on newswire.articles.raw.<source>.
//
// A Crawler crawls the Sources of its Config: start pages, RSS/Atom feeds
// and sitemaps (news sitemaps included, and those named in robots.txt). It
// follows links from index and article pages alike, within each source's
// hosts, include/exclude patterns and depth, and publishes only the pages it
// judges to be articles (JSON-LD NewsArticle, og:type article, URL shape,
// text density). Text and metadata come from extractors/text.
//
// Politeness and safety: robots.txt is obeyed, Crawl-delay included; each
// host gets its own parallelism and delay; 429 and 503 honour Retry-After;
// other failures back off exponentially with a cap and then go to the
// dead-letter subject newswire.dlq.crawl with the URL and reason in headers.
// Pages over the size limit, of a content type other than HTML, XML or feeds,
// that redirect too often or take too long are refused with a logged reason.
// Private, loopback and link-local addresses are refused (checked on the
// resolved IP at dial time) unless Config.AllowPrivate is set.
//
// With a shared Frontier (OpenFrontier, one per worker), several crawl
// processes share one crawl through JetStream: URLs, the seen-set and
// per-URL state (ETag, Last-Modified, revisit schedule) and an index of
// published articles' hashes and SimHash/MinHash fingerprints, so a copy of
// a story is published with DuplicateOf set whichever worker found the
// original. Article pages are revisited with conditional GETs when they are
// linked again after Source.Revisit (doubled while unchanged) and published
// again only when their text changed. A worker whose context ends lets its
// requests under way finish and hands the rest back to the frontier.
//
// Usage:
//
//	srcs, err := crawl.LoadSources("sources.yaml")
//	if err != nil {
//		return err
//	}
//	c, err := crawl.New(conn, crawl.Config{
//		Sources:   srcs,
//		UserAgent: "newswire/1.0 (+https://example.org/newswire-bot)",
//		Once:      true,
//	}, log, prometheus.NewRegistry())
//	if err != nil {
//		return err
//	}
//	err = c.Run(ctx)
//	fmt.Printf("%+v\n", c.Stats())
//
// A sources file:
//
//	sources:
//	  - name: example-news
//	    start_urls: [https://news.example.com/]
//	    feeds: [https://news.example.com/rss.xml]
//	    sitemaps: [https://news.example.com/news-sitemap.xml]
//	    allowed_hosts: [news.example.com]
//	    include: ['^https://news\.example\.com/']
//	    exclude: ['/tag/', '\?page=']
//	    max_depth: 2
//	    recrawl: 15m
package crawl
