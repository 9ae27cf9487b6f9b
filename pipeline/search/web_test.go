package search_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/index/bleve"
	"github.com/newswire/newswire/pipeline/index/indextest"
	"github.com/newswire/newswire/pipeline/search"
)

func TestWebAssets(t *testing.T) {
	srv := newServer(t, search.Options{Token: "s3cret"})
	tests := []struct {
		name, path, ctype, want string
		code                    int
	}{
		{"page", "/", "text/html", `<script src="/assets/app.js"`, 200},
		{"script", "/assets/app.js", "javascript", "addFilter", 200},
		{"style", "/assets/style.css", "text/css", "#map", 200},
		{"map", "/assets/world.svg", "image/svg+xml", "<title>Afghanistan</title>", 200},
		{"map licence", "/assets/world-atlas-LICENSE", "", "Michael Bostock", 200},
		{"missing asset", "/assets/nothing.js", "", "", 404},
		{"unknown page", "/nothing", "", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.code {
				t.Fatalf("GET %s = %d, want %d", tt.path, resp.StatusCode, tt.code)
			}
			if tt.code != 200 {
				return
			}
			if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, tt.ctype) {
				t.Errorf("Content-Type = %q, want %q", ct, tt.ctype)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
				t.Errorf("Content-Security-Policy = %q", csp)
			}
			if !strings.Contains(string(body), tt.want) {
				t.Errorf("body lacks %q", tt.want)
			}
		})
	}
}

func TestTimeline(t *testing.T) {
	srv := newServer(t, search.Options{})
	tests := []struct {
		name, path string
		code       int
		check      func(t *testing.T, m map[string]any)
	}{
		{"all", "/api/timeline", 200, func(t *testing.T, m map[string]any) {
			// Four dated articles on four days; a4 is undated. Events:
			// a1, a2 (arrest), a3, a5 dated; a2's plot and a4's warning not.
			if m["total"].(float64) != 5 || m["counted"].(float64) != 5 || m["undated"].(float64) != 1 ||
				m["events_undated"].(float64) != 2 || m["truncated"] != false {
				t.Errorf("body = %v", m)
			}
			days := m["days"].([]any)
			want := []string{"2023-12-31", "2024-01-15", "2024-02-20", "2024-03-05"}
			if len(days) != len(want) {
				t.Fatalf("days = %v", days)
			}
			for i, d := range days {
				d := d.(map[string]any)
				if d["day"] != want[i] || d["articles"].(float64) != 1 || d["events"].(float64) != 1 {
					t.Errorf("day %d = %v, want %s with 1 article and 1 event", i, d, want[i])
				}
			}
		}},
		{"query", "/api/timeline?q=place:Germany", 200, func(t *testing.T, m map[string]any) {
			if m["total"].(float64) != 2 || len(m["days"].([]any)) != 2 {
				t.Errorf("body = %v", m)
			}
		}},
		{"no match", "/api/timeline?q=nothingmatchesthis", 200, func(t *testing.T, m map[string]any) {
			if m["total"].(float64) != 0 || len(m["days"].([]any)) != 0 {
				t.Errorf("body = %v", m)
			}
		}},
		{"bad query", "/api/timeline?q=(kabul", 400, func(t *testing.T, m map[string]any) {
			if !strings.Contains(m["error"].(string), "unbalanced") {
				t.Errorf("error = %v", m["error"])
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, m := get(t, srv.URL+tt.path, "")
			if code != tt.code {
				t.Fatalf("GET %s = %d %v, want %d", tt.path, code, m, tt.code)
			}
			tt.check(t, m)
		})
	}
	t.Run("counts only the newest", func(t *testing.T) {
		srv := newServer(t, search.Options{TimelineArticles: 2})
		_, m := get(t, srv.URL+"/api/timeline", "")
		if m["counted"].(float64) != 2 || m["truncated"] != true || len(m["days"].([]any)) != 4 {
			t.Errorf("body = %v", m)
		}
	})
}

// chromium finds a Chromium or Chrome binary; without one the test fails
// on CI (make browser-deps installs it) and is skipped elsewhere.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found: run make browser-deps (apt-get install chromium)")
	}
	t.Skip("chromium not found: run make browser-deps (apt-get install chromium)")
	return ""
}

// browser starts headless Chromium with a fresh profile and returns a tab
// context. It records requests to any host but srv's, script exceptions and
// console errors in the returned log.
type pageLog struct {
	mu       sync.Mutex
	foreign  []string
	problems []string
}

func (l *pageLog) check(t *testing.T) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.foreign) > 0 {
		t.Errorf("the page reached outside its server: %v", l.foreign)
	}
	if len(l.problems) > 0 {
		t.Errorf("the page logged errors:\n%s", strings.Join(l.problems, "\n"))
	}
}

func browser(t *testing.T, origin string) (context.Context, *pageLog) {
	t.Helper()
	exe := chromium(t)
	profile, err := os.MkdirTemp("", "newswire-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1400, 1000),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	log := &pageLog{}
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(func(ev any) {
		log.mu.Lock()
		defer log.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			u := ev.Request.URL
			if !strings.HasPrefix(u, origin+"/") && !strings.HasPrefix(u, "data:") {
				log.foreign = append(log.foreign, u)
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			log.problems = append(log.problems, fmt.Sprintf("exception at %s:%d:%d: %s", d.URL, d.LineNumber+1, d.ColumnNumber+1, msg))
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				log.problems = append(log.problems, "console.error: "+strings.Join(parts, " "))
			}
		}
	}))
	t.Cleanup(func() {
		cancel()
		cancelAlloc() // waits for the browser to exit
		if err := os.RemoveAll(profile); err != nil {
			t.Logf("remove browser profile: %v", err)
		}
	})
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatalf("start chromium: %v", err)
	}
	return ctx, log
}

// screenshot saves a full-page PNG in $NEWSWIRE_SCREENSHOTS (default: the
// test's temporary directory) and logs its path.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := os.Getenv("NEWSWIRE_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// webArticles are articles written for the page test (not from any
// publication), whose events carry coordinates as the events extractor
// gives them, so the map has markers in Africa, Asia and Europe.
func webArticles() []*article.Enriched {
	f := func(v float64) *float64 { return &v }
	n := func(v int) *int { return &v }
	str := func(v string) *string { return &v }
	mk := func(id, pub, title, text string) article.Article {
		p, err := time.Parse(time.RFC3339, pub)
		if err != nil {
			panic(err)
		}
		u := "https://wire.example.net/" + id
		return article.Article{SchemaVersion: article.SchemaVersion, ID: id, URL: u, CanonicalURL: u, Source: "wire.example.net",
			Title: title, Text: text, Language: "en", Published: &p, Fetched: p, ContentHash: article.HashText(text)}
	}
	place := func(name, cc string, lat, lon float64, within ...string) article.Place {
		return article.Place{ID: "geo:" + strings.ToLower(name), Name: name, Kind: "city", CountryCode: cc, Lat: f(lat), Lon: f(lon), Within: within, Mentions: 1}
	}
	event := func(id, typ, date string, p article.Place, killed, injured *int, evidence string) article.Event {
		return article.Event{ID: id, Type: typ, Date: str(date), Place: str(p.Name), CountryCode: str(p.CountryCode), Lat: p.Lat, Lon: p.Lon,
			Killed: killed, Injured: injured, Evidence: evidence, Confidence: 0.8}
	}
	nairobi := place("Nairobi", "KE", -1.29, 36.82, "Kenya", "Africa")
	manila := place("Manila", "PH", 14.60, 120.98, "Philippines", "Asia")
	lyon := place("Lyon", "FR", 45.76, 4.84, "France", "Europe")
	antwerp := place("Antwerp", "BE", 51.22, 4.40, "Belgium", "Europe")
	// A second outlet's report of w1's attack, with its own toll.
	other := mk("w5", "2024-03-10T19:00:00Z", "Nairobi bus station attack toll climbs",
		"The number of people killed when gunmen stormed a Nairobi bus station on Sunday has risen to at least five, with nine hurt, hospital staff said.")
	other.URL, other.CanonicalURL, other.Source = "https://www.evening-courier.example/africa/w5", "https://www.evening-courier.example/africa/w5", "evening-courier.example"
	w5 := event("w5-e1", article.EventAttack, "2024-03-10", nairobi, n(5), n(9), "The number of people killed when gunmen stormed a Nairobi bus station on Sunday has risen to at least five")
	w5.KilledDetail = &article.Count{Value: 5, Qualifier: "at_least", Text: "at least five"}
	return []*article.Enriched{
		{Article: other, Places: []article.Place{nairobi}, Events: []article.Event{w5}},
		{Article: mk("w1", "2024-03-10T07:00:00Z", "Gunmen attack bus station in Nairobi",
			"Gunmen attacked a bus station in Nairobi on Sunday morning, killing three people and wounding seven. Grace Wanjiru, a police commander, said two suspects fled on foot."),
			People: []article.Entity{{ID: "person:grace-wanjiru", Name: "Grace Wanjiru", Mentions: 1}}, Places: []article.Place{nairobi},
			Events: []article.Event{event("w1-e1", article.EventAttack, "2024-03-10", nairobi, n(3), n(7), "Gunmen attacked a bus station")}},
		{Article: mk("w2", "2024-03-12T03:00:00Z", "Hostages freed after hotel siege in Manila",
			"Security forces freed eleven hostages from a hotel in Manila after a siege that lasted through the night, officials said."),
			Places: []article.Place{manila},
			Events: []article.Event{event("w2-e1", article.EventHostageTaking, "2024-03-11", manila, nil, nil, "freed eleven hostages from a hotel")}},
		{Article: mk("w3", "2024-03-12T10:00:00Z", "Explosion at rail depot near Lyon",
			"An explosion damaged a rail depot near Lyon early on Tuesday, injuring four workers. Claire Martin, a regional prosecutor, said investigators were treating the blast as a bombing."),
			People: []article.Entity{{ID: "person:claire-martin", Name: "Claire Martin", Mentions: 1, Roles: []string{"prosecutor"}}}, Places: []article.Place{lyon},
			Events: []article.Event{event("w3-e1", article.EventBombing, "2024-03-12", lyon, nil, n(4), "An explosion damaged a rail depot")}},
		{Article: mk("w4", "2024-03-14T16:00:00Z", "Police raid flat in Antwerp",
			"Police raided a flat in Antwerp on Thursday and detained one man, the city's prosecutors said."),
			Places: []article.Place{antwerp},
			Events: []article.Event{event("w4-e1", article.EventRaid, "2024-03-14", antwerp, nil, nil, "Police raided a flat in Antwerp")}},
	}
}

// newWebServer serves the handler over the suite's fixtures plus webArticles.
func newWebServer(t *testing.T) *httptest.Server {
	t.Helper()
	b, err := bleve.Open("", bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close(context.Background()) })
	docs := append(indextest.Articles(), webArticles()...)
	perDoc, err := b.Index(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	for i, err := range perDoc {
		if err != nil {
			t.Fatalf("index %s: %v", docs[i].ID, err)
		}
	}
	srv := httptest.NewServer(search.NewHandler(b, indextest.Resolver{}, search.Options{}))
	t.Cleanup(srv.Close)
	return srv
}

// TestWebPage drives the search page in headless Chromium: search, facet,
// article view, map and timeline, all from the embedded assets.
func TestWebPage(t *testing.T) {
	srv := newWebServer(t)
	ctx, log := browser(t, srv.URL)
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	// waitJS polls a JavaScript predicate until it is truthy.
	waitJS := func(step, expr string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText.slice(0, 2000) + '\nerror: ' + document.querySelector('#error').innerText`))
			t.Fatalf("%s: waiting for %s: %v\npage:\n%s", step, expr, err, page)
		}
	}
	evalInt := func(expr string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return n
	}
	clearQuery := chromedp.Evaluate[chromedp.Void](`document.querySelector('#q').value = ''`)
	count := func(sel string) int { return evalInt(fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)) }

	// Every article, with facets, timeline and map.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	waitJS("first page", `/1–10 of 10 matching articles/.test(document.querySelector('#summary').textContent)`)
	waitJS("facets", `document.querySelector('#facets [data-field="event"][data-value="bombing"]') !== null`)
	waitJS("timeline", `document.querySelectorAll('#timeline rect.bar-articles').length === 7`)
	// Kabul, Nairobi, Manila, Lyon, Antwerp.
	waitJS("world markers", `document.querySelectorAll('#map circle.marker').length === 5`)
	if n := count("#map .countries path"); n < 150 {
		t.Errorf("map has %d countries, want the world (177)", n)
	}
	screenshot(t, ctx, "web-all")

	// The Incidents tab: two outlets' reports of the Nairobi attack are one
	// incident, each with its own toll and a link to its article.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#tab-incidents`))); err != nil {
		t.Fatal(err)
	}
	waitJS("incidents", `document.querySelector('#incidents li.incident[data-id="w1-0"]') !== null && !document.querySelector('#incidents-view').hidden`)
	card, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const c = document.querySelector('#incidents li.incident[data-id="w1-0"]');
		return [c.querySelector('h3').textContent, c.querySelector('.toll').textContent,
			...[...c.querySelectorAll('.reports li')].map(li => li.querySelector('.outlet').textContent + ' | ' +
				li.querySelector('.figure').textContent + ' | ' + li.querySelector('a').getAttribute('href'))];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"attack · 2024-03-10 · Nairobi, KE", "killed 3–5, injured 7–9 across 2 reports",
		"wire.example.net | killed 3, injured 7 | https://wire.example.net/w1",
		"evening-courier.example | killed at least five, injured 9 | https://www.evening-courier.example/africa/w5"}
	if strings.Join(card, "\n") != strings.Join(want, "\n") {
		t.Errorf("incident card =\n%s\nwant\n%s", strings.Join(card, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(evalString(t, ctx, `location.hash`), "view=incidents") {
		t.Error("the incidents tab is not in the URL hash")
	}
	screenshot(t, ctx, "web-incidents")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#tab-articles`))); err != nil {
		t.Fatal(err)
	}
	waitJS("articles tab", `!document.querySelector('#articles-view').hidden && document.querySelector('#incidents-view').hidden`)

	// Type a query and submit it.
	if err := chromedp.Do(ctx,
		clearQuery,
		chromedp.SendKeys(chromedp.CSS("#q"), "place:Europe"),
		chromedp.Click(chromedp.CSS(`#search button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	waitJS("query", `/of 6 matching articles/.test(document.querySelector('#summary').textContent)`)
	// Lyon and Antwerp; the fixtures' European events have no coordinates.
	waitJS("map markers", `document.querySelectorAll('#map circle.marker').length === 2`)
	// Snippets show the text as written, whatever the highlighter escaped.
	waitJS("snippet text", `document.querySelector('#results').innerText.includes("the city's prosecutors")`)
	if n := count("#event-list li"); n != 7 {
		t.Errorf("event list has %d events, want 7", n)
	}
	if n := count("#timeline rect.bar-articles"); n < 5 {
		t.Errorf("timeline has %d article bars, want 5", n)
	}
	screenshot(t, ctx, "web-search")

	// Click a facet: it becomes a filter in the query.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#facets button.facet[data-field="event"][data-value="bombing"]`))); err != nil {
		t.Fatal(err)
	}
	waitJS("facet", `/1–1 of 1 matching article\b/.test(document.querySelector('#summary').textContent)`)
	q, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#q")))
	if err != nil {
		t.Fatal(err)
	}
	if q != "place:Europe event:bombing" {
		t.Errorf("query after facet click = %q", q)
	}
	waitJS("one marker", `document.querySelectorAll('#map circle.marker').length === 1`)
	if n := count("#results .hit .chip.person"); n != 1 {
		t.Errorf("result has %d person chips, want 1", n)
	}

	// Open the article: entities are marked in its text.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#results .hit a.title`))); err != nil {
		t.Fatal(err)
	}
	waitJS("article", `!document.querySelector('#article-view').hidden && document.querySelector('#article .text mark.ent-person') !== null`)
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#article .text mark')].map(m => m.className + ':' + m.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(marks, ","); got != "ent-place:Lyon,ent-person:Claire Martin" {
		t.Errorf("article marks = %s", got)
	}
	if n := evalInt(`/\[object |undefined|NaN/.test(document.body.innerText) ? 1 : 0`); n != 0 {
		t.Error("the page shows [object ...], undefined or NaN")
	}
	if n := count("#article .evidence"); n != 1 {
		t.Errorf("article has %d evidence spans, want 1", n)
	}
	screenshot(t, ctx, "web-article")

	// Close it, then a bad query shows the server's error.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#article .close`))); err != nil {
		t.Fatal(err)
	}
	waitJS("closed", `document.querySelector('#article-view').hidden`)
	if err := chromedp.Do(ctx,
		clearQuery,
		chromedp.SendKeys(chromedp.CSS("#q"), `"car bomb`),
		chromedp.Click(chromedp.CSS(`#search button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	waitJS("bad query", `/unterminated quote/.test(document.querySelector('#error').textContent) && !document.querySelector('#error').hidden`)
	log.check(t)
}

func evalString(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}
