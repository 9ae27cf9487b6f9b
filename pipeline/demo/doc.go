// Package demo is the demo news site that `newswire demo` crawls: "The
// Meridian Wire", a small wire-service style site of the project's own
// writing on security and terrorism news worldwide. Every person, quote and
// incident in it is invented; the places and the well-known groups and
// agencies are real, so that extraction has something true to resolve.
//
// The articles live as data files under articles/ (YAML front matter, then
// paragraphs separated by blank lines, "## " for subheadings), are embedded
// with go:embed and rendered once with html/template into realistic pages:
// <title>, og: and article: metadata, a JSON-LD NewsArticle block,
// rel=canonical, a byline, and boilerplate around the story (navigation,
// share bar, related stories, newsletter box, cookie notice, footer) for text
// extraction to remove.
//
// The site serves:
//
//	/                       home: lead story, latest stories, sections
//	/<section>/             world (all), europe, middle-east, africa, asia, americas
//	/articles/<slug>.html   one article
//	/feed.xml               RSS 2.0 of every article with pubDate
//	/sitemap.xml            sitemap of home, sections and articles
//	/robots.txt             allows all but /private/
//	/private/staff-desk.html linked from every footer, disallowed by robots.txt
//
// Usage:
//
//	url, err := demo.Serve(ctx, "127.0.0.1:0") // stops when ctx is cancelled
//	if err != nil {
//		return err
//	}
//	arts, _ := demo.Articles()
//	for _, a := range arts {
//		fmt.Println(url+a.Path(), a.Published.Format(time.DateOnly), a.Title)
//	}
//
// or, to mount it in a test server:
//
//	srv := httptest.NewUnstartedServer(nil)
//	site, err := demo.NewSite("http://" + srv.Listener.Addr().String())
//	srv.Config.Handler = site
//	srv.Start()
package demo
