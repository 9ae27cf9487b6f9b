package demo_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/newswire/newswire/pipeline/demo"
)

func ExampleNewSite() {
	site, err := demo.NewSite("http://news.example")
	if err != nil {
		panic(err)
	}
	rec := httptest.NewRecorder()
	site.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/robots.txt", nil))
	fmt.Print(strings.SplitN(rec.Body.String(), "\n", 2)[1])
	// Output:
	// User-agent: *
	// Allow: /
	// Disallow: /private/
	//
	// Sitemap: http://news.example/sitemap.xml
}

func ExampleArticles() {
	arts, err := demo.Articles()
	if err != nil {
		panic(err)
	}
	oldest := arts[len(arts)-1]
	fmt.Println(oldest.Path(), oldest.Published.Format("2006-01-02"))
	// Output:
	// /articles/mogadishu-airport-checkpoint-bombing.html 2026-09-08
}
